import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { until } from "./gateway-client.ts";
import { type GatewayServer, guildWithMembers, startGatewayServer } from "./gateway-world.ts";

describe("gateway resume", () => {
  let server: GatewayServer;
  before(async () => {
    server = await startGatewayServer({ gateway: { resume_window_ms: 1500 } });
  });
  after(() => server.close());

  const say = async (token: string, channelId: string, content: string) => {
    const sent = await server.request("POST", `/channels/${channelId}/messages`, { token, body: { content } });
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    return sent.body.id as string;
  };

  it("after a dropped TCP connection, RESUME replays exactly the missed events, once, in order, then RESUMED", async () => {
    const { owner, guild, members } = await guildWithMembers(server, "rs_owner", "rs_listener");
    const listener = members[0]!;
    const first = await server.login(listener);
    const sessionId: string = (await first.dispatch("READY")).d.session_id;

    const seen = await say(owner.token, guild.channelId, "before the drop");
    await first.dispatch("MESSAGE_CREATE", (d) => d.id === seen);
    const lastSeq = first.lastSeq!;
    first.heartbeat(lastSeq); // acknowledged: the server may forget everything up to here

    // In flight while the socket dies, and sent while it is gone.
    const missed = [await say(owner.token, guild.channelId, "in flight")];
    first.drop();
    await until(() => server.app.gateway.stats().connections === 0, "the server to notice the drop");
    for (const text of ["while away 1", "while away 2", "while away 3"]) missed.push(await say(owner.token, guild.channelId, text));

    const second = await server.connect();
    await second.next((f) => f.op === 10, "HELLO");
    second.send(6, { token: listener.token, session_id: sessionId, seq: lastSeq });
    const resumed = await second.dispatch("RESUMED");
    const replayed = second.frames.filter((f) => f.op === 0 && f.t !== "RESUMED");
    assert.deepEqual(
      replayed.map((f) => f.d.id),
      missed,
      "the missed messages, each once, in order",
    );
    assert.deepEqual(
      replayed.map((f) => f.s),
      missed.map((_, i) => lastSeq + 1 + i),
      "with the seqs they had",
    );
    assert.equal(resumed.s, lastSeq + missed.length, "RESUMED carries the current seq without using one up");
    assert.equal(resumed.d, null);

    // The session carries on live.
    const live = await say(owner.token, guild.channelId, "after resume");
    const next = await second.dispatch("MESSAGE_CREATE", (d) => d.id === live);
    assert.equal(next.s, resumed.s! + 1);
    assert.equal(second.seen("MESSAGE_CREATE").filter((f) => f.d.id === missed[0]).length, 1);
    await second.close();
  });

  it("answers op 9 d:false for an unknown session, a seq it never sent, and after the resume window", async () => {
    const { members } = await guildWithMembers(server, "rs9_owner", "rs9_user");
    const user = members[0]!;

    const stranger = await server.connect();
    stranger.send(6, { token: user.token, session_id: "no-such-session", seq: 3 });
    assert.deepEqual(await stranger.next((f) => f.op === 9, "op 9"), { op: 9, d: false });
    // After op 9 the same connection may IDENTIFY afresh.
    stranger.identify(user.token);
    await stranger.dispatch("READY");
    await stranger.close();

    const first = await server.login(user);
    const sessionId: string = (await first.dispatch("READY")).d.session_id;
    first.drop();
    await until(() => server.app.gateway.stats().connections === 0, "the drop");

    const future = await server.connect();
    future.send(6, { token: user.token, session_id: sessionId, seq: 999 });
    assert.deepEqual(await future.next((f) => f.op === 9, "op 9"), { op: 9, d: false });
    await future.close();

    await until(() => server.app.gateway.stats().sessions === 0, "the resume window to pass");
    const late = await server.connect();
    late.send(6, { token: user.token, session_id: sessionId, seq: 1 });
    assert.deepEqual(await late.next((f) => f.op === 9, "op 9"), { op: 9, d: false });
    await late.close();
  });

  it("a session closed cleanly by its client (1000) can still be resumed, as fluxerjs and fluxer.py do", async () => {
    const { members } = await guildWithMembers(server, "rsc_owner", "rsc_user");
    const client = await server.login(members[0]!);
    const sessionId: string = (await client.dispatch("READY")).d.session_id;
    await client.close(1000);
    const again = await server.connect();
    again.send(6, { token: members[0]!.token, session_id: sessionId, seq: 1 });
    const resumed = await again.dispatch("RESUMED");
    const replayed = again.frames.filter((f) => f.op === 0 && f.t !== "RESUMED");
    assert.equal(resumed.s, replayed.at(-1)?.s ?? 1, "the seq the session had reached");
    await again.close();
  });
});
