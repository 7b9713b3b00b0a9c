/**
 * The pair the chat server serves (`services.server.tls.cert_path/key_path` point here), whatever
 * mode produced it: local CA, the owner's own files, or ACME. Switching modes or renewing copies
 * the new pair in and the server rereads it on SIGHUP, so its config never changes.
 */
import { mkdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { writeOwnerOnly, writePublic } from "./x509.ts";

export function activeCertificateFiles(dir: string) {
  return { chainPath: join(dir, "chain.pem"), keyPath: join(dir, "key.pem") };
}

/** Copies the pair into the active folder (key owner-only); the key goes first, then the chain. */
export async function activateCertificate(dir: string, source: { chainPath: string; keyPath: string }) {
  const active = activeCertificateFiles(dir);
  const [chain, key] = await Promise.all([readFile(source.chainPath, "utf8"), readFile(source.keyPath, "utf8")]);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await writeOwnerOnly(active.keyPath, key);
  await writePublic(active.chainPath, chain);
  return active;
}
