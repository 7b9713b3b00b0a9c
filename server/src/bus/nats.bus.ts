/**
 * The bus over NATS core, for when API and gateway run as separate processes.
 *
 * Every process publishes to and subscribes to one subject. Local subscribers are fed only from
 * that subscription (the server echoes our own messages back), never directly by `publish`, so each
 * event reaches each subscriber exactly once, wherever it was published.
 *
 * Ordering: NATS keeps the order of messages from one connection, so events published by one
 * process arrive everywhere in publish order. Events from different processes interleave in no
 * promised order (as two API processes' requests would anyway).
 *
 * Delivery is at most once: NATS core has no persistence, so an event published while this
 * process is disconnected beyond the client's reconnect buffer, or while no one listens, is lost.
 */
import { connect, type NatsConnection } from "nats";
import type { DomainEvent, EventBus } from "./bus.port.ts";
import { decodeEvent, encodeEvent } from "./event-wire.ts";
import { type BusLog, createHandlerSet, logToStderr } from "./handlers.ts";

export const NATS_EVENTS_SUBJECT = "fluxer.events";

export interface NatsBusOptions {
  /** Defaults to stderr (stdout is reserved for the host's start-up message). */
  log?: BusLog;
  subject?: string;
}

/** Connects (and subscribes) before returning; throws if the server cannot be reached at start-up. */
export async function createNatsEventBus(url: string, token?: string, options: NatsBusOptions = {}): Promise<EventBus> {
  const log = options.log ?? logToStderr;
  const subject = options.subject ?? NATS_EVENTS_SUBJECT;
  let nc: NatsConnection;
  try {
    nc = await connect({
      servers: url,
      ...(token ? { token } : {}),
      name: "fluxer-server",
      // A long-running server keeps trying; events published meanwhile are buffered by the client.
      maxReconnectAttempts: -1,
    });
  } catch (error) {
    throw new Error(`nats bus: cannot connect to ${url.replace(/\/\/[^@/]*@/, "//***@")}: ${(error as Error).message}`);
  }
  const handlers = createHandlerSet(log);

  nc.subscribe(subject, {
    callback: (error, message) => {
      if (error) return log("nats bus: subscription error", error);
      const event = decodeEvent(message.data);
      if (!event) return log(`nats bus: dropped an unreadable message on ${subject}`);
      handlers.deliver(event);
    },
  });
  // The server has registered our subscription once flush returns: nothing published after this is missed.
  await nc.flush();
  const link = { connected: true };
  void watchStatus(nc, log, link);

  let closing: Promise<void> | undefined;
  return {
    publish(event: DomainEvent) {
      // Publishing is fire-and-forget for callers (inside request handling): never throw at them.
      if (closing || nc.isClosed()) return log(`nats bus: closed, dropped ${event.type}`);
      try {
        nc.publish(subject, encodeEvent(event));
      } catch (error) {
        // Closed underneath us, payload over the server's max_payload, or data that is not JSON-safe.
        log(`nats bus: dropped ${event.type}`, error);
      }
    },
    subscribe: handlers.add,
    async ping() {
      if (closing || nc.isClosed()) throw new Error("closed");
      // While reconnecting a flush would wait for the server; not connected is the answer.
      if (!link.connected) throw new Error("not connected (reconnecting)");
      await withTimeout(nc.flush(), 1_000);
    },
    close() {
      closing ??= (async () => {
        // Drain: flush what we published and let the subscription hand over what already arrived.
        // With the server gone a drain fails or waits on a reconnect, and the client would keep
        // reconnecting forever (holding the process open): cap it, then close outright.
        if (!nc.isClosed()) await withTimeout(nc.drain(), 2_000).catch((error) => log("nats bus: drain failed", error));
        if (!nc.isClosed()) await nc.close().catch(() => {});
        handlers.clear();
      })();
      return closing;
    },
  };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function watchStatus(nc: NatsConnection, log: BusLog, link: { connected: boolean }) {
  // Ends when the connection closes.
  for await (const status of nc.status()) {
    if (status.type === "disconnect") link.connected = false;
    if (status.type === "reconnect") link.connected = true;
    if (status.type === "disconnect" || status.type === "reconnect" || status.type === "error") {
      log(`nats bus: ${status.type} ${String(status.data ?? "")}`.trim());
    }
  }
}
