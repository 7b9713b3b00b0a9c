// Let's Encrypt by HTTP-01, end to end against a real pebble on loopback: pebble validates through
// the chat server's own plain-HTTP port, the certificate verifies against pebble's root, the server
// serves it after SIGHUP, and renewal (by date and by the schedule) brings a new one.
import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { Agent } from "node:https";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { connect } from "node:tls";
import * as acme from "acme-client";
import { freeLoopbackPort } from "../engines/loopback.ts";
import {
  type AcmeCertificateState,
  type AcmeOptions,
  acmeFiles,
  ensureAcmeCertificate,
  renewalTime,
  scheduleAcmeRenewal,
} from "../network/tls/acme.ts";
import { activateCertificate, activeCertificateFiles } from "../network/tls/active-certificate.ts";
import { ensureLocalServerCertificate, loadOrCreateLocalCa } from "../network/tls/local-ca.ts";
import { finishTls, prepareTls, tlsFolders } from "../network/tls/tls-setup.ts";
import { type Pebble, pebbleInstalled, pebbleOrSkip, startPebble } from "./support/pebble.ts";
import { startTlsChatServer, type TlsChatServer } from "./support/tls-chat-server.ts";

const DOMAIN = "chat.fluxer.test";

/** The serial number of the certificate the server presents for DOMAIN, verified against `ca` only. */
function servedSerial(port: number, ca: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: "127.0.0.1", port, ca, servername: DOMAIN }, () => {
      resolve(socket.getPeerCertificate().serialNumber);
      socket.destroy();
    });
    socket.on("error", reject);
  });
}

function serialOf(state: AcmeCertificateState): string {
  return new X509Certificate(readFileSync(state.chainPath)).serialNumber;
}

describe("ACME HTTP-01 against pebble", { timeout: 120_000 }, () => {
  let dir: string;
  let pebble: Pebble | undefined;
  let server: TlsChatServer | undefined;
  let options: AcmeOptions;
  let root: string;
  let activeDir: string;

  before(async () => {
    if (!pebbleInstalled()) return;
    dir = mkdtempSync(join(tmpdir(), "fluxer-acme-"));
    const redirectPort = await freeLoopbackPort();
    const challengeDir = join(dir, "acme-challenges");
    mkdirSync(challengeDir);
    // Short-lived certificates so the schedule's renewal (at 2/3) comes within the test.
    pebble = await startPebble(dir, { httpPort: redirectPort, validitySeconds: 30 });
    root = await pebble.issuingRoot();
    // pebble's directory is HTTPS under its own test CA: trusted for this process's ACME client only.
    acme.axios.defaults.httpsAgent = new Agent({ ca: pebble.minicaPem });
    acme.axios.defaults.proxy = false;
    // Until the first ACME certificate exists the server runs on a local-CA placeholder.
    const ca = await loadOrCreateLocalCa(join(dir, "local-ca"));
    const placeholder = await ensureLocalServerCertificate(ca, { dnsNames: [DOMAIN], ipAddresses: [] });
    const acmeDir = join(dir, "acme");
    options = {
      directoryUrl: pebble.directoryUrl,
      domain: DOMAIN,
      email: "owner@fluxer.test",
      termsOfServiceAgreed: true,
      dir: acmeDir,
      challengeDir,
      pollMinMs: 200,
    };
    activeDir = join(dir, "active");
    const active = await activateCertificate(activeDir, placeholder);
    server = await startTlsChatServer(
      dir,
      { cert_path: active.chainPath, key_path: active.keyPath, http_redirect_port: redirectPort, acme_challenge_dir: challengeDir },
      { base_domain: DOMAIN },
    );
  });

  after(async () => {
    await server?.stop();
    await pebble?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test("issues a certificate for the domain, validated through the server's challenge path", async (t) => {
    if (!pebbleOrSkip(t) || !server) return;
    const state = await ensureAcmeCertificate(options);
    assert.equal(state.issued, true);
    assert.equal(statSync(state.keyPath).mode & 0o777, 0o600);
    const leaf = new X509Certificate(readFileSync(state.chainPath));
    assert.equal(leaf.subjectAltName, `DNS:${DOMAIN}`);
    const chain = readFileSync(state.chainPath, "utf8").match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
    const last = new X509Certificate(chain.at(-1) ?? "");
    assert.ok(
      last.checkIssued(new X509Certificate(root)) && last.verify(new X509Certificate(root).publicKey),
      "chain ends at pebble's root",
    );
    assert.deepEqual(state.renewAt, renewalTime(leaf));

    await activateCertificate(activeDir, state);
    // The server picks it up on SIGHUP, and a client trusting only pebble's root accepts it.
    server.child.kill("SIGHUP");
    const deadline = Date.now() + 10_000;
    let served = "";
    while (served !== leaf.serialNumber && Date.now() < deadline) {
      served = await servedSerial(server.port, root).catch(() => "");
      if (served !== leaf.serialNumber) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.equal(served, leaf.serialNumber);
  });

  test("keeps the certificate before its renewal time and orders a new one after it", async (t) => {
    if (!pebbleOrSkip(t)) return;
    const leaf = new X509Certificate(readFileSync(acmeFiles(options.dir).chain));
    const kept = await ensureAcmeCertificate(options, new Date(leaf.validFrom));
    assert.equal(kept.issued, false);
    assert.equal(serialOf(kept), leaf.serialNumber);
    const renewed = await ensureAcmeCertificate(options, new Date(renewalTime(leaf).getTime() + 1000));
    assert.equal(renewed.issued, true);
    assert.notEqual(serialOf(renewed), leaf.serialNumber);
  });

  test("the wizard's two steps: a placeholder first, then the ACME certificate activated", async (t) => {
    if (!pebbleOrSkip(t) || !pebble) return;
    const folders = tlsFolders(join(dir, "setup-data"));
    // The running server already answers challenges from options.challengeDir: point the setup at it.
    const sharedFolders = { ...folders, acmeChallenges: options.challengeDir };
    const choice = { mode: "acme" as const, domain: DOMAIN, termsOfServiceAgreed: true, directoryUrl: pebble.directoryUrl };
    await prepareTls(sharedFolders, choice);
    const active = activeCertificateFiles(folders.active);
    const placeholder = new X509Certificate(readFileSync(active.chainPath));
    assert.equal(placeholder.checkIssued(new X509Certificate(root)), false);
    const finished = await finishTls(sharedFolders, choice, { pollMinMs: 200 });
    assert.equal(finished.reload, true);
    const chain = readFileSync(active.chainPath, "utf8").match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
    assert.ok(new X509Certificate(chain.at(-1) ?? "").checkIssued(new X509Certificate(root)), "the active chain now ends at pebble's root");
    assert.equal(new X509Certificate(chain[0] ?? "").subjectAltName, `DNS:${DOMAIN}`);
  });

  test("the renewal schedule renews at 2/3 of the lifetime by itself", async (t) => {
    if (!pebbleOrSkip(t)) return;
    const before = new X509Certificate(readFileSync(acmeFiles(options.dir).chain)).serialNumber;
    const errors: Error[] = [];
    let schedule: { stop(): void } | undefined;
    const renewed = await new Promise<AcmeCertificateState>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no renewal within 60 s; errors: ${errors.map(String).join("; ")}`)), 60_000);
      schedule = scheduleAcmeRenewal(
        options,
        {
          onRenewed: (state) => {
            clearTimeout(timer);
            resolve(state);
          },
          onError: (error) => errors.push(error),
        },
        500,
      );
    }).finally(() => schedule?.stop());
    assert.notEqual(serialOf(renewed), before);
    assert.deepEqual(errors, []);
  });
});
