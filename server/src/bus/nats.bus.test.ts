/** What only the NATS bus does: start-up failures, foreign messages, and its wiring in the composition root. */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { connect } from "nats";
import { engineOrSkip, findBinary, freePort, type RunningEngine, startNats, startRedis } from "../../test/support/engines.ts";
import { startTestServer } from "../../test/support/harness.ts";
import type { DomainEvent } from "./bus.port.ts";
import { createNatsEventBus, NATS_EVENTS_SUBJECT } from "./nats.bus.ts";

async function waitFor(what: string, condition: () => boolean, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const tcpSockets = () => process.getActiveResourcesInfo().filter((name) => name === "TCPSocketWrap").length;

describe("NATS bus adapter", () => {
  let nats: RunningEngine | undefined;
  before(async () => {
    if (findBinary(["nats-server"])) nats = await startNats();
  });
  after(() => nats?.stop());

  it("refuses to start when the server cannot be reached, naming the URL", async (t) => {
    if (!engineOrSkip("nats", t)) return;
    const port = await freePort();
    await assert.rejects(createNatsEventBus(`nats://127.0.0.1:${port}`), new RegExp(`cannot connect to nats://127.0.0.1:${port}`));
  });

  it("drops and logs a message it cannot read, and keeps delivering", async (t) => {
    if (!engineOrSkip("nats", t)) return;
    const logged: string[] = [];
    const bus = await createNatsEventBus(nats!.url, undefined, { log: (message) => void logged.push(message) });
    t.after(() => bus.close());
    const seen: DomainEvent[] = [];
    bus.subscribe((event) => void seen.push(event));
    const raw = await connect({ servers: nats!.url });
    t.after(() => raw.close());
    const encode = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
    raw.publish(NATS_EVENTS_SUBJECT, new TextEncoder().encode("not json"));
    raw.publish(NATS_EVENTS_SUBJECT, encode({ v: 1, type: "X", audience: { kind: "guild", guildId: 12 }, data: {} })); // a number id
    raw.publish(NATS_EVENTS_SUBJECT, encode({ v: 3, type: "X", audience: { kind: "users", userIds: [] }, data: {} })); // a newer version
    raw.publish(NATS_EVENTS_SUBJECT, encode({ v: 1, type: "OK", audience: { kind: "users", userIds: ["42"] }, data: { a: 1 } }));
    await waitFor("the readable event", () => seen.length === 1);
    assert.deepStrictEqual(seen[0], { type: "OK", audience: { kind: "users", userIds: [42n] }, data: { a: 1 } });
    assert.equal(logged.filter((line) => line.includes("unreadable")).length, 3);
  });

  it("drops and logs an event whose data is not JSON-safe, without throwing at the publisher", async (t) => {
    if (!engineOrSkip("nats", t)) return;
    const logged: string[] = [];
    const bus = await createNatsEventBus(nats!.url, undefined, { log: (message) => void logged.push(message) });
    t.after(() => bus.close());
    const seen: string[] = [];
    bus.subscribe((event) => void seen.push(event.type));
    assert.doesNotThrow(() => bus.publish({ type: "BAD", audience: { kind: "users", userIds: [1n] }, data: { id: 1n } }));
    bus.publish({ type: "GOOD", audience: { kind: "users", userIds: [1n] }, data: {} });
    await waitFor("the good event", () => seen.includes("GOOD"));
    assert.deepEqual(seen, ["GOOD"]);
    assert.ok(logged.some((line) => line.includes("dropped BAD")));
  });

  it("is chosen by services.nats.core_url, carries the server's events to another process, and closes with deps", async (t) => {
    if (!engineOrSkip("nats", t) || !engineOrSkip("redis", t)) return;
    const redis = await startRedis();
    t.after(() => redis.stop());
    const sockets = tcpSockets();
    const server = await startTestServer({ services: { nats: { core_url: nats!.url } }, internal: { kv: redis.url } });
    let closed = false;
    t.after(() => (closed ? undefined : server.close()));
    // Another process (the gateway, say) listening on the same NATS server.
    const gateway = await createNatsEventBus(nats!.url);
    t.after(() => gateway.close());
    const seen: DomainEvent[] = [];
    gateway.subscribe((event) => void seen.push(event));
    server.deps.bus.publish({ type: "GUILD_UPDATE", audience: { kind: "guild", guildId: 7n, channelId: 8n }, data: { id: "7" } });
    await waitFor("the event in the other process", () => seen.length === 1);
    assert.deepStrictEqual(seen[0]?.audience, { kind: "guild", guildId: 7n, channelId: 8n });
    // The key-value store is the shared one too.
    await server.deps.kv.set("wiring", "yes");
    assert.ok(tcpSockets() >= sockets + 2, "NATS and Valkey connections are open");
    await server.close();
    closed = true;
    await waitFor("the connections to close", () => tcpSockets() <= sockets + 1); // the gateway's NATS socket remains
  });
});
