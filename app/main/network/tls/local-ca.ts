/**
 * The appliance's own certificate authority for "my local network": generated once in the host's
 * data (its key owner-only), it issues the chat server's certificate for the LAN names and
 * addresses the owner picks, and reissues it before it expires or when the names change. Members
 * trust the CA certificate (PEM or DER download) once, and every later server certificate with it.
 */
import { X509Certificate as NodeX509Certificate } from "node:crypto";
import { mkdir, readFile } from "node:fs/promises";
import { hostname } from "node:os";
import { join } from "node:path";
import { normaliseServerNames, type ServerNames } from "./server-names.ts";
import {
  generateKeyPair,
  privateKeyFromPem,
  privateKeyToPem,
  randomSerialNumber,
  SIGNING_ALGORITHM,
  writeOwnerOnly,
  writePublic,
  x509,
} from "./x509.ts";

const DAY_MS = 86_400_000;
/** Ten years: members install the CA once. */
const CA_LIFETIME_DAYS = 3650;
/** Under Apple's 398-day ceiling for server certificates, so every browser accepts it. */
export const SERVER_LIFETIME_DAYS = 397;
/** Leeway for clocks behind ours. */
const BACKDATE_MS = 60 * 60 * 1000;

export interface LocalCaFiles {
  caCertificate: string;
  caKey: string;
  /** The server certificate followed by the CA certificate. */
  serverChain: string;
  serverKey: string;
}

/** Where the CA lives under a folder of the host's data (e.g. `<data>/tls/local-ca`). */
export function localCaFiles(dir: string): LocalCaFiles {
  return {
    caCertificate: join(dir, "ca.crt"),
    caKey: join(dir, "ca.key"),
    serverChain: join(dir, "server-chain.pem"),
    serverKey: join(dir, "server.key"),
  };
}

export interface LocalCa {
  files: LocalCaFiles;
  certificatePem: string;
  /** The same certificate in DER, for systems that import `.cer`/`.der` files. */
  certificateDer: Buffer;
  /** SHA-256 fingerprint (colon-separated hex), to compare on a member's machine. */
  fingerprint: string;
  notAfter: Date;
}

/** Loads the CA from `dir`, or creates it there when it does not exist yet. */
export async function loadOrCreateLocalCa(dir: string, now = new Date()): Promise<LocalCa> {
  const files = localCaFiles(dir);
  const existing = await readFile(files.caCertificate, "utf8").catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return undefined;
    throw error;
  });
  if (existing !== undefined) return describeCa(files, existing);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const keys = await generateKeyPair();
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerialNumber(),
    // The machine's name tells members' trust stores apart when several appliances exist.
    name: [{ CN: [`Fluxer Appliance local CA (${hostname()})`] }, { O: ["Fluxer Appliance"] }],
    notBefore: new Date(now.getTime() - BACKDATE_MS),
    notAfter: new Date(now.getTime() + CA_LIFETIME_DAYS * DAY_MS),
    keys,
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  // Key first: a certificate without its key would be a CA that can never issue.
  await writeOwnerOnly(files.caKey, await privateKeyToPem(keys.privateKey));
  const pem = certificate.toString("pem");
  await writePublic(files.caCertificate, `${pem}\n`);
  return describeCa(files, pem);
}

function describeCa(files: LocalCaFiles, pem: string): LocalCa {
  const certificate = new NodeX509Certificate(pem);
  return {
    files,
    certificatePem: certificate.toString(),
    certificateDer: certificate.raw,
    fingerprint: certificate.fingerprint256,
    notAfter: new Date(certificate.validTo),
  };
}

export interface ServerCertificateState {
  chainPath: string;
  keyPath: string;
  names: ServerNames;
  notAfter: Date;
  /** True when this call wrote a new certificate (the server must reload it). */
  issued: boolean;
}

/**
 * Makes sure the server certificate exists for exactly `names` and is not due for renewal (at 2/3
 * of its lifetime); issues a new one otherwise. Safe to call at every start and once a day.
 */
export async function ensureLocalServerCertificate(ca: LocalCa, wanted: ServerNames, now = new Date()): Promise<ServerCertificateState> {
  const names = normaliseServerNames(wanted);
  const { serverChain, serverKey } = ca.files;
  const current = await readFile(serverChain, "utf8").catch(() => undefined);
  const leaf = current ? new NodeX509Certificate(current) : undefined;
  if (leaf && !renewalReason(leaf, names, ca, now)) {
    return { chainPath: serverChain, keyPath: serverKey, names, notAfter: new Date(leaf.validTo), issued: false };
  }
  const issued = await issueServerCertificate(ca, names, now);
  await writeOwnerOnly(serverKey, issued.keyPem);
  await writePublic(serverChain, issued.chainPem);
  return { chainPath: serverChain, keyPath: serverKey, names, notAfter: issued.notAfter, issued: true };
}

/** Why the current certificate must be replaced, or undefined when it is still good. */
export function renewalReason(leaf: NodeX509Certificate, names: ServerNames, ca: LocalCa, now: Date): string | undefined {
  const from = Date.parse(leaf.validFrom);
  const to = Date.parse(leaf.validTo);
  if (now.getTime() < from) return "it is not valid yet (the clock went back)";
  if (now.getTime() >= from + ((to - from) * 2) / 3) return "two thirds of its lifetime have passed";
  if (!leaf.checkIssued(new NodeX509Certificate(ca.certificatePem))) return "it was issued by another CA";
  const entries = (leaf.subjectAltName ?? "").split(", ").filter(Boolean);
  const dnsNames = entries.filter((entry) => entry.startsWith("DNS:")).map((entry) => entry.slice(4));
  const ipCount = entries.filter((entry) => entry.startsWith("IP Address:")).length;
  const sameDns = dnsNames.length === names.dnsNames.length && names.dnsNames.every((name) => dnsNames.includes(name));
  // checkIP compares addresses, not spellings (IPv6 has many).
  const sameIps = ipCount === names.ipAddresses.length && names.ipAddresses.every((address) => leaf.checkIP(address) !== undefined);
  if (!sameDns || !sameIps) return "the names changed";
  return undefined;
}

export interface IssuedServerCertificate {
  chainPem: string;
  keyPem: string;
  notAfter: Date;
}

/** A fresh key and a server certificate for `names`, signed by the CA. */
export async function issueServerCertificate(ca: LocalCa, wanted: ServerNames, now = new Date()): Promise<IssuedServerCertificate> {
  const names = normaliseServerNames(wanted);
  const caKey = await privateKeyFromPem(await readFile(ca.files.caKey, "utf8"));
  const caCertificate = new x509.X509Certificate(ca.certificatePem);
  const keys = await generateKeyPair();
  const notAfter = new Date(Math.min(now.getTime() + SERVER_LIFETIME_DAYS * DAY_MS, ca.notAfter.getTime()));
  const certificate = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerialNumber(),
    subject: [{ CN: [names.dnsNames[0] ?? names.ipAddresses[0] ?? "fluxer"] }],
    issuer: caCertificate.subject,
    notBefore: new Date(now.getTime() - BACKDATE_MS),
    notAfter,
    signingKey: caKey,
    publicKey: keys.publicKey,
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        ...names.dnsNames.map((value) => ({ type: "dns" as const, value })),
        ...names.ipAddresses.map((value) => ({ type: "ip" as const, value })),
      ]),
      await x509.AuthorityKeyIdentifierExtension.create(caCertificate),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return {
    chainPem: `${certificate.toString("pem")}\n${ca.certificatePem.trim()}\n`,
    keyPem: await privateKeyToPem(keys.privateKey),
    notAfter,
  };
}
