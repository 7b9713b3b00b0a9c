/**
 * The chat server as a supervised unit: forked (the built `dist/server/main.js`, or the sources
 * through tsx in development) with an IPC channel. It reports `{type: "ready", port}` there,
 * stops gracefully on `{type: "shutdown"}`, and exits by itself when the channel closes (the host
 * died). Its config is regenerated before every start, so a restart picks up what runs now.
 */
import { fork } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { OWN_PROCESS_GROUP } from "../engines/engine-spec.ts";
import type { HostPaths } from "../paths.ts";
import type { RestartPolicy, UnitSpec } from "../supervisor/unit.ts";
import { serverConfig } from "./server-config.ts";

export type ServerEntry = { kind: "built"; file: string } | { kind: "source"; file: string };

export interface ChatServerOptions {
  entry: ServerEntry;
  paths: HostPaths;
  port: number;
  /** Asked at every start, so a settings change applies at the next restart. */
  sizing(): { heapMb: number; uvThreadpoolSize: number };
  adminKey: string;
  /** Asked at every start: the Valkey URL when Valkey is running. */
  kvUrl(): string | undefined;
  configOverrides?: Record<string, unknown>;
  restart?: Partial<RestartPolicy>;
  stopGraceMs?: number;
  readyTimeoutMs?: number;
}

export function chatServerUnit(options: ChatServerOptions): UnitSpec {
  const configFile = join(options.paths.run, "server.config.json");
  return {
    name: "server",
    restart: options.restart,
    stopGraceMs: options.stopGraceMs,
    readyTimeoutMs: options.readyTimeoutMs,
    async launch() {
      const { heapMb, uvThreadpoolSize } = options.sizing();
      const config = serverConfig({
        paths: options.paths,
        port: options.port,
        kvUrl: options.kvUrl(),
        adminKey: options.adminKey,
        overrides: options.configOverrides,
      });
      writeFileSync(configFile, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
      const child = fork(options.entry.file, ["--config", configFile], {
        cwd: options.paths.data,
        execArgv: [...(options.entry.kind === "source" ? ["--import", tsxLoader()] : []), `--max-old-space-size=${heapMb}`],
        env: { ...childEnv(process.env), UV_THREADPOOL_SIZE: String(uvThreadpoolSize) },
        stdio: ["ignore", "pipe", "pipe", "ipc"],
        detached: OWN_PROCESS_GROUP,
      });
      const ready = new Promise<{ port?: number }>((resolve, reject) => {
        child.on("message", (message: { type?: unknown; port?: unknown }) => {
          if (message?.type === "ready" && typeof message.port === "number") resolve({ port: message.port });
        });
        child.once("exit", (code, signal) => reject(new Error(`server exited before ready (code ${code}, signal ${signal})`)));
      });
      ready.catch(() => {});
      return {
        child,
        ready,
        requestStop() {
          if (child.connected) child.send({ type: "shutdown" });
          else child.kill("SIGTERM");
        },
      };
    },
  };
}

// Resolved from here, not from the child's cwd (the data folder has no node_modules).
function tsxLoader(): string {
  return import.meta.resolve("tsx");
}

// The generated file is the whole config: the host's own FLUXER_CONFIG* variables must not leak in.
function childEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !name.startsWith("FLUXER_CONFIG")));
}
