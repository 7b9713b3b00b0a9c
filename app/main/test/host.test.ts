// The host against a real Valkey (valkey-server or redis-server) and the real chat server.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { VALKEY_BINARIES } from "../engines/valkey.engine.ts";
import { BUILT_SERVER, createHost, type Host } from "../host.ts";
import { HostLockedError } from "../host-lock.ts";
import { resolveHostPaths } from "../paths.ts";
import { readSettings } from "../settings/settings-file.ts";
import { machineFacts, sizeFor } from "../sizing.ts";
import type { UnitStatus } from "../supervisor/unit.ts";
import { engineOrSkip } from "./support/engines.ts";
import { valkeyExchange } from "./support/resp.ts";
import { ensureServerBuilt } from "./support/server-build.ts";

const TEST_SERVER_CONFIG = { dev: { password_hash_cost: "fast" } };

function hostOn(home: string, extra: Parameters<typeof createHost>[0] = {}): Host {
  return createHost({
    paths: resolveHostPaths({ env: { FLUXER_HOME: home }, platform: process.platform, home }),
    serverConfigOverrides: TEST_SERVER_CONFIG,
    restart: { initialDelayMs: 200, maxDelayMs: 1000 },
    ...extra,
  });
}

const unitNamed = (host: Host, name: string) => host.status().processes.find((unit) => unit.name === name);

function waitForStatus(host: Host, name: string, accept: (status: UnitStatus) => boolean, timeoutMs = 20_000): Promise<UnitStatus> {
  const unit = host.supervisor().unit(name);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`${name}: no matching status in ${timeoutMs} ms (now ${unit.status().state})`)),
      timeoutMs,
    );
    const check = (status: UnitStatus) => {
      if (!accept(status)) return;
      clearTimeout(timer);
      unit.off("status", check);
      resolve(status);
    };
    unit.on("status", check);
    check(unit.status());
  });
}

async function health(host: Host): Promise<number> {
  return (await fetch(new URL("/_health", host.status().chatUrl))).status;
}

describe("the host with a managed Valkey", () => {
  let home: string;
  let host: Host;
  let available = true;

  before(async (t) => {
    available = engineOrSkip(VALKEY_BINARIES, t as never);
    home = mkdtempSync(join(tmpdir(), "fluxer-host-"));
    if (!available) return;
    host = hostOn(home);
    await host.start();
  });
  after(async () => {
    if (available) await host.stop();
    rmSync(home, { recursive: true, force: true });
  });

  test("starts Valkey on loopback with a password and a memory cap, then the server", async (t) => {
    if (!available) return t.skip("no valkey");
    const valkey = unitNamed(host, "valkey");
    assert.equal(valkey?.state, "running");
    assert.equal(unitNamed(host, "server")?.state, "running");
    const password = readSettings(host.paths.settingsFile)!.secrets.valkey_password;
    assert.match(await valkeyExchange(valkey!.port!, undefined, ["PING"]), /^-NOAUTH/);
    assert.match(await valkeyExchange(valkey!.port!, password, ["PING"]), /^\+OK\r\n\+PONG\r\n$/);
    const config = await valkeyExchange(valkey!.port!, password, ["CONFIG", "GET", "maxmemory-policy"]);
    assert.match(config, /allkeys-lru/);
    const file = readFileSync(join(host.paths.run, "valkey.conf"), "utf8");
    assert.match(file, /^bind 127\.0\.0\.1$/m);
    assert.match(file, /^maxmemory \d+mb$/m);
    assert.match(file, /^save ""$/m);
    assert.equal(await health(host), 200);
  });

  test("a second host on the same home is refused while the first runs", async (t) => {
    if (!available) return t.skip("no valkey");
    const second = hostOn(home);
    // Stopped in any case: a second host that did start would keep the test process alive.
    t.after(() => second.stop());
    await assert.rejects(second.start(), (error: Error) => error instanceof HostLockedError && error.message.includes(String(process.pid)));
    assert.equal(unitNamed(host, "server")?.state, "running");
  });

  test("the server runs with the sized heap and thread pool", { skip: process.platform !== "linux" && "reads /proc" }, async (t) => {
    if (!available) return t.skip("no valkey");
    const pid = unitNamed(host, "server")!.pid!;
    const sizing = sizeFor(machineFacts());
    const argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
    assert.ok(argv.includes(`--max-old-space-size=${sizing.serverHeapMb}`), argv.join(" "));
    const environ = readFileSync(`/proc/${pid}/environ`, "utf8").split("\0");
    assert.ok(environ.includes(`UV_THREADPOOL_SIZE=${sizing.uvThreadpoolSize}`));
  });

  test("the server keeps its rate limits in the managed Valkey", async (t) => {
    if (!available) return t.skip("no valkey");
    const password = readSettings(host.paths.settingsFile)!.secrets.valkey_password;
    const response = await fetch(new URL("/api/v1/users/@me", host.status().chatUrl));
    assert.ok(response.headers.get("x-ratelimit-limit"), "rate-limited route");
    assert.match(await valkeyExchange(unitNamed(host, "valkey")!.port!, password, ["DBSIZE"]), /:[1-9]\d*\r\n$/);
  });

  test("kill -9 of Valkey: restarted after the backoff while the server keeps answering", async (t) => {
    if (!available) return t.skip("no valkey");
    const before = unitNamed(host, "valkey")!;
    const restarting = waitForStatus(host, "valkey", (status) => status.state === "restarting");
    process.kill(before.pid!, "SIGKILL");
    const during = await restarting;
    assert.deepEqual(during.lastExit, { code: null, signal: "SIGKILL" });
    assert.equal(await health(host), 200);
    const back = await waitForStatus(host, "valkey", (status) => status.state === "running");
    assert.notEqual(back.pid, before.pid);
    assert.equal(back.port, before.port);
    assert.equal(back.restarts, before.restarts + 1);
    assert.equal(await health(host), 200);
    assert.equal(unitNamed(host, "server")?.state, "running");
    assert.equal(unitNamed(host, "server")?.restarts, 0);
    // The server's client reconnects to the new Valkey and uses it again.
    const password = readSettings(host.paths.settingsFile)!.secrets.valkey_password;
    const reconnected = async () => {
      for (let attempt = 0; attempt < 50; attempt++) {
        await fetch(new URL("/api/v1/users/@me", host.status().chatUrl));
        if (/:[1-9]\d*\r\n$/.test(await valkeyExchange(back.port!, password, ["DBSIZE"]))) return true;
        await new Promise((r) => setTimeout(r, 200));
      }
      return false;
    };
    assert.equal(await reconnected(), true);
  });

  test("stop ends both in reverse order, and each process's output is in its log file", async (t) => {
    if (!available) return t.skip("no valkey");
    const order: string[] = [];
    for (const unit of host.supervisor().units) {
      unit.on("status", (status) => {
        if (status.state === "stopped") order.push(status.name);
      });
    }
    const stopped = await host.stop();
    assert.deepEqual(order, ["server", "valkey"]);
    assert.deepEqual(
      stopped.map((unit) => unit.state),
      ["stopped", "stopped"],
    );
    assert.match(readFileSync(join(host.paths.logs, "valkey.log"), "utf8"), /Ready to accept connections/);
    const serverLog = readFileSync(join(host.paths.logs, "server.log"), "utf8");
    assert.match(serverLog, /Server listening at http:\/\/127\.0\.0\.1:\d+/);
    // The server was asked over IPC and closed by itself, not by a signal.
    assert.match(serverLog, /shutdown requested by parent: shutting down/);
    assert.deepEqual(stopped[1]?.lastExit, { code: 0, signal: null });
  });
});

test("with no Valkey binary anywhere, Valkey is reported missing and the server runs without it", async () => {
  const home = mkdtempSync(join(tmpdir(), "fluxer-host-missing-"));
  const host = hostOn(home, { enginePath: "", resourcesDir: join(home, "no-resources") });
  try {
    const status = await host.start();
    const valkey = status.processes.find((unit) => unit.name === "valkey");
    assert.equal(valkey?.state, "missing");
    assert.match(valkey?.reason ?? "", /valkey-server or redis-server/);
    assert.equal(unitNamed(host, "server")?.state, "running");
    assert.equal(await health(host), 200);
    const config = JSON.parse(readFileSync(join(host.paths.run, "server.config.json"), "utf8"));
    assert.equal(config.internal.kv, undefined);
    assert.equal(config.services.server.host, "127.0.0.1");
  } finally {
    await host.stop();
    rmSync(home, { recursive: true, force: true });
  }
});

test("the host forks the built server with plain node (no tsx)", { skip: process.platform !== "linux" && "reads /proc" }, async () => {
  ensureServerBuilt();
  const home = mkdtempSync(join(tmpdir(), "fluxer-host-built-"));
  const host = hostOn(home, { serverEntry: BUILT_SERVER, enginePath: "", resourcesDir: join(home, "no-resources") });
  try {
    await host.start();
    const server = unitNamed(host, "server")!;
    assert.equal(server.state, "running");
    const argv = readFileSync(`/proc/${server.pid}/cmdline`, "utf8").split("\0");
    assert.ok(argv.includes(BUILT_SERVER.file), argv.join(" "));
    assert.ok(!argv.some((arg) => arg.includes("tsx")), argv.join(" "));
    assert.equal(await health(host), 200);
  } finally {
    await host.stop();
    rmSync(home, { recursive: true, force: true });
  }
});
