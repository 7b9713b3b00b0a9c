/**
 * Open-loop arrivals: message i of a step is due at start + i / rate, whatever happened to the
 * messages before it, and goes to sender i mod senders. Latency is then measured from that due
 * time, so a slow server cannot slow the driver down and hide its own queueing.
 */

export interface StepPlan {
  startAt: number;
  rate: number;
  durationMs: number;
  count: number;
}

export function planStep(startAt: number, rate: number, durationMs: number): StepPlan {
  if (!(rate > 0) || !(durationMs > 0)) throw new Error("a step needs a positive rate and duration");
  return { startAt, rate, durationMs, count: Math.floor((rate * durationMs) / 1000) };
}

/** When message `i` of the step is due (same clock as `startAt`). */
export function dueAt(plan: StepPlan, i: number): number {
  return plan.startAt + (i * 1000) / plan.rate;
}

export function senderFor(i: number, senders: number): number {
  return i % senders;
}

/** How many messages of the plan are due by `now` (never more than the plan holds). */
export function dueCount(plan: StepPlan, now: number): number {
  if (now < plan.startAt) return 0;
  return Math.min(plan.count, Math.floor(((now - plan.startAt) * plan.rate) / 1000) + 1);
}

/**
 * Fires every message of the plan at (or as soon as possible after) its due time, on a timer,
 * never waiting for earlier messages to finish. Resolves once the last one has been fired, or
 * when `deadline` passes (the rest are then left unfired and reported as such).
 */
export function runPlan(plan: StepPlan, now: () => number, fire: (i: number, due: number) => void, deadline = Infinity): Promise<number> {
  return new Promise((resolve) => {
    let next = 0;
    const tick = () => {
      const at = now();
      const upTo = at >= deadline ? next : dueCount(plan, at);
      while (next < upTo) {
        fire(next, dueAt(plan, next));
        next++;
      }
      if (next >= plan.count || at >= deadline) return resolve(next);
      setTimeout(tick, Math.max(0, dueAt(plan, next) - now()));
    };
    setTimeout(tick, Math.max(0, plan.startAt - now()));
  });
}
