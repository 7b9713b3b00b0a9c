/**
 * The X.509 library set up once (@peculiar/x509 over Node's WebCrypto), plus PEM helpers for keys
 * and the owner-only file writes every private key goes through.
 */
import { webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";
import writeFileAtomic from "write-file-atomic";

x509.cryptoProvider.set(webcrypto as Crypto);

export { x509 };

/** ECDSA P-256 with SHA-256: small, fast, and accepted by every current browser and ACME CA. */
export const SIGNING_ALGORITHM = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" } as const;

export function generateKeyPair(): Promise<CryptoKeyPair> {
  return webcrypto.subtle.generateKey(SIGNING_ALGORITHM, true, ["sign", "verify"]) as Promise<CryptoKeyPair>;
}

export async function privateKeyToPem(key: CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey("pkcs8", key));
  return pemOf("PRIVATE KEY", der);
}

export async function privateKeyFromPem(pem: string): Promise<CryptoKey> {
  const der = x509.PemConverter.decodeFirst(pem);
  return webcrypto.subtle.importKey("pkcs8", der, SIGNING_ALGORITHM, true, ["sign"]);
}

export function pemOf(label: string, der: Buffer): string {
  const lines = der.toString("base64").match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join("\n")}\n-----END ${label}-----\n`;
}

/** Every PEM certificate block in `text`, in order. */
export function certificatesFromPem(text: string): x509.X509Certificate[] {
  const blocks = text.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  return blocks.map((block) => new x509.X509Certificate(block));
}

export function randomSerialNumber(): string {
  // Positive (high bit clear) 16-byte serial, as CAs must use unpredictable serials.
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return Buffer.from(bytes).toString("hex");
}

/** Writes a secret (private key) readable by the owner only, atomically. */
export function writeOwnerOnly(path: string, data: string): Promise<void> {
  return writeFileAtomic(path, data, { mode: 0o600 });
}

export function writePublic(path: string, data: string): Promise<void> {
  return writeFileAtomic(path, data, { mode: 0o644 });
}
