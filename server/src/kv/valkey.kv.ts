import { Valkey } from "iovalkey";
import type { KeyValueStore } from "./kv.port.ts";

// INCR and the first PEXPIRE must happen together, or a crash between them leaves a counter that never resets.
const HIT_SCRIPT = `
local count = redis.call('INCR', KEYS[1])
if count == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {count, redis.call('PTTL', KEYS[1])}`;

/** Valkey (or Redis, same protocol) behind the key-value port. Connects when created, never at import. */
export async function createValkeyKeyValueStore(url: string, prefix = "fluxer:"): Promise<KeyValueStore> {
  const client = new Valkey(url, { keyPrefix: prefix, lazyConnect: true, maxRetriesPerRequest: 2 });
  await client.connect();
  client.defineCommand("windowHit", { numberOfKeys: 1, lua: HIT_SCRIPT });
  const windowHit = (key: string, windowMs: number) =>
    (client as unknown as { windowHit(key: string, ms: number): Promise<[number, number]> }).windowHit(key, windowMs);

  return {
    async hit(key, windowMs) {
      const [count, ttl] = await windowHit(key, windowMs);
      return { count, resetAfterMs: ttl > 0 ? ttl : windowMs };
    },
    async claim(key, ttlMs) {
      const set = await client.set(key, "1", "PX", ttlMs, "NX");
      if (set === "OK") return 0;
      return Math.max(1, await client.pttl(key));
    },
    get: (key) => client.get(key),
    async set(key, value, ttlMs) {
      if (ttlMs === undefined) await client.set(key, value);
      else await client.set(key, value, "PX", ttlMs);
    },
    async delete(key) {
      await client.del(key);
    },
    async close() {
      await client.quit();
    },
  };
}
