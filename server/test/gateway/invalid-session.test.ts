/** After op 9 a client must identify again: one that only keeps heartbeating is closed so it reconnects. */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { registerUser } from "../support/harness.ts";
import { type GatewayClient, settle } from "./gateway-client.ts";
import { type GatewayServer, guildWithMembers, startGatewayServer } from "./gateway-world.ts";

const CLOSE_AFTER_MS = 300;

describe("gateway after INVALID_SESSION", () => {
  let server: GatewayServer;
  before(async () => {
    server = await startGatewayServer({ gateway: { invalid_session_close_ms: CLOSE_AFTER_MS } });
  });
  after(() => server.close());

  /** RESUME of a session this server never had (as after a restart), answered with op 9. */
  async function staleResume(token: string): Promise<GatewayClient> {
    const client = await server.connect();
    await client.next((f) => f.op === 10, "HELLO");
    client.send(6, { token, session_id: "0123456789abcdef0123456789abcdef", seq: 41 });
    assert.deepEqual(await client.next((f) => f.op === 9, "op 9"), { op: 9, d: false });
    return client;
  }

  it("closes with 4009 a client that only heartbeats after op 9 (as fluxerjs does after a server restart)", async () => {
    const user = await registerUser(server, "is_beater");
    const client = await staleResume(user.token);
    // Beats with its old seq, answers the server's pings, never identifies.
    const beat = setInterval(() => client.heartbeat(41), 50);
    try {
      const closed = await Promise.race([
        client.closed,
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error("still open after 5 s")), 5000).unref()),
      ]);
      assert.equal(closed.code, 4009);
      assert.match(closed.reason, /identify/i);
    } finally {
      clearInterval(beat);
    }
    assert.ok(
      client.frames.some((f) => f.op === 11),
      "its heartbeats were acknowledged until then",
    );
  });

  it("keeps a client that identifies after op 9, and it gets its events", async () => {
    const { owner, guild, members } = await guildWithMembers(server, "is_owner", "is_identifier");
    const timeoutsBefore = server.app.gateway.stats().closes[4009] ?? 0;
    const client = await staleResume(members[0]!.token);
    client.identify(members[0]!.token);
    await client.dispatch("READY");
    // Well past the deadline the op 9 started: the socket is still open and serving.
    await new Promise((resolve) => setTimeout(resolve, CLOSE_AFTER_MS * 3));
    await settle(client, "identifier");
    const sent = await server.request("POST", `/channels/${guild.channelId}/messages`, { token: owner.token, body: { content: "hi" } });
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    await client.dispatch("MESSAGE_CREATE", (d) => d.id === sent.body.id);
    assert.equal(server.app.gateway.stats().closes[4009] ?? 0, timeoutsBefore, "no socket was closed with 4009 meanwhile");
    await client.close();
  });
});
