/**
 * Runs units in order (engines first, the chat server last, so its config can name what runs) and
 * stops them in reverse order, one after the other, each with its own grace period.
 */
import { mkdirSync } from "node:fs";
import { type LogRotation, openProcessLog, type ProcessLog } from "./process-log.ts";
import { SupervisedUnit } from "./supervised-unit.ts";
import type { UnitSpec, UnitStatus } from "./unit.ts";

export interface Supervisor {
  units: readonly SupervisedUnit[];
  unit(name: string): SupervisedUnit;
  startAll(): Promise<UnitStatus[]>;
  stopAll(): Promise<UnitStatus[]>;
  status(): UnitStatus[];
}

export function createSupervisor(specs: readonly UnitSpec[], options: { logsDir: string; rotation?: LogRotation }): Supervisor {
  mkdirSync(options.logsDir, { recursive: true, mode: 0o700 });
  const logs: ProcessLog[] = [];
  const units = specs.map((spec) => {
    const log = openProcessLog(options.logsDir, spec.name, options.rotation);
    logs.push(log);
    return new SupervisedUnit(spec, log);
  });
  const byName = new Map(units.map((unit) => [unit.name, unit]));
  return {
    units,
    unit(name) {
      const found = byName.get(name);
      if (!found) throw new Error(`no unit named ${name}`);
      return found;
    },
    async startAll() {
      const statuses: UnitStatus[] = [];
      for (const unit of units) statuses.push(await unit.start());
      return statuses;
    },
    async stopAll() {
      const statuses: UnitStatus[] = [];
      for (const unit of [...units].reverse()) statuses.unshift(await unit.stop());
      await Promise.all(logs.map((log) => log.close()));
      return statuses;
    },
    status: () => units.map((unit) => unit.status()),
  };
}
