/** Runs the key-value contract on the in-process store and on a real redis/valkey. */
import { after, before, describe } from "node:test";
import { engineOrSkip, findBinary, type RunningEngine, startRedis } from "../../test/support/engines.ts";
import { keyValueStoreContract } from "./contract/kv.contract.ts";
import { createMemoryKeyValueStore } from "./memory.kv.ts";
import { createValkeyKeyValueStore } from "./valkey.kv.ts";

keyValueStoreContract("memory", { makeStore: async () => createMemoryKeyValueStore() });

describe("redis", () => {
  let redis: RunningEngine | undefined;
  before(async () => {
    // A missing binary skips each test (engineOrSkip); an installed one that fails to start fails.
    if (findBinary(["valkey-server", "redis-server"])) redis = await startRedis();
  });
  after(() => redis?.stop());

  keyValueStoreContract("valkey", {
    makeStore: () => createValkeyKeyValueStore(redis!.url),
    available: (t) => engineOrSkip("redis", t),
  });
});
