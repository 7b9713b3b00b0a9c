import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { registerUser } from "../support/harness.ts";
import { GatewayClient } from "./gateway-client.ts";
import { FAST_GATEWAY, type GatewayServer, guildWithMembers, startGatewayServer } from "./gateway-world.ts";

describe("gateway handshake", () => {
  let server: GatewayServer;
  before(async () => {
    server = await startGatewayServer();
  });
  after(() => server.close());

  it("HELLO, IDENTIFY with a user session token, then READY with Fluxer's guild shape", async () => {
    const { owner, guild, members } = await guildWithMembers(server, "hs_owner", "hs_member");
    const client = await server.connect();
    const hello = await client.next((f) => f.op === 10, "HELLO");
    assert.deepEqual(hello, { op: 10, d: { heartbeat_interval: FAST_GATEWAY.heartbeat_interval_ms } });
    assert.ok(!("s" in hello) && !("t" in hello), "s and t only on dispatches");
    client.identify(members[0]!.token);
    const ready = await client.dispatch("READY");
    assert.equal(ready.s, 1);
    const d = ready.d;
    assert.equal(d.version, 1);
    assert.equal(typeof d.session_id, "string");
    assert.equal(d.user.id, members[0]!.id);
    for (const key of ["private_channels", "relationships", "users", "presences", "sessions", "read_states"]) {
      assert.ok(Array.isArray(d[key]), `${key} is a list`);
    }
    assert.equal(d.user_settings.status, "online");
    assert.deepEqual(d.relationships, []);
    assert.equal(d.sessions.length, 1);
    assert.equal(d.sessions[0].session_id, d.session_id);
    assert.equal(d.guilds.length, 1);
    const g = d.guilds[0];
    assert.deepEqual(Object.keys(g).sort(), [
      "channels",
      "emojis",
      "id",
      "joined_at",
      "member_count",
      "members",
      "online_count",
      "presences",
      "properties",
      "roles",
      "stickers",
      "voice_states",
    ]);
    assert.equal(g.id, guild.id);
    assert.equal(g.properties.id, guild.id);
    assert.equal(g.properties.owner_id, owner.id);
    assert.ok(!("channels" in g.properties) && !("roles" in g.properties));
    assert.ok(g.channels.some((c: any) => c.id === guild.channelId));
    assert.ok(
      g.roles.some((r: any) => r.id === guild.id),
      "@everyone is listed",
    );
    assert.equal(g.member_count, 2);
    assert.deepEqual(g.members.map((m: any) => m.user.id).sort(), [owner.id, members[0]!.id].sort());
    assert.ok(Array.isArray(g.presences) && typeof g.online_count === "number");
    assert.equal(typeof g.joined_at, "string");
    await client.close();
  });

  it("a bot as Fluxer's JS SDK connects: /gateway/bot, ?v=1&encoding=json, intents 0, first beat one interval later", async () => {
    const { owner, guild } = await guildWithMembers(server, "sdk_owner");
    const developer = await registerUser(server, "sdk_dev");
    const app = await server.request("POST", "/oauth2/applications", { token: developer.token, body: { name: "SdkBot" } });
    assert.equal(app.status, 200, JSON.stringify(app.body));
    const consent = await server.request("POST", "/oauth2/authorize/consent", {
      token: owner.token,
      body: { client_id: app.body.id, scope: "bot", guild_id: guild.id, permissions: "3072" },
    });
    assert.equal(consent.status, 200, JSON.stringify(consent.body));
    const token: string = app.body.bot.token;

    const info = await server.request("GET", "/api/v1/gateway/bot", { token: `Bot ${token}` });
    assert.equal(info.status, 200);
    assert.equal(new URL(info.body.url).search, "", "no query string in the URL");
    const client = await GatewayClient.connect(info.body.url, { query: "v=1&encoding=json" });
    const hello = await client.next((f) => f.op === 10, "HELLO");
    client.send(2, { token, intents: 0, properties: { os: "linux", browser: "@fluxerjs/core", device: "@fluxerjs/core" } });
    const ready = await client.dispatch("READY");
    assert.equal(ready.d.user.bot, true);
    assert.deepEqual(ready.d.guilds, [{ id: guild.id, unavailable: true }]);
    const created = await client.dispatch("GUILD_CREATE", (d) => d.id === guild.id);
    assert.ok(created.s! > ready.s!);
    assert.equal(created.d.properties.name, "sdk_owner's place");
    assert.ok(created.d.members.some((m: any) => m.user.id === app.body.bot.id));
    assert.equal(client.seen("GUILD_CREATE").length, 1, "one GUILD_CREATE per guild");

    // The SDK beats for the first time one interval after HELLO.
    await new Promise((r) => setTimeout(r, hello.d.heartbeat_interval));
    const from = client.frames.length;
    client.heartbeat(client.lastSeq);
    const ack = await client.next((f) => f.op === 11, "HEARTBEAT_ACK", from);
    assert.deepEqual(ack, { op: 11 }, "ACK carries no d");
    assert.equal(client.ws.readyState, client.ws.OPEN);
    await client.close();

    // The `Bot ` prefix is tolerated in IDENTIFY too.
    const prefixed = await server.login(`Bot ${token}`);
    assert.equal((await prefixed.dispatch("READY")).d.user.id, app.body.bot.id);
    await prefixed.close();
  });

  it("zstd-stream: binary frames of one stream per connection, each decodable on arrival", async () => {
    const { owner } = await guildWithMembers(server, "z_owner");
    const client = await server.connect({ compress: true });
    const ready = await client.ready(owner.token);
    assert.equal(ready.d.user.id, owner.id);
    assert.ok(client.rawBinaryFrames >= 2, "HELLO and READY came as binary frames");
    const from = client.frames.length;
    client.heartbeat();
    assert.deepEqual(await client.next((f) => f.op === 11, "ACK", from), { op: 11 });
    await client.close();
  });

  it("serves encoding=etf as JSON, and sends op 1 itself after 90% of the interval of silence", async () => {
    const user = await registerUser(server, "etf_user");
    const client = await server.connect({ query: "v=1&encoding=etf", answerPings: false });
    await client.ready(user.token);
    const ping = await client.next((f) => f.op === 1, "server heartbeat");
    assert.deepEqual(ping, { op: 1, d: null });
    await client.close();
  });
});
