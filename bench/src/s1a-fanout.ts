/**
 * S1a, fan-out: one channel, 100 listening sessions, 8 senders, an open-loop ramp of the send
 * rate until delivery p99 passes 250 ms or the top step. The scenario's number is the best step
 * whose p99 stays within 50 ms with no errors. Each run gets a fresh server.
 */
import { fluxerAdapter } from "./adapter.ts";
import type { GatewayListener } from "./listener.ts";
import { DeliveryBook, runStep, type StepResult, stepErrors } from "./load-step.ts";
import { ProcSampler, readProcSample } from "./proc-stats.ts";
import { type ScenarioResult, table } from "./report.ts";
import { RestClient } from "./rest-client.ts";
import { startServer } from "./server-process.ts";
import { buildFanoutWorld, connectListeners } from "./world.ts";

export interface FanoutOptions {
  scenario: string;
  repoRoot: string;
  serverCpus: string | null;
  serverEnv: "production" | "test";
  /** Extra node flags for the server process (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof`) */
  serverNodeArgs?: readonly string[];
  listeners: number;
  senders: number;
  steps: number[];
  stepMs: number;
  warmupRate: number;
  warmupMs: number;
  drainMs: number;
  maxInFlight: number;
  /** Stop the ramp once a step's delivery p99 passes this */
  stopP99Ms: number;
  /** A step counts when its p99 is within this (and it had no errors) */
  goodP99Ms: number;
  ackIntervalMs: number;
  /** A run starts no step that could end after this long (the hard deadline in main.ts is the backstop) */
  runBudgetMs: number;
  now: () => number;
  progress: (line: string) => void;
}

export interface RunOutcome {
  steps: StepResult[];
  best: StepResult | null;
  rssKbPerSession: number;
  setupMs: number;
  serverPeakRssKb: number;
  stopReason: string;
  samples: { t_s: number; cpu_pct: number; rss_kb: number }[];
}

const REST_TIMEOUT_MS = 10_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function isGood(step: StepResult, goodP99Ms: number): boolean {
  return step.delivered > 0 && step.delivery.p99 <= goodP99Ms && stepErrors(step) === 0;
}

/** Why the ramp must stop after this step, or null to go on. */
export function stopReason(step: StepResult, options: Pick<FanoutOptions, "stopP99Ms">): string | null {
  if (step.delivery.p99 > options.stopP99Ms) return `p99 ${step.delivery.p99} ms > ${options.stopP99Ms} ms`;
  if (step.closes > 0) return `${step.closes} listener(s) disconnected`;
  if (step.restErrors + step.skipped > step.scheduled * 0.01) return `${step.restErrors + step.skipped} failed or skipped sends`;
  if (step.delivered === 0) return "nothing delivered";
  return null;
}

export async function runFanoutOnce(options: FanoutOptions): Promise<RunOutcome> {
  const { now, progress } = options;
  const setupStart = now();
  const server = await startServer({
    repoRoot: options.repoRoot,
    cpus: options.serverCpus,
    config: { env: options.serverEnv },
    nodeArgs: options.serverNodeArgs,
  });
  const sampler = new ProcSampler(server.pid, now);
  sampler.start();
  const adapter = fluxerAdapter(server.origin);
  const setupRest = new RestClient(adapter.restBase, 16);
  const senderClients: RestClient[] = [];
  const listeners: GatewayListener[] = [];
  let stopping = false;
  try {
    const world = await buildFanoutWorld(adapter, setupRest, { senders: options.senders, listeners: options.listeners, batch: 8 });
    const before = readProcSample(server.pid, now());
    const book = new DeliveryBook();
    let alive = 0;
    await connectListeners(
      adapter,
      world.listeners,
      {
        now,
        batch: 20,
        ackIntervalMs: options.ackIntervalMs,
        events: {
          delivery: (nonce, at) => book.delivery(nonce, at),
          unreadable: () => book.unreadable++,
          closed: (code) => {
            if (stopping) return;
            book.closes++;
            alive--;
            if (book.closes <= 5) progress(`  listener closed by the server: ${code}`);
          },
        },
      },
      listeners,
    );
    alive = listeners.length - book.closes;
    await sleep(1000);
    const after = readProcSample(server.pid, now());
    const rssKbPerSession = Math.max(0, after.rssKb - before.rssKb) / listeners.length;
    const setupMs = now() - setupStart;
    progress(`  setup: ${world.senders.length} senders, ${listeners.length} listeners READY in ${(setupMs / 1000).toFixed(1)} s`);

    const senders = world.senders.map((account) => {
      const rest = new RestClient(adapter.restBase, 16, REST_TIMEOUT_MS);
      senderClients.push(rest);
      return { account, rest };
    });
    const context = {
      adapter,
      channelId: world.channelId,
      senders,
      listeners: () => alive,
      book,
      serverPid: server.pid,
      now,
      maxInFlight: options.maxInFlight,
      restTimeoutMs: REST_TIMEOUT_MS,
    };

    if (options.warmupMs > 0) {
      const warm = await runStep(context, options.warmupRate, options.warmupMs, options.drainMs);
      progress(`  warm-up ${warm.rate} msg/s for ${options.warmupMs / 1000} s (discarded): p99 ${warm.delivery.p99} ms`);
    }

    const steps: StepResult[] = [];
    let reason = "top step reached";
    for (const rate of options.steps) {
      // A step may take its length, its drain, and the REST timeout for stragglers.
      if (now() + options.stepMs * 1.5 + options.drainMs + REST_TIMEOUT_MS > setupStart + options.runBudgetMs) {
        reason = "time budget of the run used up";
        break;
      }
      const step = await runStep(context, rate, options.stepMs, options.drainMs);
      steps.push(step);
      progress(
        `  ${rate} msg/s: ${step.ok} sent, ${step.delivered}/${step.expected} delivered, p50 ${step.delivery.p50} p99 ${step.delivery.p99} ms, REST p99 ${step.rest.p99} ms, server CPU ${pct(step.serverCpuUs, step.wallMs)}, driver CPU ${pct(step.driverCpuUs, step.wallMs)} (kernel ${pct(step.driverSystemUs, step.wallMs)}), others ${pct(step.othersCpuUs, step.wallMs)}, errors ${stepErrors(step)}`,
      );
      progress(`    worst delivery per second (ms): ${step.deliveryMaxBySecond.join(" ")}`);
      for (const sample of step.errorSamples) progress(`    error: ${sample}`);
      const stop = stopReason(step, options);
      if (stop) {
        reason = stop;
        break;
      }
    }
    const good = steps.filter((step) => isGood(step, options.goodP99Ms));
    const t0 = sampler.samples[0]?.at ?? 0;
    const samples = sampler.samples.map((sample, i, all) => {
      const previous = all[i - 1];
      const cpu = previous ? ((sample.cpuUs - previous.cpuUs) / ((sample.at - previous.at) * 1000)) * 100 : 0;
      return { t_s: Math.round((sample.at - t0) / 100) / 10, cpu_pct: Math.round(cpu), rss_kb: sample.rssKb };
    });
    return {
      steps,
      best: good.at(-1) ?? null,
      rssKbPerSession,
      setupMs,
      serverPeakRssKb: sampler.peakRssKb(),
      stopReason: reason,
      samples,
    };
  } catch (error) {
    throw new Error(`${(error as Error).message}\n--- server log tail ---\n${server.logTail()}`);
  } finally {
    stopping = true;
    for (const listener of listeners) listener.close();
    sampler.stop();
    setupRest.close();
    for (const client of senderClients) client.close();
    await server.stop();
  }
}

export const pct = (cpuUs: number, wallMs: number) => `${wallMs > 0 ? Math.round(cpuUs / (wallMs * 10)) : 0}%`;

export function toScenarioResult(
  scenario: string,
  step: StepResult,
  rssKbPerSession: number,
  meta: { commit: string; node: string },
): ScenarioResult {
  const seconds = step.durationMs / 1000;
  return {
    scenario,
    commit: meta.commit,
    node: meta.node,
    offered_rate: step.rate,
    achieved_msgs_s: Math.round((step.ok / seconds) * 10) / 10,
    deliveries_s: Math.round(step.delivered / seconds),
    errors: stepErrors(step),
    latency_ms: step.delivery,
    rest_ms: { p50: step.rest.p50, p99: step.rest.p99 },
    cpu_us_per_delivery: step.delivered > 0 ? Math.round((step.serverCpuUs / step.delivered) * 100) / 100 : 0,
    rss_kb_per_session: Math.round(rssKbPerSession * 10) / 10,
    duration_s: seconds,
  };
}

export function rampTable(run: RunOutcome, goodP99Ms: number): string {
  return table(
    [
      "offered msg/s",
      "achieved msg/s",
      "deliveries/s",
      "p50 ms",
      "p99 ms",
      "p99.9 ms",
      "max ms",
      "REST p99 ms",
      "server CPU",
      "driver CPU",
      "others CPU",
      "CPU µs/delivery",
      "errors",
      `p99 ≤ ${goodP99Ms} ms`,
    ],
    run.steps.map((step) => {
      const seconds = step.durationMs / 1000;
      return [
        step.rate,
        (step.ok / seconds).toFixed(1),
        Math.round(step.delivered / seconds),
        step.delivery.p50.toFixed(2),
        step.delivery.p99.toFixed(2),
        step.delivery.p999.toFixed(2),
        step.delivery.max.toFixed(2),
        step.rest.p99.toFixed(2),
        pct(step.serverCpuUs, step.wallMs),
        pct(step.driverCpuUs, step.wallMs),
        pct(step.othersCpuUs, step.wallMs),
        step.delivered > 0 ? (step.serverCpuUs / step.delivered).toFixed(2) : "-",
        stepErrors(step),
        isGood(step, goodP99Ms) ? "yes" : "no",
      ];
    }),
  );
}
