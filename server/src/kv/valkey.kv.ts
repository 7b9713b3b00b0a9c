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
  let lastError: Error | undefined;
  let connected = false;
  // Without a listener the client prints "Unhandled error event" on every reconnect attempt.
  // Start-up failures are thrown below instead; later ones are logged once per distinct message.
  client.on("error", (error: Error) => {
    if (connected && lastError?.message !== error.message) process.stderr.write(`valkey: ${error.message}\n`);
    lastError = error;
  });
  client.on("ready", () => {
    connected = true;
    lastError = undefined;
  });
  try {
    await client.connect();
  } catch (error) {
    // Otherwise the client keeps retrying in the background and holds the process open.
    client.disconnect();
    const reason = lastError?.message ?? (error as Error).message;
    throw new Error(`valkey: cannot connect to ${withoutPassword(url)}: ${reason}`);
  }
  client.defineCommand("windowHit", { numberOfKeys: 1, lua: HIT_SCRIPT });
  const windowHit = (key: string, windowMs: number) =>
    (client as unknown as { windowHit(key: string, ms: number): Promise<[number, number]> }).windowHit(key, windowMs);

  let closing: Promise<void> | undefined;
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
    async remaining(key) {
      return Math.max(0, await client.pttl(key)); // -2 missing, -1 no TTL
    },
    get: (key) => client.get(key),
    async getMany(keys) {
      return keys.length === 0 ? [] : client.mget(...keys);
    },
    async set(key, value, ttlMs) {
      if (ttlMs === undefined) await client.set(key, value);
      else await client.set(key, value, "PX", ttlMs);
    },
    async delete(key) {
      await client.del(key);
    },
    async ping() {
      // While reconnecting a command would wait in the offline queue; not connected is the answer.
      if (client.status !== "ready") throw new Error(`not connected (${client.status}${lastError ? `: ${lastError.message}` : ""})`);
      await capped(client.ping(), 1_000);
    },
    close() {
      closing ??= (async () => {
        // QUIT lets pending replies arrive; if the server is gone it would wait on a reconnect, hence the cap.
        if (client.status === "ready") await capped(client.quit(), 2_000).catch(() => {});
        client.disconnect();
      })();
      return closing;
    },
  };
}

function capped<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function withoutPassword(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "(unparsable url)";
  }
}
