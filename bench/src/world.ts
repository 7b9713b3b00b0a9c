/**
 * Setup shared by the fan-out scenarios: one guild with a text channel, senders and listeners
 * registered through REST (concurrently, in small batches, so argon2 on the server stays busy
 * without queueing everything at once), all joined through one invite, listeners identified.
 */
import type { Account, ServerAdapter } from "./adapter.ts";
import { GatewayListener, type ListenerEvents } from "./listener.ts";
import type { RestClient } from "./rest-client.ts";

export interface FanoutWorld {
  guildId: string;
  channelId: string;
  senders: Account[];
  listeners: Account[];
}

/** Runs `task` over `items`, at most `batch` at a time, keeping the results in order. */
export async function inBatches<T, R>(items: readonly T[], batch: number, task: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await task(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(batch, items.length) }, worker));
  return results;
}

export async function buildFanoutWorld(
  adapter: ServerAdapter,
  rest: RestClient,
  counts: { senders: number; listeners: number; batch: number },
): Promise<FanoutWorld> {
  // Names are unique per run so an adapter for a long-lived server does not collide with earlier runs.
  const tag = Date.now().toString(36).slice(-5);
  const owner = await adapter.register(rest, `bench_${tag}_owner`);
  const { guildId, channelId } = await adapter.createGuild(rest, owner, "bench fan-out");
  const code = await adapter.createInvite(rest, owner, channelId);
  const names = [
    ...Array.from({ length: counts.senders - 1 }, (_, i) => `bench_${tag}_s${i + 1}`),
    ...Array.from({ length: counts.listeners }, (_, i) => `bench_${tag}_l${i + 1}`),
  ];
  const joined = await inBatches(names, counts.batch, async (name) => {
    const account = await adapter.register(rest, name);
    await adapter.acceptInvite(rest, account, code);
    return account;
  });
  return {
    guildId,
    channelId,
    senders: [owner, ...joined.slice(0, counts.senders - 1)],
    listeners: joined.slice(counts.senders - 1),
  };
}

export function connectListeners(
  adapter: ServerAdapter,
  accounts: readonly Account[],
  options: { now: () => number; events: ListenerEvents; batch: number; ackIntervalMs: number },
  /** Every listener that reached READY lands here as it does, so a failed setup can still close them all. */
  connected: GatewayListener[],
): Promise<void> {
  return inBatches(accounts, options.batch, async (account) => {
    const listener = await GatewayListener.connect({
      url: adapter.gatewayUrl,
      identify: adapter.identify(account),
      now: options.now,
      events: options.events,
      ackIntervalMs: options.ackIntervalMs,
      readyTimeoutMs: 20_000,
    });
    connected.push(listener);
  }).then(() => undefined);
}
