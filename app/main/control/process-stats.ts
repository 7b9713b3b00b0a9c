/**
 * Memory and CPU of a child process from /proc (Linux). CPU is the share of one core since the
 * previous sample of the same process (since its start on the first). Elsewhere: unknown.
 */
import { readFileSync } from "node:fs";

export interface ProcessStats {
  rssBytes: number;
  /** Percent of one core; may pass 100 for a multi-threaded process. */
  cpuPercent: number;
}

// Linux's USER_HZ is 100 on every architecture Node supports; /proc/<pid>/stat counts in it.
const TICKS_PER_SECOND = 100;
const PAGE_SIZE = 4096;

export function createProcessStats(now = () => performance.timeOrigin + performance.now()) {
  const previous = new Map<number, { ticks: number; at: number }>();
  const bootSeconds = () => Date.now() / 1000 - Number(readFileSync("/proc/uptime", "utf8").split(" ")[0]);

  return function sample(pid: number | undefined): ProcessStats | undefined {
    if (pid === undefined || process.platform !== "linux") return undefined;
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      // Fields after the command name, which may itself hold spaces and parentheses.
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      const ticks = Number(fields[11]) + Number(fields[12]); // utime + stime
      const startedAt = (bootSeconds() + Number(fields[19]) / TICKS_PER_SECOND) * 1000;
      const rssBytes = Number(fields[21]) * PAGE_SIZE;
      const at = now();
      const before = previous.get(pid) ?? { ticks: 0, at: startedAt };
      previous.set(pid, { ticks, at });
      const elapsedMs = Math.max(1, at - before.at);
      const cpuPercent = Math.round((((ticks - before.ticks) / TICKS_PER_SECOND) * 1000 * 100) / elapsedMs);
      return { rssBytes, cpuPercent: Math.max(0, cpuPercent) };
    } catch {
      return undefined; // exited between the status and the sample
    }
  };
}
