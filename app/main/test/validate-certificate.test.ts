// Own-certificate mode: every failure refused with its own clear message, and nothing applied.
import assert from "node:assert/strict";
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { issueServerCertificate, type LocalCa, loadOrCreateLocalCa } from "../network/tls/local-ca.ts";
import {
  type CertificateCheck,
  CertificateRejectedError,
  installOwnCertificate,
  validateCertificate,
} from "../network/tls/validate-certificate.ts";

const DAY_MS = 86_400_000;
const names = { dnsNames: ["chat.example.test"], ipAddresses: [] };

function problemsOf(check: CertificateCheck) {
  assert.equal(check.ok, false, "the pair was accepted");
  return check.ok ? [] : check.problems;
}

describe("own certificate validation", () => {
  let dir: string;
  let ca: LocalCa;
  let otherCa: LocalCa;
  let good: { chainPem: string; keyPem: string };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "fluxer-own-cert-"));
    ca = await loadOrCreateLocalCa(join(dir, "ca"));
    otherCa = await loadOrCreateLocalCa(join(dir, "other-ca"));
    good = await issueServerCertificate(ca, names);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("accepts a matching, current pair for the chosen name, chain in order", () => {
    const check = validateCertificate({ certificatePem: good.chainPem, keyPem: good.keyPem, host: "chat.example.test" });
    assert.ok(check.ok, JSON.stringify(check));
    assert.equal(check.subjectAltName, "DNS:chat.example.test");
  });

  test("refuses a key that does not match the certificate", async () => {
    const other = await issueServerCertificate(ca, names);
    const problems = problemsOf(validateCertificate({ certificatePem: good.chainPem, keyPem: other.keyPem, host: "chat.example.test" }));
    assert.deepEqual(
      problems.map((problem) => problem.code),
      ["KEY_MISMATCH"],
    );
    assert.match(problems[0]?.message ?? "", /private key does not belong to the certificate/);
  });

  test("refuses an expired certificate, saying when it expired", async () => {
    const old = await issueServerCertificate(ca, names, new Date(Date.now() - 800 * DAY_MS));
    const problems = problemsOf(validateCertificate({ certificatePem: old.chainPem, keyPem: old.keyPem, host: "chat.example.test" }));
    assert.deepEqual(
      problems.map((problem) => problem.code),
      ["EXPIRED"],
    );
    assert.match(problems[0]?.message ?? "", /^the certificate expired on \d{4}-/);
  });

  test("refuses a certificate that is not valid yet", async () => {
    const future = await issueServerCertificate(ca, names, new Date(Date.now() + 10 * DAY_MS));
    const problems = problemsOf(validateCertificate({ certificatePem: future.chainPem, keyPem: future.keyPem, host: "chat.example.test" }));
    assert.deepEqual(
      problems.map((problem) => problem.code),
      ["NOT_YET_VALID"],
    );
  });

  test("refuses a certificate for other names, naming what it is for", () => {
    const problems = problemsOf(validateCertificate({ certificatePem: good.chainPem, keyPem: good.keyPem, host: "chat.other.test" }));
    assert.deepEqual(
      problems.map((problem) => problem.code),
      ["NAME_MISMATCH"],
    );
    assert.equal(problems[0]?.message, "the certificate is for DNS:chat.example.test, not for chat.other.test");
    const byAddress = problemsOf(validateCertificate({ certificatePem: good.chainPem, keyPem: good.keyPem, host: "192.0.2.7" }));
    assert.deepEqual(
      byAddress.map((problem) => problem.code),
      ["NAME_MISMATCH"],
    );
  });

  test("refuses a chain with the CA first, or followed by a certificate that did not issue it", () => {
    const [leaf, root] = good.chainPem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
    const reversed = problemsOf(
      validateCertificate({ certificatePem: `${root}\n${leaf}\n`, keyPem: good.keyPem, host: "chat.example.test" }),
    );
    assert.ok(reversed.some((problem) => problem.code === "CHAIN_ORDER" && /put the server certificate first/.test(problem.message)));
    const foreign = problemsOf(
      validateCertificate({ certificatePem: `${leaf}\n${otherCa.certificatePem}`, keyPem: good.keyPem, host: "chat.example.test" }),
    );
    assert.deepEqual(
      foreign.map((problem) => problem.code),
      ["CHAIN_ORDER"],
    );
    assert.match(foreign[0]?.message ?? "", /did not issue certificate 1/);
  });

  test("refuses files that are not a certificate or a key", () => {
    const noCertificate = problemsOf(validateCertificate({ certificatePem: "hello", keyPem: good.keyPem, host: "chat.example.test" }));
    assert.deepEqual(
      noCertificate.map((problem) => problem.code),
      ["CERTIFICATE_UNREADABLE"],
    );
    const noKey = problemsOf(validateCertificate({ certificatePem: good.chainPem, keyPem: "nope", host: "chat.example.test" }));
    assert.deepEqual(
      noKey.map((problem) => problem.code),
      ["KEY_UNREADABLE"],
    );
  });

  test("installs only a valid pair: a refused one writes nothing", async () => {
    const target = join(dir, "own");
    const other = await issueServerCertificate(ca, names);
    await assert.rejects(
      installOwnCertificate(target, { certificatePem: good.chainPem, keyPem: other.keyPem, host: "chat.example.test" }),
      (error: Error) => error instanceof CertificateRejectedError && error.problems[0]?.code === "KEY_MISMATCH",
    );
    assert.equal(existsSync(target), false);
    const installed = await installOwnCertificate(target, {
      certificatePem: good.chainPem,
      keyPem: good.keyPem,
      host: "chat.example.test",
    });
    assert.equal(statSync(installed.keyPath).mode & 0o777, 0o600);
    assert.equal(readFileSync(installed.keyPath, "utf8"), good.keyPem);
  });
});
