/** What every bus adapter shares: its local subscribers, each shielded from the others' failures. */
import type { DomainEvent } from "./bus.port.ts";

export type BusLog = (message: string, error?: unknown) => void;

export const logToStderr: BusLog = (message, error) => {
  const detail = error instanceof Error ? (error.stack ?? error.message) : error === undefined ? "" : String(error);
  process.stderr.write(`${message}${detail ? `: ${detail}` : ""}\n`);
};

export interface HandlerSet {
  add(handler: (event: DomainEvent) => void): () => void;
  /** Calls every current subscriber; one that throws is logged and does not stop the others. */
  deliver(event: DomainEvent): void;
  /** Calls one subscriber if it is still subscribed (an unsubscribed handler never hears more). */
  deliverTo(handler: (event: DomainEvent) => void, event: DomainEvent): void;
  snapshot(): Array<(event: DomainEvent) => void>;
  clear(): void;
}

export function createHandlerSet(log: BusLog): HandlerSet {
  const handlers = new Set<(event: DomainEvent) => void>();
  const deliverTo = (handler: (event: DomainEvent) => void, event: DomainEvent) => {
    if (!handlers.has(handler)) return;
    try {
      handler(event);
    } catch (error) {
      log(`bus: a ${event.type} subscriber failed`, error);
    }
  };
  return {
    add(handler) {
      // Wrapped so subscribing the same function twice gives two independent subscriptions.
      const own = (event: DomainEvent) => handler(event);
      handlers.add(own);
      return () => {
        handlers.delete(own);
      };
    },
    deliver(event) {
      for (const handler of [...handlers]) deliverTo(handler, event);
    },
    deliverTo,
    snapshot: () => [...handlers],
    clear: () => handlers.clear(),
  };
}
