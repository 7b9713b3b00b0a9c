/** Runs the bus contract on the in-process bus and on a real nats-server. */
import { after, before, describe } from "node:test";
import { engineOrSkip, findBinary, type RunningEngine, startNats } from "../../test/support/engines.ts";
import { eventBusContract } from "./contract/bus.contract.ts";
import { createLocalEventBus } from "./local.bus.ts";
import { createNatsEventBus } from "./nats.bus.ts";

eventBusContract("local", { makeBus: async ({ log }) => createLocalEventBus({ log }), shared: false });

describe("NATS", () => {
  let nats: RunningEngine | undefined;
  before(async () => {
    // A missing binary skips each test (engineOrSkip); an installed one that fails to start fails.
    if (findBinary(["nats-server"])) nats = await startNats();
  });
  after(() => nats?.stop());

  eventBusContract("nats", {
    makeBus: ({ log }) => createNatsEventBus(nats!.url, undefined, { log }),
    shared: true,
    available: (t) => engineOrSkip("nats", t),
  });
});
