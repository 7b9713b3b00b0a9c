/**
 * The server's CPU time and resident memory, read from /proc/<pid> (Linux only). CPU comes in
 * clock ticks (utime + stime), converted to microseconds with the system's CLK_TCK.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

export interface ProcSample {
  /** performance-clock milliseconds since the epoch when the sample was taken */
  at: number;
  cpuUs: number;
  rssKb: number;
}

/** utime and stime (fields 14 and 15) of /proc/<pid>/stat; the command name may hold spaces and parens. */
export function parseProcStat(text: string): { utime: number; stime: number } {
  const close = text.lastIndexOf(")");
  if (close < 0) throw new Error("unexpected /proc/<pid>/stat format");
  // After ") " come the fields from 3 (state) on, so field N is at index N - 3.
  const fields = text
    .slice(close + 2)
    .trim()
    .split(/\s+/);
  const utime = Number(fields[14 - 3]);
  const stime = Number(fields[15 - 3]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error("unexpected /proc/<pid>/stat format");
  return { utime, stime };
}

/** VmRSS of /proc/<pid>/status, in kB (0 when the line is missing, as for a zombie). */
export function parseVmRssKb(text: string): number {
  const match = /^VmRSS:\s+(\d+)\s+kB/m.exec(text);
  return match ? Number(match[1]) : 0;
}

/** Busy ticks of all CPUs together, from the `cpu ` line of /proc/stat (idle and iowait left out). */
export function parseMachineBusyTicks(text: string): number {
  const line = text.split("\n").find((l) => l.startsWith("cpu "));
  if (!line) throw new Error("unexpected /proc/stat format");
  const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = line.trim().split(/\s+/).slice(1).map(Number);
  return user + nice + system + irq + softirq + steal;
}

/** CPU time (µs) the whole machine has spent busy since boot: with the server's and the driver's own, it shows what others took. */
export function readMachineBusyUs(): number {
  return (parseMachineBusyTicks(readFileSync("/proc/stat", "utf8")) * 1_000_000) / clockTicksPerSecond();
}

let ticksPerSecond: number | undefined;

export function clockTicksPerSecond(): number {
  if (ticksPerSecond === undefined) {
    try {
      ticksPerSecond = Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
    } catch {
      ticksPerSecond = 100;
    }
  }
  return ticksPerSecond;
}

export function readProcSample(pid: number, at: number): ProcSample {
  const { utime, stime } = parseProcStat(readFileSync(`/proc/${pid}/stat`, "utf8"));
  const rssKb = parseVmRssKb(readFileSync(`/proc/${pid}/status`, "utf8"));
  return { at, cpuUs: ((utime + stime) * 1_000_000) / clockTicksPerSecond(), rssKb };
}

/** Samples a process every `intervalMs` until stopped (or until the process is gone). */
export class ProcSampler {
  readonly samples: ProcSample[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    readonly pid: number,
    private readonly now: () => number,
    private readonly intervalMs = 1000,
    private readonly maxSamples = 7200,
  ) {}

  start(): void {
    this.take();
    this.timer = setInterval(() => this.take(), this.intervalMs);
    this.timer.unref();
  }

  /** One reading now (also kept in the series); null once the process is gone. */
  take(): ProcSample | null {
    try {
      const sample = readProcSample(this.pid, this.now());
      if (this.samples.length < this.maxSamples) this.samples.push(sample);
      return sample;
    } catch {
      return null;
    }
  }

  peakRssKb(): number {
    return this.samples.reduce((peak, sample) => Math.max(peak, sample.rssKb), 0);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
