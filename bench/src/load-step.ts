/**
 * One open-loop step of a fan-out run: `rate` messages per second for `durationMs`, spread over
 * the senders, each carrying its scheduled time as `nonce`; then a bounded drain while the last
 * answers and deliveries come in. Deliveries are credited to the step whose window holds their
 * nonce, so a late one never pollutes the next step.
 */
import type { Account, ServerAdapter } from "./adapter.ts";
import { LatencyHistogram, type LatencySummary } from "./histogram.ts";
import { readMachineBusyUs, readProcSample } from "./proc-stats.ts";
import type { RestClient } from "./rest-client.ts";
import { planStep, runPlan } from "./schedule.ts";

export interface StepResult {
  rate: number;
  durationMs: number;
  scheduled: number;
  /** Sent and answered 2xx */
  ok: number;
  /** Non-2xx answers, failed requests, and requests still unanswered after the drain */
  restErrors: number;
  /** Not sent: the sender already had `maxInFlight` requests waiting */
  skipped: number;
  expected: number;
  delivered: number;
  /** MESSAGE_CREATE frames without a readable nonce */
  unreadable: number;
  /** Listener sockets that closed during the step */
  closes: number;
  delivery: LatencySummary;
  /** Worst delivery latency (ms) per second of schedule */
  deliveryMaxBySecond: number[];
  rest: LatencySummary;
  serverCpuUs: number;
  driverCpuUs: number;
  /** The kernel's share of it (socket reads and writes) */
  driverSystemUs: number;
  /** CPU the rest of the machine used meanwhile (other processes: a shared machine's noise) */
  othersCpuUs: number;
  /** From the first scheduled send to the end of the drain */
  wallMs: number;
  serverRssKb: number;
  errorSamples: string[];
}

interface OpenStep {
  from: number;
  to: number;
  delivered: number;
  histogram: LatencyHistogram;
  /** Worst delivery latency of the messages scheduled in each second of the step: shows stalls */
  maxBySecond: number[];
}

/** Routes each delivery to the step its nonce belongs to. */
export class DeliveryBook {
  private readonly steps: OpenStep[] = [];
  stray = 0;
  unreadable = 0;
  closes = 0;

  open(from: number, to: number): OpenStep {
    const step = { from, to, delivered: 0, histogram: new LatencyHistogram(), maxBySecond: [] as number[] };
    this.steps.push(step);
    return step;
  }

  delivery(nonce: number, at: number): void {
    for (let i = this.steps.length - 1; i >= 0; i--) {
      const step = this.steps[i] as OpenStep;
      if (nonce >= step.from && nonce < step.to) {
        const latency = at - nonce;
        step.delivered++;
        step.histogram.record(latency);
        const second = Math.floor((nonce - step.from) / 1000);
        if (latency > (step.maxBySecond[second] ?? 0)) step.maxBySecond[second] = latency;
        return;
      }
    }
    this.stray++;
  }
}

export interface StepContext {
  adapter: ServerAdapter;
  channelId: string;
  senders: { account: Account; rest: RestClient }[];
  listeners: () => number;
  book: DeliveryBook;
  serverPid: number;
  now: () => number;
  maxInFlight: number;
  restTimeoutMs: number;
}

export async function runStep(ctx: StepContext, rate: number, durationMs: number, drainMs: number): Promise<StepResult> {
  const { adapter, senders, now, book } = ctx;
  const path = adapter.messagePath(ctx.channelId);
  const authorizations = senders.map((sender) => adapter.authorization(sender.account.token));
  const inFlight = senders.map(() => 0);
  const rest = new LatencyHistogram();
  const errorSamples: string[] = [];
  let ok = 0;
  let restErrors = 0;
  let skipped = 0;
  let pending = 0;
  let settled: (() => void) | null = null;
  const unreadable0 = book.unreadable;
  const closes0 = book.closes;

  const noteError = (text: string) => {
    restErrors++;
    if (errorSamples.length < 5) errorSamples.push(text.slice(0, 200));
  };
  const done = (sender: number) => {
    inFlight[sender] = (inFlight[sender] as number) - 1;
    if (--pending === 0) settled?.();
  };
  const fire = (i: number, due: number) => {
    const sender = i % senders.length;
    if ((inFlight[sender] as number) >= ctx.maxInFlight) {
      skipped++;
      return;
    }
    inFlight[sender] = (inFlight[sender] as number) + 1;
    pending++;
    const body = adapter.messageBody(`fan-out ${i}`, due.toFixed(3));
    (senders[sender] as StepContext["senders"][number]).rest.fire("POST", path, authorizations[sender] as string, body).then(
      ({ status, text }) => {
        if (status >= 200 && status < 300) {
          ok++;
          rest.record(now() - due);
        } else noteError(`${status} ${text}`);
        done(sender);
      },
      (error: Error) => {
        noteError(error.message);
        done(sender);
      },
    );
  };

  const plan = planStep(now() + 20, rate, durationMs);
  // The nonce is rounded to the microsecond, so the window starts a hair early.
  const window = book.open(plan.startAt - 0.01, plan.startAt + durationMs);
  const cpu0 = readProcSample(ctx.serverPid, now());
  const driver0 = process.cpuUsage();
  const machine0 = readMachineBusyUs();
  // A step can never outlast its own length by much: past this, the rest is not sent.
  await runPlan(plan, now, fire, plan.startAt + durationMs * 1.5 + 1000);
  const sentAllAt = now();

  // Drain: wait for every answer (for at most the client timeout and the drain), then for the deliveries.
  if (pending > 0) {
    let timer: NodeJS.Timeout | undefined;
    await new Promise<void>((resolve) => {
      settled = resolve;
      timer = setTimeout(resolve, ctx.restTimeoutMs + drainMs);
    });
    clearTimeout(timer);
  }
  const unanswered = pending;
  const drainUntil = Math.max(now(), sentAllAt) + drainMs;
  const listeners = ctx.listeners();
  while (window.delivered < ok * listeners && now() < drainUntil) await new Promise((r) => setTimeout(r, 20));

  const cpu1 = readProcSample(ctx.serverPid, now());
  const driver1 = process.cpuUsage(driver0);
  const machineUs = readMachineBusyUs() - machine0;
  return {
    rate,
    durationMs,
    scheduled: plan.count,
    ok,
    restErrors: restErrors + unanswered,
    skipped,
    expected: ok * listeners,
    delivered: window.delivered,
    unreadable: book.unreadable - unreadable0,
    closes: book.closes - closes0,
    delivery: window.histogram.summary(),
    deliveryMaxBySecond: Array.from(window.maxBySecond, (ms) => Math.round((ms ?? 0) * 10) / 10),
    rest: rest.summary(),
    serverCpuUs: cpu1.cpuUs - cpu0.cpuUs,
    driverCpuUs: driver1.user + driver1.system,
    driverSystemUs: driver1.system,
    othersCpuUs: Math.max(0, machineUs - (cpu1.cpuUs - cpu0.cpuUs) - (driver1.user + driver1.system)),
    wallMs: now() - plan.startAt,
    serverRssKb: cpu1.rssKb,
    errorSamples,
  };
}

/** Everything that went wrong in a step: failed or skipped sends, lost deliveries, dropped listeners. */
export function stepErrors(step: StepResult): number {
  return step.restErrors + step.skipped + Math.max(0, step.expected - step.delivered) + step.unreadable + step.closes;
}
