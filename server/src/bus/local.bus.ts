import type { DomainEvent, EventBus } from "./bus.port.ts";

/** In-process bus: handlers run after the current request's work, never inside it. */
export function createLocalEventBus(): EventBus {
  const handlers = new Set<(event: DomainEvent) => void>();
  return {
    publish(event) {
      for (const handler of handlers) queueMicrotask(() => handler(event));
    },
    subscribe(handler) {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
    async close() {
      handlers.clear();
    },
  };
}
