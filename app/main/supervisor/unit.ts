/** What the supervisor runs: one declarative spec per process, and the status it reports. */
import type { ChildProcess } from "node:child_process";
import type { ProcessLog } from "./process-log.ts";

export type UnitState = "stopped" | "starting" | "running" | "restarting" | "stopping" | "missing" | "failed";

export interface Launch {
  child: ChildProcess;
  /** Resolves once the process serves (with the port it reports, if any); rejects if it cannot. */
  ready: Promise<{ port?: number }>;
  /** Asks for a graceful stop; SIGTERM when absent. SIGKILL follows after the grace period. */
  requestStop?(): void;
}

/** Why a unit cannot run at all (its binary is not there): reported, never retried. */
export interface Missing {
  missing: string;
}

export interface RestartPolicy {
  initialDelayMs: number;
  maxDelayMs: number;
  /** Restarts in a row without a stable run before the unit is given up as `failed`. */
  maxRestarts: number;
  /** Running this long after ready counts as stable and resets the crash-loop count. */
  stableAfterMs: number;
}

export interface UnitSpec {
  name: string;
  /** Prepares (config, port, credentials) and starts one run; called again on every restart. */
  launch(log: ProcessLog): Promise<Launch | Missing>;
  restart?: Partial<RestartPolicy>;
  stopGraceMs?: number;
  readyTimeoutMs?: number;
}

export interface UnitStatus {
  name: string;
  state: UnitState;
  pid?: number;
  port?: number;
  /** Restarts since the host started. */
  restarts: number;
  lastExit?: { code: number | null; signal: NodeJS.Signals | null };
  /** Why it is missing or failed. */
  reason?: string;
  logFile: string;
  /** When the state last changed (ms since the epoch). */
  since: number;
}

export const DEFAULT_RESTART: RestartPolicy = { initialDelayMs: 500, maxDelayMs: 30_000, maxRestarts: 5, stableAfterMs: 60_000 };
export const DEFAULT_STOP_GRACE_MS = 10_000;
export const DEFAULT_READY_TIMEOUT_MS = 30_000;

/** Exponential backoff: the first restart waits `initialDelayMs`, each next one twice as long, up to the cap. */
export function restartDelay(policy: RestartPolicy, consecutiveRestarts: number): number {
  return Math.min(policy.maxDelayMs, policy.initialDelayMs * 2 ** Math.max(0, consecutiveRestarts - 1));
}
