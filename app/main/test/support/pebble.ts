// pebble (ACME test CA) and pebble-challtestsrv (its test DNS) on loopback, from .engines/.
// Every name resolves to 127.0.0.1 through challtestsrv; pebble never uses the system resolver.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { request } from "node:https";
import { join } from "node:path";
import type { TestContext } from "node:test";
import { fileURLToPath } from "node:url";
import { freeLoopbackPort } from "../../engines/loopback.ts";

const enginesDir = fileURLToPath(new URL("../../../../.engines/", import.meta.url));
const pebbleBinary = join(enginesDir, "bin", "pebble");
const challtestsrvBinary = join(enginesDir, "bin", "pebble-challtestsrv");
const certsDir = join(enginesDir, "pebble", "certs");

export interface Pebble {
  directoryUrl: string;
  /** Trust for pebble's own HTTPS (directory, management). */
  minicaPem: string;
  /** The root that signs the certificates pebble issues (new each run). */
  issuingRoot(): Promise<string>;
  stop(): Promise<void>;
}

export function pebbleInstalled(): boolean {
  return existsSync(pebbleBinary) && existsSync(challtestsrvBinary) && existsSync(join(certsDir, "pebble.minica.pem"));
}

/** True when pebble is installed; otherwise skips (REQUIRE_ENGINES=1: fails, pebble is installable here). */
export function pebbleOrSkip(t: TestContext): boolean {
  if (pebbleInstalled()) return true;
  const message = "pebble not installed in .engines/ (run scripts/install-engines.sh)";
  if (process.env.REQUIRE_ENGINES === "1") throw new Error(`REQUIRE_ENGINES=1 but ${message}`);
  console.log(`SKIPPED: ${message}`);
  t.skip(message);
  return false;
}

/** Starts both on free loopback ports; pebble validates HTTP-01 on `httpPort` of 127.0.0.1. */
export async function startPebble(dir: string, options: { httpPort: number; validitySeconds: number }): Promise<Pebble> {
  const [dnsPort, challManagementPort, listenPort, managementPort, tlsPort] = await Promise.all(
    Array.from({ length: 5 }, () => freeLoopbackPort()),
  );
  const children: ChildProcess[] = [];
  const logs: string[] = [];
  const launch = (binary: string, args: string[], env: NodeJS.ProcessEnv = {}) => {
    const child = spawn(binary, args, { cwd: dir, stdio: ["ignore", "pipe", "pipe"], env: { PATH: process.env.PATH, ...env } });
    child.stdout?.on("data", (chunk) => logs.push(String(chunk)));
    child.stderr?.on("data", (chunk) => logs.push(String(chunk)));
    children.push(child);
  };
  launch(challtestsrvBinary, [
    "-dnsserver",
    `127.0.0.1:${dnsPort}`,
    "-management",
    `127.0.0.1:${challManagementPort}`,
    "-defaultIPv4",
    "127.0.0.1",
    "-defaultIPv6",
    "",
    "-http01",
    "",
    "-https01",
    "",
    "-tlsalpn01",
    "",
    "-doh",
    "",
  ]);
  const config = {
    pebble: {
      listenAddress: `127.0.0.1:${listenPort}`,
      managementListenAddress: `127.0.0.1:${managementPort}`,
      certificate: join(certsDir, "localhost", "cert.pem"),
      privateKey: join(certsDir, "localhost", "key.pem"),
      httpPort: options.httpPort,
      tlsPort,
      ocspResponderURL: "",
      externalAccountBindingRequired: false,
      retryAfter: { authz: 1, order: 1 },
      keyAlgorithm: "ecdsa",
      profiles: { default: { description: "test", validityPeriod: options.validitySeconds } },
    },
  };
  writeFileSync(join(dir, "pebble-config.json"), JSON.stringify(config));
  // No random sleeps before validation, no random nonce rejections: the test waits less, proves the same.
  launch(pebbleBinary, ["-config", join(dir, "pebble-config.json"), "-dnsserver", `127.0.0.1:${dnsPort}`], {
    PEBBLE_VA_NOSLEEP: "1",
    PEBBLE_WFE_NONCEREJECT: "0",
    // Every order proves control again, so renewals exercise the challenge path too.
    PEBBLE_AUTHZREUSE: "0",
  });
  const minicaPem = readFileSync(join(certsDir, "pebble.minica.pem"), "utf8");
  const directoryUrl = `https://127.0.0.1:${listenPort}/dir`;
  const stop = async () => {
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((resolve) => {
            if (child.exitCode !== null || child.signalCode !== null) return resolve();
            child.once("exit", () => resolve());
            child.kill("SIGTERM");
          }),
      ),
    );
  };
  const deadline = Date.now() + 20_000;
  while (!(await httpsText(directoryUrl, minicaPem).catch(() => undefined))) {
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`pebble did not serve its directory in 20 s:\n${logs.join("")}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return {
    directoryUrl,
    minicaPem,
    issuingRoot: () => httpsText(`https://127.0.0.1:${managementPort}/roots/0`, minicaPem),
    stop,
  };
}

function httpsText(url: string, ca: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { ca, timeout: 5000, headers: { "user-agent": "fluxer-appliance-test" } }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () =>
        response.statusCode === 200 ? resolve(Buffer.concat(chunks).toString("utf8")) : reject(new Error(`${url}: ${response.statusCode}`)),
      );
    });
    outgoing.on("timeout", () => outgoing.destroy(new Error(`timeout: ${url}`)));
    outgoing.on("error", reject);
    outgoing.end();
  });
}
