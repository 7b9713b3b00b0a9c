/**
 * The behaviour every KeyValueStore adapter must show. Windows and TTLs are short (150 ms) and the
 * tests wait them out; they assert counts and values, never exact timings.
 */
import assert from "node:assert/strict";
import { after, describe, it, type TestContext } from "node:test";
import type { KeyValueStore } from "../kv.port.ts";

export interface KvContractOptions {
  /** Opens a store; each suite opens one and closes it at the end. */
  makeStore(): Promise<KeyValueStore>;
  /** Runs first in every test; returns false when the test was skipped (an engine is missing). */
  available?(t: TestContext): boolean;
}

const WINDOW = 150;
const PAST_WINDOW = WINDOW + 100;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function keyValueStoreContract(name: string, options: KvContractOptions): void {
  describe(`KeyValueStore contract: ${name}`, () => {
    let store: KeyValueStore | undefined;
    let keys = 0;
    // Fresh keys per test, so tests never see each other's counters even on a shared server.
    const key = (label: string) => `contract:${process.pid}:${Date.now()}:${++keys}:${label}`;

    // Opened by the first test that may run, so a missing engine skips instead of failing a hook.
    after(async () => {
      await store?.close();
    });

    async function kv(t: TestContext): Promise<KeyValueStore | null> {
      if (options.available && !options.available(t)) return null;
      store ??= await options.makeStore();
      return store;
    }

    it("counts hits in a window and starts again after it", async (t) => {
      const s = await kv(t);
      if (!s) return;
      const k = key("hits");
      const first = await s.hit(k, WINDOW);
      assert.equal(first.count, 1);
      assert.ok(first.resetAfterMs > 0 && first.resetAfterMs <= WINDOW, `resetAfterMs ${first.resetAfterMs}`);
      assert.equal((await s.hit(k, WINDOW)).count, 2);
      const third = await s.hit(k, WINDOW);
      assert.equal(third.count, 3);
      assert.ok(third.resetAfterMs > 0 && third.resetAfterMs <= first.resetAfterMs, "the window does not restart on later hits");
      await sleep(PAST_WINDOW);
      const fresh = await s.hit(k, WINDOW);
      assert.equal(fresh.count, 1);
      assert.ok(fresh.resetAfterMs > 0 && fresh.resetAfterMs <= WINDOW);
    });

    it("counts concurrent hits exactly", async (t) => {
      const s = await kv(t);
      if (!s) return;
      const k = key("concurrent");
      const results = await Promise.all(Array.from({ length: 25 }, () => s.hit(k, 5_000)));
      assert.deepEqual(
        results.map((r) => r.count).sort((a, b) => a - b),
        Array.from({ length: 25 }, (_, i) => i + 1),
      );
    });

    it("keeps counters, claims and values of different keys apart", async (t) => {
      const s = await kv(t);
      if (!s) return;
      const [a, b] = [key("a"), key("b")];
      await s.hit(a, 5_000);
      await s.hit(a, 5_000);
      assert.equal((await s.hit(b, 5_000)).count, 1);
      const [ca, cb] = [key("claim-a"), key("claim-b")];
      assert.equal(await s.claim(ca, 5_000), 0);
      assert.equal(await s.claim(cb, 5_000), 0);
      const [va, vb] = [key("value-a"), key("value-b")];
      await s.set(va, "one");
      assert.equal(await s.get(vb), null);
      await s.set(vb, "two");
      await s.delete(va);
      assert.equal(await s.get(va), null);
      assert.equal(await s.get(vb), "two");
    });

    it("claims a key once until its TTL runs out, telling others how long is left", async (t) => {
      const s = await kv(t);
      if (!s) return;
      const k = key("claim");
      assert.equal(await s.claim(k, WINDOW), 0);
      const left = await s.claim(k, WINDOW);
      assert.ok(left > 0 && left <= WINDOW, `ms left ${left}`);
      const later = await s.claim(k, 10 * WINDOW);
      assert.ok(later > 0 && later <= left, "a failed claim does not extend the existing one");
      const remaining = await s.remaining(k);
      assert.ok(remaining > 0 && remaining <= later, `remaining ${remaining}`);
      assert.equal(await s.remaining(key("never-set")), 0);
      await sleep(PAST_WINDOW);
      assert.equal(await s.remaining(k), 0);
      assert.equal(await s.claim(k, WINDOW), 0);
    });

    it("gets, sets, overwrites and deletes values without a TTL", async (t) => {
      const s = await kv(t);
      if (!s) return;
      const k = key("plain");
      assert.equal(await s.get(k), null);
      await s.set(k, "first");
      assert.equal(await s.get(k), "first");
      await s.set(k, 'zweite ✨ {"json":true}');
      assert.equal(await s.get(k), 'zweite ✨ {"json":true}');
      await s.set(k, "");
      assert.equal(await s.get(k), "", "an empty string is a value, not a miss");
      await s.delete(k);
      assert.equal(await s.get(k), null);
      await s.delete(k); // deleting a missing key is fine
      await sleep(PAST_WINDOW);
      await s.set(k, "kept");
      await sleep(PAST_WINDOW);
      assert.equal(await s.get(k), "kept", "no TTL means no expiry");
    });

    it("expires a value set with a TTL, and a later set without TTL clears the TTL", async (t) => {
      const s = await kv(t);
      if (!s) return;
      const [gone, kept] = [key("ttl-gone"), key("ttl-kept")];
      await s.set(gone, "soon", WINDOW);
      await s.set(kept, "soon", WINDOW);
      assert.equal(await s.get(gone), "soon");
      await s.set(kept, "forever");
      await sleep(PAST_WINDOW);
      assert.equal(await s.get(gone), null);
      assert.equal(await s.get(kept), "forever");
      // An expired key can be claimed and counted afresh.
      assert.equal(await s.claim(gone, WINDOW), 0);
    });

    it("reads many values at once, in the order asked, with null for missing and expired keys", async (t) => {
      const s = await kv(t);
      if (!s) return;
      const [a, b, gone, missing] = [key("many-a"), key("many-b"), key("many-gone"), key("many-missing")];
      await s.set(a, "A");
      await s.set(b, "B");
      await s.set(gone, "soon", WINDOW);
      assert.deepEqual(await s.getMany([]), []);
      assert.deepEqual(await s.getMany([b, missing, a, b]), ["B", null, "A", "B"]);
      await sleep(PAST_WINDOW);
      assert.deepEqual(await s.getMany([gone, a]), [null, "A"]);
    });

    it("lets a deleted claim be taken again at once", async (t) => {
      const s = await kv(t);
      if (!s) return;
      const k = key("released");
      assert.equal(await s.claim(k, 5_000), 0);
      await s.delete(k);
      assert.equal(await s.claim(k, 5_000), 0);
    });

    it("closes idempotently", async (t) => {
      if (options.available && !options.available(t)) return;
      const own = await options.makeStore();
      await Promise.all([own.close(), own.close()]);
      await own.close();
    });
  });
}
