/**
 * "Your own certificate and key files": checks what the owner supplies before anything is applied,
 * and says in one sentence per problem what is wrong. Only a pair without problems is copied into
 * the host's data, so a bad pair never reaches the server.
 */
import { createPrivateKey, type KeyObject, X509Certificate } from "node:crypto";
import { mkdir } from "node:fs/promises";
import { isIP } from "node:net";
import { join } from "node:path";
import { writeOwnerOnly, writePublic } from "./x509.ts";

export type CertificateProblemCode =
  | "CERTIFICATE_UNREADABLE"
  | "KEY_UNREADABLE"
  | "KEY_MISMATCH"
  | "CHAIN_ORDER"
  | "NAME_MISMATCH"
  | "EXPIRED"
  | "NOT_YET_VALID";

export interface CertificateProblem {
  code: CertificateProblemCode;
  message: string;
}

export interface CertificateInput {
  /** PEM text: the server certificate, then any intermediates. */
  certificatePem: string;
  keyPem: string;
  /** The name or address members will use (the one the server's public URLs say). */
  host: string;
  now?: Date;
}

export interface ValidCertificate {
  ok: true;
  /** The chain as clean PEM, server certificate first. */
  chainPem: string;
  subjectAltName: string;
  notAfter: Date;
}

export type CertificateCheck = ValidCertificate | { ok: false; problems: CertificateProblem[] };

const certificateBlock = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

export function validateCertificate({ certificatePem, keyPem, host, now = new Date() }: CertificateInput): CertificateCheck {
  const chain = parseChain(certificatePem);
  if (!Array.isArray(chain)) return { ok: false, problems: [chain] };
  const [leaf] = chain as [X509Certificate, ...X509Certificate[]];
  const problems: CertificateProblem[] = [];

  const key = parseKey(keyPem);
  if ("code" in key) problems.push(key);
  else if (!leaf.checkPrivateKey(key)) {
    problems.push({
      code: "KEY_MISMATCH",
      message: "the private key does not belong to the certificate (it is the key of another certificate)",
    });
  }

  const order = chainOrderProblem(chain);
  if (order) problems.push(order);

  const covered = isIP(host) ? leaf.checkIP(host) : leaf.checkHost(host);
  if (covered === undefined) {
    problems.push({
      code: "NAME_MISMATCH",
      message: `the certificate is for ${leaf.subjectAltName ?? leaf.subject.replace(/\n/g, ", ")}, not for ${host}`,
    });
  }

  chain.forEach((certificate, index) => {
    const which = index === 0 ? "the certificate" : `chain certificate ${index + 1} (${subjectName(certificate)})`;
    if (now.getTime() > Date.parse(certificate.validTo)) {
      problems.push({ code: "EXPIRED", message: `${which} expired on ${new Date(certificate.validTo).toISOString()}` });
    }
    if (now.getTime() < Date.parse(certificate.validFrom)) {
      problems.push({ code: "NOT_YET_VALID", message: `${which} is not valid before ${new Date(certificate.validFrom).toISOString()}` });
    }
  });

  if (problems.length > 0) return { ok: false, problems };
  return {
    ok: true,
    chainPem: `${chain.map((certificate) => certificate.toString().trim()).join("\n")}\n`,
    subjectAltName: leaf.subjectAltName ?? "",
    notAfter: new Date(leaf.validTo),
  };
}

function parseChain(text: string): X509Certificate[] | CertificateProblem {
  const blocks = text.match(certificateBlock) ?? [];
  if (blocks.length === 0) {
    return { code: "CERTIFICATE_UNREADABLE", message: "no PEM certificate found (expected -----BEGIN CERTIFICATE-----)" };
  }
  const chain: X509Certificate[] = [];
  for (const [index, block] of blocks.entries()) {
    try {
      chain.push(new X509Certificate(block));
    } catch {
      return { code: "CERTIFICATE_UNREADABLE", message: `certificate ${index + 1} in the file is damaged and cannot be read` };
    }
  }
  return chain;
}

function parseKey(text: string): KeyObject | CertificateProblem {
  try {
    return createPrivateKey(text);
  } catch (error) {
    const encrypted = /passphrase/i.test((error as Error).message);
    return {
      code: "KEY_UNREADABLE",
      message: encrypted
        ? "the private key is protected by a passphrase; supply it unencrypted"
        : "no readable private key found (expected a PEM private key)",
    };
  }
}

/** Each certificate must be issued by the next one: server certificate first, then its issuers. */
function chainOrderProblem(chain: X509Certificate[]): CertificateProblem | undefined {
  if (chain[0]?.ca) {
    return {
      code: "CHAIN_ORDER",
      message: "the first certificate is a CA certificate: put the server certificate first, then its issuers",
    };
  }
  for (let index = 0; index + 1 < chain.length; index++) {
    const child = chain[index] as X509Certificate;
    const parent = chain[index + 1] as X509Certificate;
    if (!child.checkIssued(parent) || !child.verify(parent.publicKey)) {
      return {
        code: "CHAIN_ORDER",
        message: `certificate ${index + 2} (${subjectName(parent)}) did not issue certificate ${index + 1} (${subjectName(child)}): each certificate must be followed by its issuer`,
      };
    }
  }
  return undefined;
}

function subjectName(certificate: X509Certificate): string {
  return /CN=([^\n]+)/.exec(certificate.subject)?.[1] ?? certificate.subject.replace(/\n/g, ", ");
}

export class CertificateRejectedError extends Error {
  constructor(readonly problems: CertificateProblem[]) {
    super(problems.map((problem) => problem.message).join("; "));
  }
}

/** Validates, then copies the pair into `dir` (key owner-only); writes nothing when it is refused. */
export async function installOwnCertificate(
  dir: string,
  input: CertificateInput,
): Promise<{ chainPath: string; keyPath: string; notAfter: Date }> {
  const check = validateCertificate(input);
  if (!check.ok) throw new CertificateRejectedError(check.problems);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const chainPath = join(dir, "chain.pem");
  const keyPath = join(dir, "key.pem");
  await writeOwnerOnly(keyPath, input.keyPem);
  await writePublic(chainPath, check.chainPem);
  return { chainPath, keyPath, notAfter: check.notAfter };
}
