/**
 * The server under test, started by the benchmark itself: `node --import tsx server/src/main.ts`
 * with a throw-away config (port 0 on loopback, a temporary SQLite file, REST rate limits off),
 * pinned to one core when `taskset` is there. Its output goes to a log file (a pipe the driver
 * is too busy to drain could stall the server); the `{"type":"ready","port":N}` line is read from it.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";

export interface ServerProcess {
  pid: number;
  origin: string;
  logPath: string;
  /** The last lines of its log, for error messages. */
  logTail(lines?: number): string;
  stop(): Promise<void>;
}

export interface StartOptions {
  repoRoot: string;
  /** CPU list for taskset (e.g. "0"), or null for no pinning */
  cpus: string | null;
  /** Extra config over the defaults (replacing whole top-level keys) */
  config?: Record<string, unknown>;
  /** Extra node flags before the script, e.g. `--cpu-prof` (profiling runs) */
  nodeArgs?: readonly string[];
  readyTimeoutMs?: number;
}

/** The `{"type":"ready","port":N}` line of the server's output, if it has printed it. */
export function findReadyPort(output: string): number | null {
  for (const line of output.split("\n")) {
    if (!line.startsWith("{") || !line.includes('"ready"')) continue;
    try {
      const parsed = JSON.parse(line) as { type?: string; port?: number };
      if (parsed.type === "ready" && typeof parsed.port === "number") return parsed.port;
    } catch {
      // a log line that merely mentions "ready"
    }
  }
  return null;
}

const live = new Set<ChildProcess>();

/** Last resort on the driver's way out: no server outlives the benchmark. */
export function killAllServers(): void {
  for (const child of live) child.kill("SIGKILL");
  live.clear();
}

export async function startServer(options: StartOptions): Promise<ServerProcess> {
  const dir = mkdtempSync(join(tmpdir(), "fluxer-bench-"));
  const logPath = join(dir, "server.log");
  const configPath = join(dir, "config.json");
  const config = {
    env: "production",
    services: { server: { host: "127.0.0.1", port: 0 } },
    database: { sqlite_path: join(dir, "bench.db") },
    storage: { data_dir: join(dir, "data") },
    dev: { disable_rate_limits: true },
    ...options.config,
  };
  writeFileSync(configPath, JSON.stringify(config, null, 2));
  const log = openSync(logPath, "w");
  const nodeArgs = [...(options.nodeArgs ?? []), "--import", "tsx", "server/src/main.ts", "--config", configPath];
  const [command, args] = options.cpus ? ["taskset", ["-c", options.cpus, process.execPath, ...nodeArgs]] : [process.execPath, nodeArgs];
  // Only the variables the server needs: a FLUXER_CONFIG__* left in the shell must not change the run.
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("FLUXER_CONFIG")));
  const child = spawn(command, args as string[], { cwd: options.repoRoot, stdio: ["ignore", log, log], env });
  live.add(child);
  let exited: number | null = null;
  child.on("exit", (code, signal) => {
    exited = code ?? (signal ? 128 : 1);
    live.delete(child);
  });

  const logTail = (lines = 20) => {
    try {
      return readFileSync(logPath, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
    } catch {
      return "";
    }
  };
  const stop = async () => {
    if (exited === null) {
      child.kill("SIGTERM");
      for (let waited = 0; exited === null && waited < 5000; waited += 50) await sleep(50);
      if (exited === null) child.kill("SIGKILL");
      for (let waited = 0; exited === null && waited < 2000; waited += 50) await sleep(50);
    }
    live.delete(child);
    rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
  for (;;) {
    const port = findReadyPort(readFileSync(logPath, "utf8"));
    if (port !== null && child.pid !== undefined) {
      return { pid: child.pid, origin: `http://127.0.0.1:${port}`, logPath, logTail, stop };
    }
    if (exited !== null || Date.now() > deadline) {
      const tail = logTail();
      await stop();
      throw new Error(`the server did not start (${exited !== null ? `exit ${exited}` : "timed out"}):\n${tail}`);
    }
    await sleep(50);
  }
}
