/**
 * The owner's TLS choice, as the wizard will apply it: the files each mode needs, and the keys the
 * chat server's config gets. Two steps because ACME needs the server answering its challenge path
 * first: `prepareTls` before the server (re)starts, `finishTls` once it listens.
 */
import { access } from "node:fs/promises";
import { join } from "node:path";
import { type AcmeCertificateState, type AcmeOptions, ensureAcmeCertificate, LETS_ENCRYPT_DIRECTORY } from "./acme.ts";
import { activateCertificate, activeCertificateFiles } from "./active-certificate.ts";
import { ensureLocalServerCertificate, loadOrCreateLocalCa } from "./local-ca.ts";
import { installOwnCertificate } from "./validate-certificate.ts";

export type TlsChoice =
  /** Plain HTTP: only while the instance is reachable from this computer alone. */
  | { mode: "none" }
  | { mode: "local-ca"; dnsNames: string[]; ipAddresses: string[] }
  | { mode: "own"; certificatePem: string; keyPem: string; host: string }
  | { mode: "acme"; domain: string; email?: string; termsOfServiceAgreed: boolean; directoryUrl?: string }
  /** TLS ends at the owner's proxy; only its forwarded headers are believed. */
  | { mode: "reverse-proxy"; trustedProxies: string[] };

export function tlsFolders(dataDir: string) {
  const root = join(dataDir, "tls");
  return {
    root,
    localCa: join(root, "local-ca"),
    own: join(root, "own"),
    acme: join(root, "acme"),
    acmeChallenges: join(root, "acme-challenges"),
    /** What the server serves, whichever mode made it. */
    active: join(root, "active"),
  };
}

export type TlsFolders = ReturnType<typeof tlsFolders>;

/** The `services.server` keys for the choice (merged into the generated server config). */
export function tlsServerKeys(folders: TlsFolders, choice: TlsChoice, redirectPort?: number): Record<string, unknown> {
  if (choice.mode === "none") return {};
  if (choice.mode === "reverse-proxy") return { trusted_proxies: choice.trustedProxies };
  const active = activeCertificateFiles(folders.active);
  return {
    tls: {
      cert_path: active.chainPath,
      key_path: active.keyPath,
      ...(redirectPort === undefined ? {} : { http_redirect_port: redirectPort }),
      ...(choice.mode === "acme" ? { acme_challenge_dir: folders.acmeChallenges } : {}),
      ...(choice.mode === "local-ca" ? { ca_certificate_path: join(folders.localCa, "ca.crt") } : {}),
    },
  };
}

export interface PreparedTls {
  /** Expiry of the certificate the server will serve (a placeholder's, for ACME before it finishes). */
  notAfter?: Date;
  /** The local CA's SHA-256 fingerprint, for members to compare. */
  caFingerprint?: string;
}

/**
 * Before the server starts: makes the pair it will serve. A refused own certificate throws
 * (CertificateRejectedError) and leaves the active pair as it was.
 */
export async function prepareTls(folders: TlsFolders, choice: TlsChoice, now = new Date()): Promise<PreparedTls> {
  if (choice.mode === "none" || choice.mode === "reverse-proxy") return {};
  if (choice.mode === "own") {
    const installed = await installOwnCertificate(folders.own, {
      certificatePem: choice.certificatePem,
      keyPem: choice.keyPem,
      host: choice.host,
      now,
    });
    await activateCertificate(folders.active, installed);
    return { notAfter: installed.notAfter };
  }
  const ca = await loadOrCreateLocalCa(folders.localCa, now);
  if (choice.mode === "local-ca") {
    const state = await ensureLocalServerCertificate(ca, choice, now);
    await activateCertificate(folders.active, state);
    return { notAfter: state.notAfter, caFingerprint: ca.fingerprint };
  }
  // ACME: serve a local-CA placeholder for the domain until the real certificate arrives, so the
  // server can start in TLS mode and answer the challenge on its plain-HTTP port.
  const acmeChain = join(folders.acme, "chain.pem");
  const haveAcme = await access(acmeChain).then(
    () => true,
    () => false,
  );
  if (haveAcme) {
    await activateCertificate(folders.active, { chainPath: acmeChain, keyPath: join(folders.acme, "key.pem") });
    return {};
  }
  const placeholder = await ensureLocalServerCertificate(ca, { dnsNames: [choice.domain], ipAddresses: [] }, now);
  await activateCertificate(folders.active, placeholder);
  return { notAfter: placeholder.notAfter };
}

/**
 * Once the server listens: for ACME, obtains (or keeps) the certificate and activates it. Returns
 * whether the server must reload (SIGHUP). Other modes have nothing left to do.
 */
export async function finishTls(
  folders: TlsFolders,
  choice: TlsChoice,
  tuning: Pick<AcmeOptions, "pollMinMs"> = {},
): Promise<{ reload: boolean; acme?: AcmeCertificateState }> {
  if (choice.mode !== "acme") return { reload: false };
  const state = await ensureAcmeCertificate({
    directoryUrl: choice.directoryUrl ?? LETS_ENCRYPT_DIRECTORY,
    domain: choice.domain,
    email: choice.email,
    termsOfServiceAgreed: choice.termsOfServiceAgreed,
    dir: folders.acme,
    challengeDir: folders.acmeChallenges,
    ...tuning,
  });
  await activateCertificate(folders.active, state);
  return { reload: true, acme: state };
}
