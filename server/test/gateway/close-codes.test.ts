import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import WebSocket from "ws";
import { registerUser, type TestUser } from "../support/harness.ts";
import { type GatewayClient, until } from "./gateway-client.ts";
import { type GatewayServer, startGatewayServer } from "./gateway-world.ts";

async function closedWith(client: GatewayClient, code: number, what: string) {
  const closed = await client.closed;
  assert.equal(closed.code, code, `${what}: closed ${closed.code} (${closed.reason})`);
}

describe("gateway close codes", () => {
  let server: GatewayServer;
  let user: TestUser;
  before(async () => {
    server = await startGatewayServer({ gateway: { max_backlog: 20, frames_per_window: 30 } });
    user = await registerUser(server, "closer");
  });
  after(() => server.close());

  it("4012 for a missing or wrong version", async () => {
    for (const query of ["encoding=json", "v=2&encoding=json", "v=10"]) {
      await closedWith(await server.connect({ query }), 4012, query);
    }
  });

  it("4002 for a frame over 4096 bytes, for bad JSON, and for an IDENTIFY without token or properties", async () => {
    const big = await server.connect();
    big.ws.send(JSON.stringify({ op: 1, d: null, pad: "x".repeat(5000) }));
    await closedWith(big, 4002, "oversized frame");

    const garbled = await server.connect();
    garbled.ws.send("{not json");
    await closedWith(garbled, 4002, "bad JSON");

    const noToken = await server.connect();
    noToken.send(2, { properties: { os: "linux", browser: "x", device: "x" } });
    await closedWith(noToken, 4002, "identify without token");

    const noProperties = await server.connect();
    noProperties.send(2, { token: user.token });
    await closedWith(noProperties, 4002, "identify without properties");
  });

  it("4004 for a bad token, 4003 before IDENTIFY, 4005 for a second IDENTIFY, 4001 for an unknown op", async () => {
    const bad = await server.connect();
    bad.identify("flx_not_a_real_token");
    await closedWith(bad, 4004, "bad token");

    const early = await server.connect();
    early.send(8, { guild_id: "1", query: "", limit: 0 });
    await closedWith(early, 4003, "op 8 before identify");

    const twice = await server.login(user);
    twice.identify(user.token);
    await closedWith(twice, 4005, "second identify");

    const unknown = await server.login(user);
    unknown.send(99, {});
    await closedWith(unknown, 4001, "op 99");
  });

  it("4007 for a heartbeat with a seq the session never sent", async () => {
    const client = await server.login(user);
    client.heartbeat(client.lastSeq! + 5);
    await closedWith(client, 4007, "seq from the future");
  });

  it("4008 past the frame rate limit", async () => {
    const client = await server.login(user);
    for (let i = 0; i < 40 && client.ws.readyState === WebSocket.OPEN; i++) client.heartbeat(null);
    await closedWith(client, 4008, "31st frame in the window");
  });

  it("4009 when no heartbeat comes within the timeout", async () => {
    const quick = await startGatewayServer({ gateway: { heartbeat_interval_ms: 100, heartbeat_timeout_ms: 300 } });
    try {
      const client = await quick.connect({ answerPings: false });
      await client.next((f) => f.op === 10, "HELLO");
      await closedWith(client, 4009, "silent client");
    } finally {
      await quick.close();
    }
  });

  it("4010 for an invalid shard", async () => {
    const client = await server.connect();
    client.identify(user.token, { shard: [1, 1] });
    await closedWith(client, 4010, "shard [1, 1]");
  });

  it("keeps a reading client open past the replay bound, and a resume from before it gets op 9", async () => {
    const client = await server.login(user);
    const sessionId: string = (await client.dispatch("READY")).d.session_id;
    const firstSeq = client.lastSeq ?? 0;
    for (let i = 0; i < 30; i++) {
      server.deps.bus.publish({ type: "USER_NOTE_UPDATE", audience: { kind: "users", userIds: [BigInt(user.id)] }, data: { i } });
    }
    await until(() => client.seen("USER_NOTE_UPDATE").length === 30, "all 30 dispatches (4013 is for sockets that stop reading)");
    client.drop();
    await until(() => server.app.gateway.stats().connections === 0, "the drop");
    // Only the newest 20 unacknowledged dispatches were kept: the first ones cannot be replayed.
    const stale = await server.connect();
    stale.send(6, { token: user.token, session_id: sessionId, seq: firstSeq + 1 });
    assert.deepEqual(await stale.next((f) => f.op === 9, "op 9"), { op: 9, d: false });
    await stale.close();
    // From within the kept window the same session resumes and replays the rest.
    const recent = await server.connect();
    const lastSeq = client.lastSeq ?? 0;
    recent.send(6, { token: user.token, session_id: sessionId, seq: lastSeq - 5 });
    await recent.dispatch("RESUMED");
    // Other sessions of this user ending meanwhile interleave SESSIONS_REPLACE: count only the notes.
    const notesAfter = client.seen("USER_NOTE_UPDATE").filter((f) => (f.s as number) > lastSeq - 5).length;
    assert.ok(notesAfter > 0);
    assert.equal(recent.seen("USER_NOTE_UPDATE").length, notesAfter);
    await recent.close();
  });

  it("4000 when the server fails while handling a frame", async () => {
    const sessions = server.deps.stores.sessions;
    const original = sessions.get;
    sessions.get = () => {
      throw new Error("storage fell over");
    };
    try {
      const client = await server.connect();
      client.identify(user.token);
      await closedWith(client, 4000, "failing identify");
    } finally {
      sessions.get = original;
    }
  });
});
