/** The behaviour every EventBus adapter must show. */
import assert from "node:assert/strict";
import { describe, it, type TestContext } from "node:test";
import type { DomainEvent, EventBus } from "../bus.port.ts";
import type { BusLog } from "../handlers.ts";

export interface BusContractOptions {
  /** Opens a new bus. Buses made by one suite share their backend (e.g. the same NATS server). */
  makeBus(options: { log: BusLog }): Promise<EventBus>;
  /** The backend connects separate buses (true for NATS; false for the in-process bus). */
  shared: boolean;
  /** Runs first in every test; returns false when the test was skipped (an engine is missing). */
  available?(t: TestContext): boolean;
}

const BIG = 9_223_372_036_854_775_807n; // the largest snowflake: loses precision as a JSON number

function sampleEvents(tag: string): DomainEvent[] {
  return [
    { type: "MESSAGE_CREATE", audience: { kind: "guild", guildId: BIG, channelId: BIG - 1n }, data: { id: String(BIG), tag } },
    { type: "GUILD_UPDATE", audience: { kind: "guild", guildId: 1_300_000_000_000_000_001n }, data: { name: "héllo ✨", tag } },
    // A required permission: guild-level (BAN_MEMBERS), and channel-level with the highest bit a permission can have.
    { type: "GUILD_BAN_ADD", audience: { kind: "guild", guildId: BIG, permission: 1n << 2n }, data: { tag } },
    { type: "INVITE_CREATE", audience: { kind: "guild", guildId: 7n, channelId: 8n, permission: 1n << 63n }, data: { tag } },
    { type: "USER_UPDATE", audience: { kind: "users", userIds: [1n, BIG, 1_300_000_000_000_000_002n] }, data: { n: null, a: [1, 2], tag } },
    { type: "RELATIONSHIP_REMOVE", audience: { kind: "users", userIds: [] }, data: { tag } },
  ];
}

const sentinel = (tag: string): DomainEvent => ({ type: "SENTINEL", audience: { kind: "users", userIds: [0n] }, data: { tag } });
const isSentinel = (event: DomainEvent, tag: string) => event.type === "SENTINEL" && (event.data as { tag: string }).tag === tag;

async function waitFor(what: string, condition: () => boolean, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Events a handler received, minus sentinels. */
function recorder() {
  const seen: DomainEvent[] = [];
  return { seen, handler: (event: DomainEvent) => void seen.push(event), real: () => seen.filter((e) => e.type !== "SENTINEL") };
}

export function eventBusContract(name: string, options: BusContractOptions): void {
  describe(`EventBus contract: ${name}`, () => {
    const logged: string[] = [];
    const log: BusLog = (message) => void logged.push(message);

    /** Opens a bus that is closed when the test ends, or null when the test is skipped. */
    async function open(t: TestContext): Promise<EventBus | null> {
      if (options.available && !options.available(t)) return null;
      const bus = await options.makeBus({ log });
      t.after(() => bus.close());
      return bus;
    }

    it("delivers every event once to every subscriber, in publish order, with bigints intact", async (t) => {
      const bus = await open(t);
      if (!bus) return;
      const first = recorder();
      const second = recorder();
      bus.subscribe(first.handler);
      bus.subscribe(second.handler);
      const events = [...sampleEvents("a"), ...sampleEvents("b"), ...sampleEvents("c")];
      for (const event of events) bus.publish(event);
      bus.publish(sentinel("end"));
      await waitFor("the sentinel", () => [first, second].every((r) => r.seen.some((e) => isSentinel(e, "end"))));
      // Nothing after the sentinel either: a duplicate would come before it, as order is kept.
      await new Promise((resolve) => setTimeout(resolve, 30));
      assert.deepStrictEqual(first.real(), events);
      assert.deepStrictEqual(second.real(), events);
      assert.equal(first.seen.length, events.length + 1);
    });

    it("calls a function subscribed twice twice, and keeps delivering when one subscriber throws", async (t) => {
      const bus = await open(t);
      if (!bus) return;
      const calls: string[] = [];
      const twice = (event: DomainEvent) => void calls.push(event.type);
      bus.subscribe(() => {
        throw new Error("subscriber bug");
      });
      bus.subscribe(twice);
      bus.subscribe(twice);
      const before = logged.length;
      bus.publish(sampleEvents("x")[0]!);
      bus.publish(sentinel("s"));
      await waitFor("both events", () => calls.length === 4);
      assert.deepEqual(calls, ["MESSAGE_CREATE", "MESSAGE_CREATE", "SENTINEL", "SENTINEL"]);
      assert.ok(
        logged.slice(before).some((line) => line.includes("subscriber failed")),
        "the failure is logged",
      );
    });

    it("stops delivering to a handler once it unsubscribes, and only to that one", async (t) => {
      const bus = await open(t);
      if (!bus) return;
      const leaving = recorder();
      const staying = recorder();
      const unsubscribe = bus.subscribe(leaving.handler);
      bus.subscribe(staying.handler);
      const [one, two] = sampleEvents("u");
      bus.publish(one!);
      bus.publish(sentinel("1"));
      await waitFor("the first sentinel", () => leaving.seen.some((e) => isSentinel(e, "1")));
      unsubscribe();
      unsubscribe(); // a second call is harmless
      bus.publish(two!);
      bus.publish(sentinel("2"));
      await waitFor("the second sentinel", () => staying.seen.some((e) => isSentinel(e, "2")));
      assert.deepStrictEqual(leaving.real(), [one]);
      assert.deepStrictEqual(staying.real(), [one, two]);
    });

    it("does not deliver to a handler that unsubscribes between publish and delivery", async (t) => {
      const bus = await open(t);
      if (!bus) return;
      const leaving = recorder();
      const staying = recorder();
      const unsubscribe = bus.subscribe(leaving.handler);
      bus.subscribe(staying.handler);
      bus.publish(sentinel("gone"));
      unsubscribe();
      await waitFor("the sentinel", () => staying.seen.length === 1);
      assert.equal(leaving.seen.length, 0);
    });

    it("closes idempotently, and a publish after close neither throws nor delivers", async (t) => {
      const bus = await open(t);
      if (!bus) return;
      const late = recorder();
      bus.subscribe(late.handler);
      await Promise.all([bus.close(), bus.close()]);
      await bus.close();
      assert.doesNotThrow(() => bus.publish(sampleEvents("late")[0]!));
      await new Promise((resolve) => setTimeout(resolve, 30));
      assert.equal(late.seen.length, 0);
    });

    if (options.shared) {
      it("connects buses on one backend: each sees the other's events once, each publisher's in order", async (t) => {
        const left = await open(t);
        const right = await open(t);
        if (!left || !right) return;
        const onLeft = recorder();
        const onRight = recorder();
        left.subscribe(onLeft.handler);
        right.subscribe(onRight.handler);
        const fromLeft = sampleEvents("left");
        const fromRight = sampleEvents("right");
        for (const event of fromLeft) left.publish(event);
        left.publish(sentinel("left"));
        for (const event of fromRight) right.publish(event);
        right.publish(sentinel("right"));
        const done = (r: ReturnType<typeof recorder>) => isDone(r.seen, ["left", "right"]);
        await waitFor("both sentinels on both buses", () => done(onLeft) && done(onRight));
        await new Promise((resolve) => setTimeout(resolve, 30));
        for (const r of [onLeft, onRight]) {
          const events = r.real();
          assert.equal(events.length, fromLeft.length + fromRight.length, "each event exactly once");
          assert.deepStrictEqual(
            events.filter((e) => tagOf(e) === "left"),
            fromLeft,
          );
          assert.deepStrictEqual(
            events.filter((e) => tagOf(e) === "right"),
            fromRight,
          );
        }
      });
    }
  });
}

const tagOf = (event: DomainEvent) => (event.data as { tag?: string }).tag;
const isDone = (seen: DomainEvent[], tags: string[]) => tags.every((tag) => seen.some((e) => isSentinel(e, tag)));
