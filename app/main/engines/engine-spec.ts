/**
 * A managed engine as a small declarative spec: which binaries may run it, and for one run the
 * files to write, the arguments and a readiness probe. `engineUnit` turns it into a supervised
 * unit: binary lookup (missing → reported, never retried), owner-only config files, the
 * parent-death guard, and probing until ready or exit.
 */
import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import type { ParentDeathGuard } from "../supervisor/parent-death.ts";
import type { RestartPolicy, UnitSpec } from "../supervisor/unit.ts";
import { findEngineBinary } from "./find-binary.ts";

/** A terminal's Ctrl-C reaches only the host, which then stops the children in order (POSIX; on Windows it opens a console). */
export const OWN_PROCESS_GROUP = process.platform !== "win32";

export interface EngineRun {
  args: string[];
  /** Written before every start, owner-only (they hold credentials). */
  files?: { path: string; content: string }[];
  /** True once the engine answers as it should (with its credentials). */
  probe(): Promise<boolean>;
}

export interface EngineSpec {
  name: string;
  /** Binary names in order of preference. */
  binaries: readonly string[];
  /** A folder of its own for data and working files. */
  dataDir: string;
  port: number;
  configure(binary: string): EngineRun;
}

export interface EngineUnitOptions {
  bundledDir: string;
  /** PATH to search after the bundled folder (default: the host's PATH). */
  pathEnv?: string;
  guard: ParentDeathGuard;
  restart?: Partial<RestartPolicy>;
  stopGraceMs?: number;
  readyTimeoutMs?: number;
  probeIntervalMs?: number;
}

export function engineUnit(spec: EngineSpec, options: EngineUnitOptions): UnitSpec {
  return {
    name: spec.name,
    restart: options.restart,
    stopGraceMs: options.stopGraceMs,
    readyTimeoutMs: options.readyTimeoutMs,
    async launch() {
      const binary = findEngineBinary(spec.binaries, { bundledDir: options.bundledDir, pathEnv: options.pathEnv });
      if (!binary) return { missing: `no ${spec.binaries.join(" or ")} in ${options.bundledDir} or on PATH` };
      mkdirSync(spec.dataDir, { recursive: true, mode: 0o700 });
      const run = spec.configure(binary);
      for (const file of run.files ?? []) writeFileSync(file.path, file.content, { mode: 0o600 });
      const { command, args } = options.guard({ command: binary, args: run.args });
      const child = spawn(command, args, { cwd: spec.dataDir, stdio: ["ignore", "pipe", "pipe"], detached: OWN_PROCESS_GROUP });
      const ready = (async () => {
        while (child.exitCode === null && child.signalCode === null) {
          if (await run.probe()) return { port: spec.port };
          await sleep(options.probeIntervalMs ?? 100);
        }
        throw new Error(`${spec.name} exited before it was ready`);
      })();
      ready.catch(() => {}); // the unit awaits it; an early exit is reported through "exit"
      return { child, ready };
    },
  };
}
