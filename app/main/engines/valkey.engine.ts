/**
 * Valkey (or Redis 7, same protocol) for rate limits, presence and caches: bound to 127.0.0.1 on a
 * free port with a generated password, memory capped from the machine with LRU eviction, and no
 * snapshots while it only caches.
 */
import { join } from "node:path";
import type { EngineSpec } from "./engine-spec.ts";
import { LOOPBACK, respCommand, tcpProbe } from "./loopback.ts";

export interface ValkeyOptions {
  dataDir: string;
  runDir: string;
  port: number;
  password: string;
  maxMemoryMb: number;
  persistence: "cache" | "persistent";
}

export const VALKEY_BINARIES = ["valkey-server", "redis-server"] as const;

export function valkeyConfig(options: ValkeyOptions): string {
  const persistence =
    options.persistence === "persistent"
      ? ["save 900 1", "save 300 10", "appendonly yes", "appendfsync everysec"]
      : ['save ""', "appendonly no"];
  return [
    `bind ${LOOPBACK}`,
    `port ${options.port}`,
    "protected-mode yes",
    `requirepass ${options.password}`,
    `dir ${options.dataDir}`,
    'logfile ""', // stdout, into the supervisor's rotating log
    "daemonize no",
    `maxmemory ${options.maxMemoryMb}mb`,
    "maxmemory-policy allkeys-lru",
    ...persistence,
    "",
  ].join("\n");
}

export function valkeyUrl(port: number, password: string): string {
  return `redis://:${encodeURIComponent(password)}@${LOOPBACK}:${port}`;
}

export function valkeyEngine(options: ValkeyOptions): EngineSpec {
  const configFile = join(options.runDir, "valkey.conf");
  return {
    name: "valkey",
    binaries: VALKEY_BINARIES,
    dataDir: options.dataDir,
    port: options.port,
    configure: () => ({
      args: [configFile],
      files: [{ path: configFile, content: valkeyConfig(options) }],
      // Ready means it accepts our password, not just that the port is open.
      probe: () => tcpProbe(options.port, respCommand("AUTH", options.password) + respCommand("PING"), "+OK\r\n+PONG\r\n"),
    }),
  };
}
