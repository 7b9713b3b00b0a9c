/**
 * What a run leaves behind: one JSON per scenario in bench/results/ with exactly the fields of
 * benchmarks.md, a `.detail.json` beside it (steps, runs, spread, samples), and Markdown tables.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { LatencySummary } from "./histogram.ts";

export interface ScenarioResult {
  scenario: string;
  commit: string;
  node: string;
  offered_rate: number;
  achieved_msgs_s: number;
  deliveries_s: number;
  errors: number;
  latency_ms: LatencySummary;
  rest_ms: { p50: number; p99: number };
  cpu_us_per_delivery: number;
  rss_kb_per_session: number;
  duration_s: number;
}

/** The commit measured, `-dirty` when the work tree has changes. */
export function currentCommit(repoRoot: string): string {
  try {
    const head = execFileSync("git", ["rev-parse", "--short=12", "HEAD"], { cwd: repoRoot, encoding: "utf8" }).trim();
    const dirty = execFileSync("git", ["status", "--porcelain", "--untracked-files=no"], { cwd: repoRoot, encoding: "utf8" }).trim();
    return dirty ? `${head}-dirty` : head;
  } catch {
    return "unknown";
  }
}

export function writeResult(dir: string, result: ScenarioResult, detail: unknown): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${result.scenario}.json`);
  writeFileSync(path, `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(join(dir, `${result.scenario}.detail.json`), `${JSON.stringify(detail, null, 2)}\n`);
  return path;
}

const fmt = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : "-");

export function table(headers: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.join(" | ")} |`;
  return [line(headers), line(headers.map(() => "---")), ...rows.map(line)].join("\n");
}

/** One row per scenario; `spread` (min–max over runs) when there were several. */
export function scenariosTable(results: { result: ScenarioResult; spread?: string; goal?: string }[]): string {
  return table(
    [
      "scenario",
      "offered msg/s",
      "achieved msg/s",
      "deliveries/s",
      "p50 ms",
      "p95 ms",
      "p99 ms",
      "p99.9 ms",
      "max ms",
      "REST p50/p99 ms",
      "CPU µs/delivery",
      "RSS KB/session",
      "errors",
      "duration s",
      "spread (runs)",
      "goal",
    ],
    results.map(({ result: r, spread, goal }) => [
      r.scenario,
      r.offered_rate,
      fmt(r.achieved_msgs_s),
      fmt(r.deliveries_s, 0),
      fmt(r.latency_ms.p50, 2),
      fmt(r.latency_ms.p95, 2),
      fmt(r.latency_ms.p99, 2),
      fmt(r.latency_ms.p999, 2),
      fmt(r.latency_ms.max, 2),
      `${fmt(r.rest_ms.p50, 2)} / ${fmt(r.rest_ms.p99, 2)}`,
      fmt(r.cpu_us_per_delivery, 2),
      fmt(r.rss_kb_per_session, 1),
      r.errors,
      fmt(r.duration_s, 0),
      spread ?? "-",
      goal ?? "-",
    ]),
  );
}
