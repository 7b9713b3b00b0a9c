/**
 * Let's Encrypt (or any ACME CA) by HTTP-01 for the domain the owner types: the challenge answer
 * is a file in the folder the chat server serves at `/.well-known/acme-challenge/` on its plain-HTTP
 * port (which must be the port the CA reaches, 80 on the internet). The certificate, its key and the
 * account key are kept owner-only in the host's data, and renewed at 2/3 of the lifetime.
 */
import { X509Certificate } from "node:crypto";
import { mkdir, readFile, rm } from "node:fs/promises";
import { join } from "node:path";
import * as acme from "acme-client";
import { writeOwnerOnly, writePublic } from "./x509.ts";

/** Let's Encrypt's production directory; tests use pebble's on loopback instead. */
export const LETS_ENCRYPT_DIRECTORY = "https://acme-v02.api.letsencrypt.org/directory";

export interface AcmeOptions {
  directoryUrl: string;
  /** The one name the certificate is for (what members type). */
  domain: string;
  /** Contact for expiry notices, optional at Let's Encrypt. */
  email?: string;
  /** The owner accepted the CA's terms of service (the wizard asks). */
  termsOfServiceAgreed: boolean;
  /** Where the account key, certificate and key are kept (host data). */
  dir: string;
  /** The server's `services.server.tls.acme_challenge_dir`. */
  challengeDir: string;
  /** First wait between polls of an order (acme-client's backoff); tests shorten it. */
  pollMinMs?: number;
}

export interface AcmeCertificateState {
  chainPath: string;
  keyPath: string;
  notAfter: Date;
  renewAt: Date;
  /** True when this call obtained a new certificate (the server must reload it). */
  issued: boolean;
}

export function acmeFiles(dir: string) {
  return { accountKey: join(dir, "account.key"), chain: join(dir, "chain.pem"), key: join(dir, "key.pem") };
}

/** When to renew a certificate: at two thirds of its lifetime (Let's Encrypt's own advice). */
export function renewalTime(certificate: X509Certificate): Date {
  const from = Date.parse(certificate.validFrom);
  const to = Date.parse(certificate.validTo);
  return new Date(from + ((to - from) * 2) / 3);
}

/** Returns the kept certificate while it is good for `domain`, else orders a new one. */
export async function ensureAcmeCertificate(options: AcmeOptions, now = new Date()): Promise<AcmeCertificateState> {
  const files = acmeFiles(options.dir);
  const kept = await readFile(files.chain, "utf8").catch(() => undefined);
  if (kept) {
    const leaf = new X509Certificate(kept);
    const renewAt = renewalTime(leaf);
    if (now < renewAt && leaf.checkHost(options.domain) !== undefined) {
      return { chainPath: files.chain, keyPath: files.key, notAfter: new Date(leaf.validTo), renewAt, issued: false };
    }
  }
  return obtainAcmeCertificate(options);
}

/** Orders a certificate now: account (reused by its key), HTTP-01 challenge, finalize, store. */
export async function obtainAcmeCertificate(options: AcmeOptions): Promise<AcmeCertificateState> {
  if (!options.termsOfServiceAgreed) throw new Error("the ACME CA's terms of service must be accepted first");
  const files = acmeFiles(options.dir);
  await mkdir(options.dir, { recursive: true, mode: 0o700 });
  await mkdir(options.challengeDir, { recursive: true });
  const client = new acme.Client({
    directoryUrl: options.directoryUrl,
    accountKey: await accountKey(files.accountKey),
    ...(options.pollMinMs ? { backoffMin: options.pollMinMs, backoffMax: options.pollMinMs * 4 } : {}),
  });
  const [key, csr] = await acme.crypto.createCsr(
    { commonName: options.domain, altNames: [options.domain] },
    await acme.crypto.createPrivateEcdsaKey(),
  );
  const chain = await client.auto({
    csr,
    email: options.email,
    termsOfServiceAgreed: true,
    challengePriority: ["http-01"],
    // acme-client's own pre-check would resolve the domain through the system and fetch it on port
    // 80 from here; the CA's validation is the check that counts.
    skipChallengeVerification: true,
    challengeCreateFn: async (_authz, challenge, keyAuthorization) => {
      if (challenge.type !== "http-01") throw new Error(`unsupported challenge ${challenge.type}`);
      await writePublic(join(options.challengeDir, challenge.token), keyAuthorization);
    },
    challengeRemoveFn: async (_authz, challenge) => {
      await rm(join(options.challengeDir, challenge.token), { force: true });
    },
  });
  await writeOwnerOnly(files.key, key.toString());
  await writePublic(files.chain, chain.endsWith("\n") ? chain : `${chain}\n`);
  const leaf = new X509Certificate(chain);
  return { chainPath: files.chain, keyPath: files.key, notAfter: new Date(leaf.validTo), renewAt: renewalTime(leaf), issued: true };
}

async function accountKey(path: string): Promise<Buffer> {
  const existing = await readFile(path).catch(() => undefined);
  if (existing) return existing;
  const created = await acme.crypto.createPrivateEcdsaKey();
  await writeOwnerOnly(path, created.toString());
  return created;
}

export interface RenewalHooks {
  /** A new certificate is on disk: tell the server to reload it (SIGHUP). */
  onRenewed(state: AcmeCertificateState): void;
  onError(error: Error): void;
}

/** setTimeout's ceiling (about 24.8 days): longer waits are taken in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * Keeps the certificate renewed: waits until its renewal time, renews, and starts over; after a
 * failure it tries again after `retryMs` (an hour by default), long before the certificate lapses.
 */
export function scheduleAcmeRenewal(options: AcmeOptions, hooks: RenewalHooks, retryMs = 3_600_000): { stop(): void } {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const wait = (ms: number, then: () => void) => {
    if (stopped) return;
    timer = setTimeout(then, Math.max(0, Math.min(ms, MAX_TIMER_MS)));
  };
  const check = async () => {
    try {
      const state = await ensureAcmeCertificate(options);
      if (stopped) return;
      if (state.issued) hooks.onRenewed(state);
      wait(state.renewAt.getTime() - Date.now(), () => void check());
    } catch (error) {
      if (stopped) return;
      hooks.onError(error as Error);
      wait(retryMs, () => void check());
    }
  };
  void check();
  return {
    stop() {
      stopped = true;
      clearTimeout(timer);
    },
  };
}
