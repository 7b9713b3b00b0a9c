/** What the current Fluxer app and the SDKs do on the wire, and what they need back. */
import assert from "node:assert/strict";
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { after, before, describe, it } from "node:test";
import WebSocket from "ws";
import { registerUser, type TestServer, type TestUser } from "../support/harness.ts";
import { createGuild } from "../support/invite-world.ts";
import { type GatewayClient, settle, until, ZstdFrameWriter } from "./gateway-client.ts";
import { type GatewayServer, guildWithMembers, startGatewayServer } from "./gateway-world.ts";

async function closedWith(client: GatewayClient, code: number, what: string) {
  const closed = await client.closed;
  assert.equal(closed.code, code, `${what}: closed ${closed.code} (${closed.reason})`);
}

/** A bot application added to `guildCount` new guilds of `owner`. */
async function botInGuilds(server: TestServer, owner: TestUser, prefix: string, guildCount: number) {
  const developer = await registerUser(server, `${prefix}_dev`);
  const app = await server.request("POST", "/oauth2/applications", { token: developer.token, body: { name: `${prefix}Bot` } });
  assert.equal(app.status, 200, JSON.stringify(app.body));
  const guildIds: string[] = [];
  for (let i = 0; i < guildCount; i++) {
    const guild = await createGuild(server, owner, `${prefix} guild ${i} ${"with a longish name ".repeat(3)}`);
    const consent = await server.request("POST", "/oauth2/authorize/consent", {
      token: owner.token,
      body: { client_id: app.body.id, scope: "bot", guild_id: guild.id, permissions: "3072" },
    });
    assert.equal(consent.status, 200, JSON.stringify(consent.body));
    guildIds.push(guild.id);
  }
  return { appId: app.body.id as string, botId: app.body.bot.id as string, token: app.body.bot.token as string, guildIds };
}

/** The first frame a socket opened with `query` gets, and whether it came binary. */
async function firstFrame(server: GatewayServer, query: string): Promise<{ isBinary: boolean; data: Buffer }> {
  const ws = new WebSocket(`${server.url}?${query}`);
  ws.on("error", () => {});
  const first = await new Promise<{ isBinary: boolean; data: Buffer }>((resolve) =>
    ws.once("message", (data: Buffer, isBinary) => resolve({ isBinary, data })),
  );
  ws.close(1000);
  return first;
}

describe("gateway conformance with the Fluxer app and SDKs", () => {
  let server: GatewayServer;
  before(async () => {
    server = await startGatewayServer();
  });
  after(() => server.close());

  it("accepts zstd-compressed client frames of one stream (and plain text frames) on a zstd-stream connection", async () => {
    const { owner } = await guildWithMembers(server, "zc_owner");
    const client = await server.connect({ compress: true, compressOutgoing: true });
    const ready = await client.ready(owner.token); // IDENTIFY went as a compressed binary frame
    assert.equal(ready.d.user.id, owner.id);
    // Later frames refer back into the stream's window: the server keeps one decompressor per connection.
    for (let i = 0; i < 3; i++) {
      const from = client.frames.length;
      client.heartbeat();
      await client.next((f) => f.op === 11, `compressed ACK ${i}`, from);
    }
    const from = client.frames.length;
    client.ws.send(JSON.stringify({ op: 1, d: client.lastSeq }));
    await client.next((f) => f.op === 11, "ACK for a text frame", from);
    await client.close();
  });

  it("closes 4002 when a compressed client frame decompresses past 4096 bytes, however small on the wire", async () => {
    const { owner } = await guildWithMembers(server, "zb_owner");
    const padded = await server.connect({ compress: true, compressOutgoing: true });
    await padded.ready(owner.token);
    padded.ws.send(padded.writer!.write(JSON.stringify({ op: 1, d: null, pad: "x".repeat(5000) })));
    await closedWith(padded, 4002, "5000 bytes once decompressed");

    // A bomb: megabytes of output from a frame well under the wire cap.
    const bomb = await server.connect({ compress: true });
    const frame = new ZstdFrameWriter().write(`{"op":1,"d":null,"pad":"${"y".repeat(64 * 1024 * 1024)}"}`);
    assert.ok(frame.length < 4096, `the bomb is ${frame.length} bytes on the wire`);
    bomb.ws.send(frame);
    await closedWith(bomb, 4002, "decompression bomb");
  });

  it("accepts and ignores ops 13, 15, 16 and 28 once identified; other unknown ops still close 4001", async () => {
    const user = await registerUser(server, "ops_user");
    const early = await server.connect();
    early.send(15, { guild_ids: [] });
    await closedWith(early, 4003, "op 15 before identify");

    const client = await server.login(user);
    client.send(15, { guild_ids: ["1"] });
    client.send(16, { guild_id: "1", channel_ids: ["1"] });
    client.send(13, {});
    client.send(28, {});
    await settle(client, "ops_user");
    assert.equal(client.ws.readyState, WebSocket.OPEN);
    client.send(99, {});
    await closedWith(client, 4001, "op 99");
  });

  it("READY has user_settings for users (null for bots), resume_gateway_url, and for bots their application", async () => {
    const user = await registerUser(server, "rd_user");
    const info = await server.request("GET", "/api/v1/gateway/bot", { token: user.token });
    assert.equal(info.status, 200);
    const client = await server.login(user);
    const ready = (await client.dispatch("READY")).d;
    assert.equal(ready.user_settings.status, "online", "a user without settings would look invisible to the app");
    assert.equal(ready.resume_gateway_url, info.body.url);
    assert.equal(new URL(ready.resume_gateway_url).search, "");
    assert.ok(!("application" in ready), "users have no application");
    await client.close();

    const owner = await registerUser(server, "rd_owner");
    const bot = await botInGuilds(server, owner, "rd", 1);
    const botClient = await server.login(bot.token);
    const botReady = (await botClient.dispatch("READY")).d;
    assert.deepEqual(botReady.application, { id: bot.appId, flags: 0 });
    assert.equal(botReady.user_settings, null, "bots have no settings, as upstream");
    assert.equal(botReady.resume_gateway_url, info.body.url);
    await botClient.close();
  });

  it("compresses only when stream=1 or stream=true comes with compress=zstd-stream", async () => {
    const plain = await firstFrame(server, "v=1&encoding=json&compress=zstd-stream");
    assert.equal(plain.isBinary, false);
    assert.equal(JSON.parse(plain.data.toString("utf8")).op, 10);
    for (const stream of ["1", "true"]) {
      const compressed = await firstFrame(server, `v=1&encoding=json&compress=zstd-stream&stream=${stream}`);
      assert.equal(compressed.isBinary, true, `stream=${stream}`);
    }
  });

  it("keeps the session for a resume after a client close with 1000 (as fluxerjs and fluxer.py do before resuming)", async () => {
    const { owner, guild, members } = await guildWithMembers(server, "c1000_owner", "c1000_user");
    for (const code of [1000, 1001]) {
      const client = await server.login(members[0]!);
      const sessionId: string = (await client.dispatch("READY")).d.session_id;
      const seq = client.lastSeq!;
      await client.close(code);
      const sent = await server.request("POST", `/channels/${guild.channelId}/messages`, {
        token: owner.token,
        body: { content: `while closed ${code}` },
      });
      assert.equal(sent.status, 200);
      const again = await server.connect();
      again.send(6, { token: members[0]!.token, session_id: sessionId, seq });
      const resumed = await again.dispatch("RESUMED");
      const replayed = again.seen("MESSAGE_CREATE");
      assert.deepEqual(
        replayed.map((f) => f.d.id),
        [sent.body.id],
        `the message sent after the ${code} close`,
      );
      assert.equal(resumed.s, replayed[0]!.s, "RESUMED takes no sequence number of its own");
      await again.close();
    }
  });
});

/**
 * A slow link: the kernel takes each write only a little later, so what a turn writes stays in the
 * socket's buffer for a while (on loopback it would leave at once and no bound could ever trip).
 */
function slowLink(socket: Duplex): void {
  type Write = (this: Duplex, ...args: any[]) => unknown;
  const raw = socket as Duplex & { _write: Write; _writev?: Write };
  for (const name of ["_write", "_writev"] as const) {
    const original = raw[name];
    if (!original) continue;
    raw[name] = function (this: Duplex, ...args: any[]) {
      const cb = args.pop() as (error?: Error | null) => void;
      return original.call(this, ...args, (error?: Error | null) => setTimeout(() => cb(error), 20));
    };
  }
}

describe("a bot's GUILD_CREATE burst and the backpressure bound", () => {
  let server: GatewayServer;
  before(async () => {
    server = await startGatewayServer({ gateway: { max_buffered_bytes: 4096 } });
    server.app.server.on("upgrade", (_request: IncomingMessage, socket: Duplex) => slowLink(socket));
  });
  after(() => server.close());

  it("gets every GUILD_CREATE after READY even when the burst passes max_buffered_bytes", async () => {
    const owner = await registerUser(server, "burst_owner");
    const bot = await botInGuilds(server, owner, "burst", 8);
    const client = await server.login(bot.token);
    await until(() => client.seen("GUILD_CREATE").length === bot.guildIds.length || client.ws.readyState !== WebSocket.OPEN, "the burst");
    const bytes = client.seen("GUILD_CREATE").reduce((n, f) => n + JSON.stringify(f).length, 0);
    assert.equal(client.ws.readyState, WebSocket.OPEN, `still open after ${bytes} bytes of GUILD_CREATE`);
    assert.deepEqual(
      client
        .seen("GUILD_CREATE")
        .map((f) => f.d.id)
        .sort(),
      [...bot.guildIds].sort(),
    );
    assert.ok(bytes > 4096, `the burst (${bytes} bytes) is larger than the bound`);
    // Afterwards the socket is live and bounded as usual.
    await settle(client, "burst bot");
    await client.close();
  });
});
