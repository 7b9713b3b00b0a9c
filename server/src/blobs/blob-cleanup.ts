/**
 * Deleting blobs so that a failure is never forgotten: each deletion is written to the queue
 * (a store port) before it is tried, and leaves the queue only once the blob store confirmed it.
 * A failed one is retried with a growing delay, at start and periodically, until it succeeds.
 */
import type { BlobDeletionStore, BlobDeletionTarget, QueuedBlobDeletion } from "../storage/ports.ts";
import type { BlobStore } from "./blob-store.port.ts";

export interface BlobCleanupOptions {
  blobs: BlobStore;
  queue: BlobDeletionStore;
  clock: () => number;
  /** How often the queue is drained once started. */
  intervalMs?: number;
  /** Told about each failed attempt (the queue keeps it either way). */
  onError?: (error: unknown, entry: BlobDeletionTarget) => void;
}

const BATCH = 100;
const FIRST_RETRY_MS = 30_000;
const MAX_RETRY_MS = 6 * 60 * 60 * 1000;
/** While a deletion is being tried right away, the drain leaves it alone this long. */
const IN_FLIGHT_MS = 10 * 60 * 1000;

export interface BlobCleanup {
  /** Deletes the keys and prefixes now; what fails stays queued. Never throws for the blob store's failures. */
  remove(targets: readonly BlobDeletionTarget[]): Promise<void>;
  /** Tries every entry due by `until` (default: now) once; returns how many are done and how many failed again. */
  drain(until?: number): Promise<{ done: number; failed: number }>;
  /** Drains every entry now (a new process: nothing is in flight any more), then what is due every `intervalMs`, until `stop`. */
  start(): void;
  stop(): Promise<void>;
}

export const keysToDelete = (keys: readonly string[]): BlobDeletionTarget[] => keys.map((target) => ({ kind: "key", target }));
export const prefixToDelete = (target: string): BlobDeletionTarget => ({ kind: "prefix", target });

export function createBlobCleanup(options: BlobCleanupOptions): BlobCleanup {
  const { blobs, queue, clock } = options;
  let timer: NodeJS.Timeout | undefined;
  let draining: Promise<unknown> | undefined;

  const retryDelay = (attempts: number) => Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.min(attempts, 20));

  async function attempt(entries: readonly QueuedBlobDeletion[]): Promise<{ done: number; failed: number }> {
    const keys = entries.filter((entry) => entry.kind === "key");
    const succeeded: number[] = [];
    const failed: [QueuedBlobDeletion, unknown][] = [];
    if (keys.length > 0) {
      try {
        await blobs.deleteMany(keys.map((entry) => entry.target));
        succeeded.push(...keys.map((entry) => entry.id));
      } catch (error) {
        for (const entry of keys) failed.push([entry, error]);
      }
    }
    for (const entry of entries.filter((one) => one.kind === "prefix")) {
      try {
        await blobs.deletePrefix(entry.target);
        succeeded.push(entry.id);
      } catch (error) {
        failed.push([entry, error]);
      }
    }
    queue.done(succeeded);
    for (const [entry, error] of failed) {
      queue.retryLater(entry.id, clock() + retryDelay(entry.attempts), error instanceof Error ? error.message : String(error));
      options.onError?.(error, entry);
    }
    return { done: succeeded.length, failed: failed.length };
  }

  async function drainOnce(until: number) {
    const total = { done: 0, failed: 0 };
    const seen = new Set<number>();
    for (;;) {
      const due = queue.due(until, BATCH).filter((entry) => !seen.has(entry.id));
      if (due.length === 0) return total;
      for (const entry of due) seen.add(entry.id);
      const result = await attempt(due);
      total.done += result.done;
      total.failed += result.failed;
    }
  }

  function drain(until?: number) {
    // One drain at a time: the periodic one and a caller's never try the same entry twice at once.
    const once = () => drainOnce(until ?? clock());
    const run = (draining ?? Promise.resolve()).then(once, once);
    draining = run.catch(() => undefined);
    return run;
  }

  return {
    async remove(targets) {
      if (targets.length === 0) return;
      const ids = queue.enqueue(targets, clock() + IN_FLIGHT_MS);
      await attempt(targets.map((target, i) => ({ ...target, id: ids[i] as number, attempts: 0 })));
    },

    drain,

    start() {
      if (timer) return;
      const tick = (until?: number) => void drain(until).catch((error) => options.onError?.(error, { kind: "prefix", target: "(queue)" }));
      tick(Number.MAX_SAFE_INTEGER);
      timer = setInterval(tick, options.intervalMs ?? 60_000);
      timer.unref();
    },

    async stop() {
      clearInterval(timer);
      timer = undefined;
      await draining;
    },
  };
}
