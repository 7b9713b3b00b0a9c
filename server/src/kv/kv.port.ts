/**
 * The key-value port: short-lived shared counters and flags (rate limits, slowmode, presence).
 * In memory for one process; Valkey when several processes share the work.
 */
export interface WindowHit {
  /** Hits in the current window, this one included. */
  count: number;
  /** Milliseconds until the window resets. */
  resetAfterMs: number;
}

export interface KeyValueStore {
  /** Counts one hit in a fixed window of `windowMs` that starts with the first hit. */
  hit(key: string, windowMs: number): Promise<WindowHit>;
  /** Sets `key` for `ttlMs` unless it exists; returns 0 when claimed, else the ms left on the existing claim. */
  claim(key: string, ttlMs: number): Promise<number>;
  /** Milliseconds until `key` expires; 0 when it does not exist or has no TTL. */
  remaining(key: string): Promise<number>;
  get(key: string): Promise<string | null>;
  /** Values of many keys in one round trip, in the order asked (null where absent). */
  getMany(keys: readonly string[]): Promise<(string | null)[]>;
  set(key: string, value: string, ttlMs?: number): Promise<void>;
  delete(key: string): Promise<void>;
  /** Resolves when the store answers right now (readiness); rejects with why not. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
