/** A throwaway CA and server certificate for TLS tests (P-256, made fresh in each test). */
import { webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";

x509.cryptoProvider.set(webcrypto as Crypto);

const algorithm = { name: "ECDSA", namedCurve: "P-256", hash: "SHA-256" };
const day = 86_400_000;

export interface TestCertificates {
  caPem: string;
  /** The server certificate followed by the CA. */
  chainPem: string;
  keyPem: string;
}

export async function makeTestCertificates(dnsNames: string[], ipAddresses: string[] = []): Promise<TestCertificates> {
  const now = Date.now();
  const caKeys = await webcrypto.subtle.generateKey(algorithm, true, ["sign", "verify"]);
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: "01",
    name: "CN=Fluxer test CA",
    notBefore: new Date(now - day),
    notAfter: new Date(now + 30 * day),
    keys: caKeys,
    signingAlgorithm: algorithm,
    extensions: [new x509.BasicConstraintsExtension(true, 0, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign, true)],
  });
  const serverKeys = await webcrypto.subtle.generateKey(algorithm, true, ["sign", "verify"]);
  const server = await x509.X509CertificateGenerator.create({
    serialNumber: "02",
    subject: `CN=${dnsNames[0] ?? ipAddresses[0]}`,
    issuer: ca.subject,
    notBefore: new Date(now - day),
    notAfter: new Date(now + 7 * day),
    signingKey: caKeys.privateKey,
    publicKey: serverKeys.publicKey,
    signingAlgorithm: algorithm,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension([
        ...dnsNames.map((value) => ({ type: "dns" as const, value })),
        ...ipAddresses.map((value) => ({ type: "ip" as const, value })),
      ]),
    ],
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey("pkcs8", serverKeys.privateKey));
  const keyPem = `-----BEGIN PRIVATE KEY-----\n${pkcs8.toString("base64").replace(/.{64}/g, "$&\n")}\n-----END PRIVATE KEY-----\n`.replace(
    "\n\n",
    "\n",
  );
  const caPem = ca.toString("pem");
  return { caPem, chainPem: `${server.toString("pem")}\n${caPem}\n`, keyPem };
}
