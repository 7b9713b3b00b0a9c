import type { KeyValueStore } from "./kv.port.ts";

interface Entry {
  value: string;
  expiresAt: number; // Infinity when the key has no TTL
}

/** The single-process key-value store. Expired keys are dropped lazily and by a periodic sweep. */
export function createMemoryKeyValueStore(now: () => number = Date.now): KeyValueStore {
  const entries = new Map<string, Entry>();
  const live = (key: string): Entry | undefined => {
    const entry = entries.get(key);
    if (entry && entry.expiresAt <= now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };
  const sweep = setInterval(() => {
    const at = now();
    for (const [key, entry] of entries) if (entry.expiresAt <= at) entries.delete(key);
  }, 30_000);
  sweep.unref();

  return {
    async hit(key, windowMs) {
      const entry = live(key);
      if (!entry) {
        entries.set(key, { value: "1", expiresAt: now() + windowMs });
        return { count: 1, resetAfterMs: windowMs };
      }
      entry.value = String(Number(entry.value) + 1);
      return { count: Number(entry.value), resetAfterMs: entry.expiresAt - now() };
    },
    async claim(key, ttlMs) {
      const entry = live(key);
      if (entry) return Math.max(1, entry.expiresAt - now());
      entries.set(key, { value: "1", expiresAt: now() + ttlMs });
      return 0;
    },
    async remaining(key) {
      const entry = live(key);
      return entry && Number.isFinite(entry.expiresAt) ? Math.max(1, entry.expiresAt - now()) : 0;
    },
    async get(key) {
      return live(key)?.value ?? null;
    },
    async getMany(keys) {
      return keys.map((key) => live(key)?.value ?? null);
    },
    async set(key, value, ttlMs) {
      entries.set(key, { value, expiresAt: ttlMs === undefined ? Number.POSITIVE_INFINITY : now() + ttlMs });
    },
    async delete(key) {
      entries.delete(key);
    },
    async ping() {},
    async close() {
      clearInterval(sweep);
      entries.clear();
    },
  };
}
