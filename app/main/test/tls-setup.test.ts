// The TLS choice applied: files per mode, the server keys the chat server really starts with, and a
// refused own certificate that leaves what runs untouched.
import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { connect } from "node:tls";
import { issueServerCertificate, loadOrCreateLocalCa } from "../network/tls/local-ca.ts";
import { prepareTls, type TlsFolders, tlsFolders, tlsServerKeys } from "../network/tls/tls-setup.ts";
import { CertificateRejectedError } from "../network/tls/validate-certificate.ts";
import { httpsGet, startTlsChatServer, type TlsFilesConfig } from "./support/tls-chat-server.ts";

function servedSerial(port: number, ca: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port, ca, servername: "chat.lan" }, () => {
      resolve(socket.getPeerCertificate().serialNumber);
      socket.destroy();
    });
    socket.on("error", reject);
  });
}

describe("TLS setup", () => {
  let dir: string;
  let folders: TlsFolders;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), "fluxer-tls-setup-"));
    folders = tlsFolders(join(dir, "data"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("no TLS and reverse-proxy modes give the server no certificate", async () => {
    assert.deepEqual(tlsServerKeys(folders, { mode: "none" }), {});
    assert.deepEqual(tlsServerKeys(folders, { mode: "reverse-proxy", trustedProxies: ["10.0.0.2"] }), { trusted_proxies: ["10.0.0.2"] });
    assert.deepEqual(await prepareTls(folders, { mode: "reverse-proxy", trustedProxies: ["10.0.0.2"] }), {});
  });

  test("local CA: the server starts with the keys and serves a certificate the downloadable CA verifies", async () => {
    const choice = { mode: "local-ca" as const, dnsNames: ["chat.lan"], ipAddresses: ["127.0.0.1"] };
    const prepared = await prepareTls(folders, choice);
    assert.match(prepared.caFingerprint ?? "", /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    const keys = tlsServerKeys(folders, choice) as { tls: TlsFilesConfig & { ca_certificate_path: string } };
    const server = await startTlsChatServer(dir, keys.tls);
    try {
      const download = await httpsGet(`https://127.0.0.1:${server.port}/_tls/ca.pem`, readFileSync(keys.tls.ca_certificate_path, "utf8"));
      assert.equal(download.status, 200);
      assert.equal(new X509Certificate(download.body).fingerprint256, prepared.caFingerprint);
      const health = await httpsGet(`https://127.0.0.1:${server.port}/_health`, download.body, "chat.lan");
      assert.equal(health.status, 200);
    } finally {
      await server.stop();
    }
  });

  test("SIGHUP: the server keeps its pair when the new files are unusable, and takes a good new pair", async () => {
    const choice = { mode: "local-ca" as const, dnsNames: ["chat.lan"], ipAddresses: ["127.0.0.1"] };
    await prepareTls(folders, choice);
    const keys = tlsServerKeys(folders, choice) as { tls: TlsFilesConfig & { ca_certificate_path: string } };
    const ca = readFileSync(keys.tls.ca_certificate_path, "utf8");
    const server = await startTlsChatServer(dir, keys.tls);
    try {
      const first = await servedSerial(server.port, ca);
      const goodKey = readFileSync(keys.tls.key_path, "utf8");
      writeFileSync(keys.tls.key_path, "not a key");
      server.child.kill("SIGHUP");
      // A good pair after the bad one: the serial we see next tells which SIGHUP took effect.
      assert.equal(await servedSerial(server.port, ca), first);
      writeFileSync(keys.tls.key_path, goodKey);
      const renewed = await issueServerCertificate(await loadOrCreateLocalCa(folders.localCa), choice);
      writeFileSync(keys.tls.cert_path, renewed.chainPem);
      writeFileSync(keys.tls.key_path, renewed.keyPem);
      server.child.kill("SIGHUP");
      const expected = new X509Certificate(renewed.chainPem).serialNumber;
      let seen = first;
      for (let attempt = 0; attempt < 100 && seen !== expected; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        seen = await servedSerial(server.port, ca);
      }
      assert.equal(seen, expected);
      assert.equal(server.child.exitCode, null, "the server is still running");
    } finally {
      await server.stop();
    }
  });

  test("own certificate: a refused pair leaves the active one as it was; an accepted one replaces it", async () => {
    const active = tlsServerKeys(folders, { mode: "own", certificatePem: "", keyPem: "", host: "" }) as { tls: TlsFilesConfig };
    const before = readFileSync(active.tls.cert_path, "utf8");
    const otherCa = await loadOrCreateLocalCa(join(dir, "elsewhere"));
    const pair = await issueServerCertificate(otherCa, { dnsNames: ["chat.example.test"], ipAddresses: [] });
    const stranger = await issueServerCertificate(otherCa, { dnsNames: ["chat.example.test"], ipAddresses: [] });
    await assert.rejects(
      prepareTls(folders, { mode: "own", certificatePem: pair.chainPem, keyPem: stranger.keyPem, host: "chat.example.test" }),
      CertificateRejectedError,
    );
    await assert.rejects(
      prepareTls(folders, { mode: "own", certificatePem: pair.chainPem, keyPem: pair.keyPem, host: "other.example.test" }),
      /not for other\.example\.test/,
    );
    assert.equal(readFileSync(active.tls.cert_path, "utf8"), before);
    await prepareTls(folders, { mode: "own", certificatePem: pair.chainPem, keyPem: pair.keyPem, host: "chat.example.test" });
    assert.equal(new X509Certificate(readFileSync(active.tls.cert_path)).subjectAltName, "DNS:chat.example.test");
    assert.equal(readFileSync(active.tls.key_path, "utf8"), pair.keyPem);
  });

  test("ACME before its certificate exists: a local-CA placeholder for the domain, and the challenge folder configured", async () => {
    const choice = { mode: "acme" as const, domain: "chat.fluxer.test", termsOfServiceAgreed: true };
    await prepareTls(folders, choice);
    const keys = tlsServerKeys(folders, choice, 8081) as { tls: TlsFilesConfig };
    assert.equal(keys.tls.acme_challenge_dir, folders.acmeChallenges);
    assert.equal(keys.tls.http_redirect_port, 8081);
    assert.equal(new X509Certificate(readFileSync(keys.tls.cert_path)).subjectAltName, "DNS:chat.fluxer.test");
  });
});
