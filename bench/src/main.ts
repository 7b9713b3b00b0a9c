/**
 * `npm run bench [-- --quick]`: starts its own server, drives it over REST and the gateway, writes
 * bench/results/<scenario>.json (+ .detail.json) and prints Markdown tables. It reports numbers
 * and never fails on them; it exits non-zero only when it could not run.
 *
 * --quick          5 s warm-up, 5 s steps, one run (under 3 minutes)
 * --runs N         runs per scenario (full mode: 3, the median is reported with the spread)
 * --steps a,b,c    send rates of the ramp, msg/s
 * --no-pin         do not pin the server (core 0) and the driver (core 1) with taskset
 * --server-env E   the server's `env` (default production)
 * --server-node-args "A B"  extra node flags for the server, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof"
 */
import { execFileSync } from "node:child_process";
import { availableParallelism } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { currentCommit, type ScenarioResult, scenariosTable, writeResult } from "./report.ts";
import { type FanoutOptions, type RunOutcome, rampTable, runFanoutOnce, toScenarioResult } from "./s1a-fanout.ts";
import { killAllServers } from "./server-process.ts";

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const now = () => performance.timeOrigin + performance.now();
const progress = (line: string) => process.stderr.write(`${line}\n`);

const { values } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    runs: { type: "string" },
    steps: { type: "string" },
    "no-pin": { type: "boolean", default: false },
    "server-env": { type: "string", default: "production" },
    "server-node-args": { type: "string" },
    out: { type: "string" },
  },
  allowPositionals: false,
});

const quick = values.quick ?? false;
const runs = Math.max(1, Number(values.runs ?? (quick ? 1 : 3)) || 1);
const steps = (values.steps ?? "100,200,400,500,800,1200,1600")
  .split(",")
  .map(Number)
  .filter((rate) => rate > 0);
const outDir = values.out ?? join(repoRoot, "bench", "results");

/** Pins this process (all its threads) to `cpus`; false when it cannot (no taskset, one core). */
function pinSelf(cpus: string): boolean {
  try {
    execFileSync("taskset", ["-a", "-cp", cpus, String(process.pid)], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

function hasTaskset(): boolean {
  try {
    execFileSync("taskset", ["--version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

const cores = availableParallelism(); // before pinning, which narrows it to one
const canPin = !values["no-pin"] && cores >= 2 && hasTaskset();
if (!canPin) progress("bench: not pinning (taskset missing, --no-pin, or fewer than 2 cores)");
else if (!pinSelf("1")) progress("bench: could not pin the driver to core 1");

// The whole benchmark stops by itself, whatever happens.
const deadlineMs = quick ? 175_000 : 30 * 60_000;
const deadline = setTimeout(() => {
  progress(`bench: gave up after ${deadlineMs / 1000} s`);
  killAllServers();
  process.exit(3);
}, deadlineMs);
process.on("exit", killAllServers);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    killAllServers();
    process.exit(130);
  });
}

const fanout: FanoutOptions = {
  scenario: "S1a",
  repoRoot,
  serverCpus: canPin ? "0" : null,
  serverEnv: values["server-env"] === "test" ? "test" : "production",
  serverNodeArgs: (values["server-node-args"] ?? "").split(" ").filter((arg) => arg !== ""),
  listeners: 100,
  senders: 8,
  steps,
  stepMs: quick ? 5_000 : 20_000,
  warmupRate: steps[0] ?? 100,
  warmupMs: quick ? 5_000 : 30_000,
  drainMs: quick ? 2_000 : 5_000,
  maxInFlight: 256,
  stopP99Ms: 250,
  goodP99Ms: 50,
  ackIntervalMs: 1_000,
  runBudgetMs: Math.floor((deadlineMs - 15_000) / runs),
  now,
  progress,
};

/** The median run by its best rate (then by its p99 there), and the spread over all runs. */
function medianRun(outcomes: RunOutcome[]): { run: RunOutcome; spread: string } {
  const rateOf = (run: RunOutcome) => run.best?.rate ?? 0;
  const sorted = [...outcomes].sort((a, b) => rateOf(a) - rateOf(b) || (a.best?.delivery.p99 ?? 0) - (b.best?.delivery.p99 ?? 0));
  const run = sorted[Math.floor((sorted.length - 1) / 2)] as RunOutcome;
  if (outcomes.length === 1) return { run, spread: "1 run" };
  const rates = outcomes.map(rateOf);
  const p99s = outcomes.map((o) => o.best?.delivery.p99 ?? Number.NaN).filter(Number.isFinite);
  const span = (xs: number[], digits = 0) => (xs.length ? `${Math.min(...xs).toFixed(digits)}–${Math.max(...xs).toFixed(digits)}` : "-");
  return { run, spread: `${outcomes.length} runs: best ${span(rates)} msg/s, p99 ${span(p99s, 2)} ms` };
}

async function main() {
  const commit = currentCommit(repoRoot);
  const meta = { commit, node: process.version };
  const started = now();
  progress(`bench: ${quick ? "quick" : "full"} mode, commit ${commit}, node ${process.version}, ${cores} cores`);

  const outcomes: RunOutcome[] = [];
  for (let i = 0; i < runs; i++) {
    progress(`S1a run ${i + 1}/${runs}`);
    const outcome = await runFanoutOnce(fanout);
    progress(`  stopped: ${outcome.stopReason}`);
    outcomes.push(outcome);
  }
  const { run, spread } = medianRun(outcomes);
  // With no step within the bar, the lowest step is reported so the numbers show by how much.
  const reported = run.best ?? run.steps[0];
  if (!reported) throw new Error("S1a produced no step");
  const result: ScenarioResult = toScenarioResult("S1a", reported, run.rssKbPerSession, meta);
  const goal = result.offered_rate >= 500 && run.best ? "met (≥ 500 msg/s at p99 ≤ 50 ms)" : "not met (≥ 500 msg/s at p99 ≤ 50 ms)";
  const path = writeResult(outDir, result, {
    mode: quick ? "quick" : "full",
    options: { ...fanout, now: undefined, progress: undefined },
    best_meets_p99_50: run.best !== null,
    spread,
    runs: outcomes,
  });

  const out: string[] = [];
  out.push(`## S1a fan-out ramp (${quick ? "quick" : "full"} mode, ${runs === 1 ? "1 run" : `median of ${runs} runs`})`);
  out.push("");
  out.push(rampTable(run, fanout.goodP99Ms));
  out.push("");
  out.push(
    `Stopped: ${run.stopReason}. Setup ${(run.setupMs / 1000).toFixed(1)} s; server peak RSS ${Math.round(run.serverPeakRssKb / 1024)} MB.`,
  );
  out.push("");
  out.push("## Scenarios");
  out.push("");
  out.push(scenariosTable([{ result, spread, goal }]));
  out.push("");
  out.push(`Results: ${path} (${((now() - started) / 1000).toFixed(0)} s in all)`);
  process.stdout.write(`${out.join("\n")}\n`);
}

main().then(
  () => {
    clearTimeout(deadline);
    process.exit(0);
  },
  (error) => {
    progress(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    killAllServers();
    process.exit(1);
  },
);
