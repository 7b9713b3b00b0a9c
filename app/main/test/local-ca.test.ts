// The local CA: files and modes, the issued chain verified by Node's TLS against the CA alone,
// SANs, renewal, and a real HTTPS request to the chat server trusting only the CA.
import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { connect, createServer, type PeerCertificate } from "node:tls";
import { ensureLocalServerCertificate, type LocalCa, loadOrCreateLocalCa, SERVER_LIFETIME_DAYS } from "../network/tls/local-ca.ts";
import { InvalidNameError } from "../network/tls/server-names.ts";
import { httpsGet, startTlsChatServer } from "./support/tls-chat-server.ts";

const DAY_MS = 86_400_000;

/** A TLS handshake with `ca` as the only trust, naming `servername`; resolves with the verified peer. */
function handshake(chainPem: string, keyPem: string, ca: string, servername: string): Promise<PeerCertificate> {
  const server = createServer({ cert: chainPem, key: keyPem }, (socket) => socket.end());
  return new Promise((resolve, reject) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      const socket = connect({ host: "127.0.0.1", port, ca, servername }, () => {
        const peer = socket.getPeerCertificate(true);
        socket.destroy();
        server.close();
        resolve(peer);
      });
      socket.on("error", (error) => {
        server.close();
        reject(error);
      });
    });
  });
}

describe("local certificate authority", () => {
  let dir: string;
  let ca: LocalCa;
  const names = { dnsNames: ["Chat.LAN", "fluxer.local"], ipAddresses: ["127.0.0.1", "192.168.50.10"] };

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), "fluxer-ca-"));
    ca = await loadOrCreateLocalCa(join(dir, "local-ca"));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test("keeps the CA key owner-only and offers the certificate as PEM and DER", () => {
    assert.equal(statSync(ca.files.caKey).mode & 0o777, 0o600);
    const fromPem = new X509Certificate(readFileSync(ca.files.caCertificate));
    const fromDer = new X509Certificate(ca.certificateDer);
    assert.equal(fromDer.fingerprint256, fromPem.fingerprint256);
    assert.equal(ca.fingerprint, fromPem.fingerprint256);
    assert.ok(fromPem.ca, "the CA certificate says CA:TRUE");
    assert.match(fromPem.subject, /Fluxer Appliance local CA/);
  });

  test("loads the same CA on the next start instead of making a new one", async () => {
    const again = await loadOrCreateLocalCa(join(dir, "local-ca"));
    assert.equal(again.fingerprint, ca.fingerprint);
  });

  test("issues a server certificate whose chain verifies against the CA alone, with the chosen SANs", async () => {
    const state = await ensureLocalServerCertificate(ca, names);
    assert.equal(state.issued, true);
    assert.equal(statSync(state.keyPath).mode & 0o777, 0o600);
    const chain = readFileSync(state.chainPath, "utf8");
    const key = readFileSync(state.keyPath, "utf8");
    const peer = await handshake(chain, key, ca.certificatePem, "chat.lan");
    assert.equal(peer.subjectaltname, "DNS:chat.lan, DNS:fluxer.local, IP Address:127.0.0.1, IP Address:192.168.50.10");
    const leaf = new X509Certificate(chain);
    assert.ok(leaf.checkIssued(new X509Certificate(ca.certificatePem)));
    assert.equal(leaf.ca, false);
    const lifetimeDays = (Date.parse(leaf.validTo) - Date.parse(leaf.validFrom)) / DAY_MS;
    assert.ok(lifetimeDays <= SERVER_LIFETIME_DAYS + 1, `lifetime ${lifetimeDays} days`);
  });

  test("refuses a name the certificate was not issued for", async () => {
    const state = await ensureLocalServerCertificate(ca, names);
    const chain = readFileSync(state.chainPath, "utf8");
    const key = readFileSync(state.keyPath, "utf8");
    await assert.rejects(handshake(chain, key, ca.certificatePem, "other.lan"), /does not match|not in the cert's altnames/i);
  });

  test("keeps a valid certificate, and reissues when names change or 2/3 of the lifetime has passed", async () => {
    const first = await ensureLocalServerCertificate(ca, names);
    const kept = await ensureLocalServerCertificate(ca, { ...names, dnsNames: ["fluxer.local", "chat.lan"] });
    assert.equal(kept.issued, false);
    assert.equal(kept.notAfter.getTime(), first.notAfter.getTime());
    const renamed = await ensureLocalServerCertificate(ca, { dnsNames: ["chat.lan"], ipAddresses: ["127.0.0.1"] });
    assert.equal(renamed.issued, true);
    assert.equal(new X509Certificate(readFileSync(renamed.chainPath)).subjectAltName, "DNS:chat.lan, IP Address:127.0.0.1");
    const later = new Date(Date.now() + Math.ceil((SERVER_LIFETIME_DAYS * 2) / 3 + 1) * DAY_MS);
    const renewed = await ensureLocalServerCertificate(ca, { dnsNames: ["chat.lan"], ipAddresses: ["127.0.0.1"] }, later);
    assert.equal(renewed.issued, true);
    assert.ok(renewed.notAfter.getTime() > renamed.notAfter.getTime());
  });

  test("refuses names that are not DNS names or addresses, naming the bad one", async () => {
    await assert.rejects(
      ensureLocalServerCertificate(ca, { dnsNames: ["bad_name!"], ipAddresses: [] }),
      (error: Error) => error instanceof InvalidNameError && error.message.includes("bad_name!"),
    );
    await assert.rejects(
      ensureLocalServerCertificate(ca, { dnsNames: [], ipAddresses: ["300.1.1.1"] }),
      (error: Error) => error instanceof InvalidNameError && error.message.includes("300.1.1.1"),
    );
    await assert.rejects(ensureLocalServerCertificate(ca, { dnsNames: [], ipAddresses: [] }), InvalidNameError);
  });

  test("the chat server serves the issued certificate: a real HTTPS request with the CA as the only trust", async () => {
    const state = await ensureLocalServerCertificate(ca, { dnsNames: ["chat.lan"], ipAddresses: ["127.0.0.1"] });
    const server = await startTlsChatServer(join(dir), { cert_path: state.chainPath, key_path: state.keyPath });
    try {
      const byAddress = await httpsGet(`https://127.0.0.1:${server.port}/.well-known/fluxer`, ca.certificatePem);
      assert.equal(byAddress.status, 200);
      assert.equal(JSON.parse(byAddress.body).endpoints.gateway, `wss://127.0.0.1:${server.port}/gateway`);
      const byName = await httpsGet(`https://127.0.0.1:${server.port}/_health`, ca.certificatePem, "chat.lan");
      assert.equal(byName.status, 200);
    } finally {
      await server.stop();
    }
  });
});
