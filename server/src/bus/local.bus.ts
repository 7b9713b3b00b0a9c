import type { EventBus } from "./bus.port.ts";
import { type BusLog, createHandlerSet, logToStderr } from "./handlers.ts";

/** In-process bus: handlers run after the current request's work, never inside it, in publish order. */
export function createLocalEventBus(options: { log?: BusLog } = {}): EventBus {
  const handlers = createHandlerSet(options.log ?? logToStderr);
  let closed = false;
  return {
    publish(event) {
      if (closed) return;
      // Who hears an event is fixed when it is published; one unsubscribed meanwhile is skipped.
      const targets = handlers.snapshot();
      queueMicrotask(() => {
        for (const handler of targets) handlers.deliverTo(handler, event);
      });
    },
    subscribe: handlers.add,
    async ping() {
      if (closed) throw new Error("the bus is closed");
    },
    async close() {
      closed = true;
      handlers.clear();
    },
  };
}
