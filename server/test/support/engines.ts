// Real engines for tests: each test starts its own redis/valkey or nats-server on loopback
// and a free port, so nothing depends on (or disturbs) a system service.
import { type ChildProcess, spawn } from "node:child_process";
import { accessSync, constants, mkdtempSync, rmSync } from "node:fs";
import { createConnection, createServer } from "node:net";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import type { TestContext } from "node:test";

const HOST = "127.0.0.1";
const READY_TIMEOUT_MS = 15_000;

export interface RunningEngine {
  url: string;
  port: number;
  stop(): Promise<void>;
}

// Engine name → binaries to try, in order of preference (the host prefers valkey too).
const ENGINE_BINARIES: Record<string, string[]> = {
  redis: ["valkey-server", "redis-server"],
  valkey: ["valkey-server", "redis-server"],
  nats: ["nats-server"],
};

export function findBinary(names: string[]): string | null {
  // Debian puts some servers in sbin, which a non-root PATH often lacks.
  const dirs = [...(process.env.PATH ?? "").split(delimiter).filter(Boolean), "/usr/bin", "/usr/sbin"];
  for (const name of names) {
    for (const dir of dirs) {
      const candidate = join(dir, name);
      try {
        accessSync(candidate, constants.X_OK);
        return candidate;
      } catch {
        // not here; keep looking
      }
    }
  }
  return null;
}

function binariesFor(name: string): string[] {
  return ENGINE_BINARIES[name] ?? [name];
}

// Returns true when the engine is there; otherwise skips the test (or fails it under CI).
export function engineOrSkip(name: string, t: TestContext): boolean {
  if (findBinary(binariesFor(name))) return true;
  const message = `${name} not installed (run scripts/install-engines.sh)`;
  if (process.env.REQUIRE_ENGINES === "1") {
    throw new Error(`REQUIRE_ENGINES=1 but ${message}`);
  }
  console.log(`SKIPPED: ${message}`);
  t.skip(message);
  return false;
}

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

// Sends `request` (if any) and resolves true once the reply contains `expect`.
function probe(port: number, expect: string, request?: string): Promise<boolean> {
  return new Promise((resolveProbe) => {
    const socket = createConnection({ host: HOST, port });
    let received = "";
    const finish = (ok: boolean) => {
      socket.destroy();
      resolveProbe(ok);
    };
    socket.setTimeout(1000, () => finish(false));
    socket.once("error", () => finish(false));
    socket.once("connect", () => {
      if (request) socket.write(request);
    });
    socket.on("data", (chunk) => {
      received += chunk.toString("utf8");
      if (received.includes(expect)) finish(true);
    });
    socket.once("close", () => resolveProbe(received.includes(expect)));
  });
}

interface Spawned {
  child: ChildProcess;
  output: () => string;
  exited: () => boolean;
}

function spawnEngine(binary: string, args: string[]): Spawned {
  const child = spawn(binary, args, { stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  let exited = false;
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString("utf8")).slice(-4000);
  };
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  child.once("exit", () => {
    exited = true;
  });
  // Spawn failures (ENOENT…) surface through waitReady as an early exit.
  child.once("error", (err) => {
    output += `\n${String(err)}`;
    exited = true;
  });
  return { child, output: () => output, exited: () => exited };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise<void>((r) => child.once("exit", () => r()));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
  await gone;
  clearTimeout(timer);
}

// Starts an engine on a fresh free port, retrying when another process grabs the port first.
async function startOnFreePort(
  name: string,
  binary: string,
  argsFor: (port: number) => string[],
  ready: (port: number) => Promise<boolean>,
  cleanup: () => void,
): Promise<{ port: number; stop: () => Promise<void> }> {
  let lastOutput = "";
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const engine = spawnEngine(binary, argsFor(port));
    // A crashed test run must not leave servers behind.
    const killOnExit = () => engine.child.kill("SIGKILL");
    process.once("exit", killOnExit);
    const deadline = Date.now() + READY_TIMEOUT_MS;
    while (!engine.exited() && Date.now() < deadline) {
      if (await ready(port)) {
        return {
          port,
          stop: async () => {
            await stopChild(engine.child);
            process.removeListener("exit", killOnExit);
            cleanup();
          },
        };
      }
      await sleep(50);
    }
    await stopChild(engine.child);
    process.removeListener("exit", killOnExit);
    lastOutput = engine.output();
    if (!engine.exited()) break;
  }
  cleanup();
  throw new Error(`${name} (${binary}) did not become ready:\n${lastOutput}`);
}

export async function startRedis(): Promise<RunningEngine> {
  const binary = findBinary(binariesFor("redis"));
  if (!binary) throw new Error("redis not installed (run scripts/install-engines.sh)");
  // Persistence is off, but a private working dir keeps any stray file out of the repo.
  const dir = mkdtempSync(join(tmpdir(), "fluxer-redis-"));
  const { port, stop } = await startOnFreePort(
    "redis",
    binary,
    (p) => ["--port", String(p), "--bind", HOST, "--save", "", "--appendonly", "no", "--protected-mode", "yes", "--dir", dir],
    (p) => probe(p, "+PONG", "*1\r\n$4\r\nPING\r\n"),
    () => rmSync(dir, { recursive: true, force: true }),
  );
  return { url: `redis://${HOST}:${port}`, port, stop };
}

export async function startNats(options: { jetstream?: boolean } = {}): Promise<RunningEngine> {
  const binary = findBinary(binariesFor("nats"));
  if (!binary) throw new Error("nats not installed (run scripts/install-engines.sh)");
  const dir = mkdtempSync(join(tmpdir(), "fluxer-nats-"));
  const { port, stop } = await startOnFreePort(
    "nats",
    binary,
    (p) => ["-a", HOST, "-p", String(p), ...(options.jetstream ? ["-js", "-sd", dir] : [])],
    // The server greets every client with an INFO line once it is serving.
    (p) => probe(p, "INFO "),
    () => rmSync(dir, { recursive: true, force: true }),
  );
  return { url: `nats://${HOST}:${port}`, port, stop };
}
