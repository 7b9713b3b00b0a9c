/**
 * The server serving TLS itself: REST over https and the gateway over wss with only the test CA as
 * trust, the plain-HTTP port answering 308 except for ACME challenges, the public URLs in https,
 * a certificate swapped without a restart, and clear start-up errors for unusable files.
 */
import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { connect, type PeerCertificate } from "node:tls";
import WebSocket from "ws";
import { type ConfigInput, parseConfig } from "../../src/config.ts";
import { readTlsFiles, reloadTlsCertificate } from "../../src/http/tls.ts";
import { StartupError } from "../../src/startup-checks.ts";
import { registerUser, startTestServer, type TestServer } from "../support/harness.ts";
import { makeTestCertificates, type TestCertificates } from "../support/test-certificates.ts";

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function fetchOver(request: typeof httpsRequest | typeof httpRequest, url: string, options: Record<string, unknown> = {}) {
  return new Promise<Answer>((resolve, reject) => {
    const outgoing = request(url, { ...options, timeout: 10_000 }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () =>
        resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString("utf8") }),
      );
    });
    outgoing.on("timeout", () => outgoing.destroy(new Error(`timeout: ${url}`)));
    outgoing.on("error", reject);
    outgoing.end();
  });
}

function peerCertificate(port: number, ca: string): Promise<PeerCertificate> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port, ca, servername: "chat.test" }, () => {
      resolve(socket.getPeerCertificate());
      socket.end();
    });
    socket.on("error", reject);
  });
}

describe("server TLS", () => {
  let server: TestServer;
  let files: string;
  let certificates: TestCertificates;
  let httpsPort: number;
  let redirectPort: number;
  let tlsConfig: {
    cert_path: string;
    key_path: string;
    http_redirect_port: number;
    acme_challenge_dir: string;
    ca_certificate_path: string;
  };

  before(async () => {
    files = mkdtempSync(join(tmpdir(), "fluxer-tls-"));
    certificates = await makeTestCertificates(["chat.test", "localhost"], ["127.0.0.1"]);
    writeFileSync(join(files, "chain.pem"), certificates.chainPem);
    writeFileSync(join(files, "key.pem"), certificates.keyPem);
    mkdirSync(join(files, "challenges"));
    tlsConfig = {
      cert_path: join(files, "chain.pem"),
      key_path: join(files, "key.pem"),
      http_redirect_port: 0,
      acme_challenge_dir: join(files, "challenges"),
      ca_certificate_path: join(files, "ca.pem"),
    };
    writeFileSync(tlsConfig.ca_certificate_path, certificates.caPem);
    server = await startTestServer({ services: { server: { port: 0, tls: tlsConfig } } });
    await server.app.listen({ host: "127.0.0.1", port: 0 });
    httpsPort = (server.app.server.address() as AddressInfo).port;
    redirectPort = (server.app.plainHttp!.address() as AddressInfo).port;
  });

  after(async () => {
    await server?.close();
    rmSync(files, { recursive: true, force: true });
  });

  it("answers REST over https with the test CA as the only trust, and says https in its discovery", async () => {
    const answer = await fetchOver(httpsRequest, `https://127.0.0.1:${httpsPort}/.well-known/fluxer`, { ca: certificates.caPem });
    assert.equal(answer.status, 200);
    const discovery = JSON.parse(answer.body);
    assert.equal(discovery.endpoints.api, `https://127.0.0.1:${httpsPort}/api`);
    assert.equal(discovery.endpoints.gateway, `wss://127.0.0.1:${httpsPort}/gateway`);
  });

  it("is refused by a client that does not trust the CA", async () => {
    await assert.rejects(fetchOver(httpsRequest, `https://127.0.0.1:${httpsPort}/_health`), (error: Error) =>
      /self-signed|unable to (get|verify)/i.test(error.message),
    );
  });

  it("opens the gateway over wss and sends READY for a registered user", async () => {
    const user = await registerUser(server);
    const socket = new WebSocket(`wss://127.0.0.1:${httpsPort}/gateway?v=1&encoding=json`, { ca: certificates.caPem });
    const ready = await new Promise<any>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("no READY within 10 s")), 10_000);
      socket.on("error", reject);
      socket.on("message", (data) => {
        const frame = JSON.parse(String(data));
        if (frame.op === 10)
          socket.send(JSON.stringify({ op: 2, d: { token: user.token, properties: { os: "linux", browser: "test", device: "test" } } }));
        if (frame.t === "READY") {
          clearTimeout(timer);
          resolve(frame.d);
        }
      });
    });
    socket.close();
    assert.equal(ready.user.id, user.id);
  });

  it("sends plain HTTP to HTTPS with 308, path and query kept", async () => {
    const answer = await fetchOver(httpRequest, `http://127.0.0.1:${redirectPort}/channels/@me?x=1`);
    assert.equal(answer.status, 308);
    assert.equal(answer.headers.location, `https://127.0.0.1:${httpsPort}/channels/@me?x=1`);
  });

  it("ignores a forged Host header when redirecting", async () => {
    const answer = await fetchOver(httpRequest, `http://127.0.0.1:${redirectPort}/`, { headers: { host: "evil.test" } });
    assert.equal(answer.headers.location, `https://127.0.0.1:${httpsPort}/`);
  });

  it("serves ACME challenges from the challenge folder over plain HTTP, and 404 for unknown or unsafe tokens", async () => {
    writeFileSync(join(files, "challenges", "tok-EN_1"), "tok-EN_1.thumbprint");
    const found = await fetchOver(httpRequest, `http://127.0.0.1:${redirectPort}/.well-known/acme-challenge/tok-EN_1`);
    assert.equal(found.status, 200);
    assert.equal(found.body, "tok-EN_1.thumbprint");
    const missing = await fetchOver(httpRequest, `http://127.0.0.1:${redirectPort}/.well-known/acme-challenge/nope`);
    assert.equal(missing.status, 404);
    const traversal = await fetchOver(httpRequest, `http://127.0.0.1:${redirectPort}/.well-known/acme-challenge/..%2Fchain.pem`);
    assert.equal(traversal.status, 404);
  });

  it("offers the CA certificate for download as PEM over https and as DER over plain HTTP", async () => {
    const pem = await fetchOver(httpsRequest, `https://127.0.0.1:${httpsPort}/_tls/ca.pem`, { ca: certificates.caPem });
    assert.equal(pem.status, 200);
    assert.equal(pem.headers["content-type"], "application/x-pem-file");
    const expected = new X509Certificate(certificates.caPem);
    assert.equal(new X509Certificate(pem.body).fingerprint256, expected.fingerprint256);
    const der = await new Promise<Buffer>((resolve, reject) => {
      httpRequest(`http://127.0.0.1:${redirectPort}/_tls/ca.der`, (response) => {
        assert.equal(response.statusCode, 200);
        assert.equal(response.headers["content-type"], "application/x-x509-ca-cert");
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => resolve(Buffer.concat(chunks)));
      })
        .on("error", reject)
        .end();
    });
    assert.equal(new X509Certificate(der).fingerprint256, expected.fingerprint256);
  });

  it("swaps in a renewed certificate without a restart", async () => {
    const renewed = await makeTestCertificates(["chat.test"], ["127.0.0.1"]);
    writeFileSync(tlsConfig.cert_path, renewed.chainPem);
    writeFileSync(tlsConfig.key_path, renewed.keyPem);
    reloadTlsCertificate(server.app, parseConfig({ services: { server: { tls: tlsConfig } } }).services.server.tls!);
    const seen = await peerCertificate(httpsPort, renewed.caPem);
    assert.deepEqual(seen.subjectaltname, "DNS:chat.test, IP Address:127.0.0.1");
    await assert.rejects(peerCertificate(httpsPort, certificates.caPem));
  });
});

describe("server TLS start-up errors", () => {
  const tlsOf = (input: ConfigInput) => parseConfig(input).services.server.tls!;

  it("names the file that cannot be read", () => {
    const dir = mkdtempSync(join(tmpdir(), "fluxer-tls-"));
    const tls = tlsOf({ services: { server: { tls: { cert_path: join(dir, "none.pem"), key_path: join(dir, "none.key") } } } });
    assert.throws(
      () => readTlsFiles(tls),
      (error: Error) => error instanceof StartupError && error.message.includes("none.pem") && /ENOENT/.test(error.message),
    );
    rmSync(dir, { recursive: true, force: true });
  });

  it("refuses a key that belongs to another certificate", async () => {
    const dir = mkdtempSync(join(tmpdir(), "fluxer-tls-"));
    const one = await makeTestCertificates(["a.test"]);
    const other = await makeTestCertificates(["a.test"]);
    writeFileSync(join(dir, "chain.pem"), one.chainPem);
    writeFileSync(join(dir, "key.pem"), other.keyPem);
    const tls = tlsOf({ services: { server: { tls: { cert_path: join(dir, "chain.pem"), key_path: join(dir, "key.pem") } } } });
    assert.throws(
      () => readTlsFiles(tls),
      (error: Error) => error instanceof StartupError && /not a usable certificate and key/.test(error.message),
    );
    rmSync(dir, { recursive: true, force: true });
  });
});
