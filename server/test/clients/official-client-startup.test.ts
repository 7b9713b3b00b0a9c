/**
 * The official Fluxer web app, from a fresh start to its first message, replayed call by call in
 * its order: discovery, register, the gateway with the app's IDENTIFY, READY (every field the app
 * reads), settings, the calls it makes right after READY, a new community, its member list (op 14)
 * and a message with a nonce. Shapes follow upstream's app (fluxer_app/src/lib/GatewaySocket.tsx:
 * the socket URL, IDENTIFY's properties/presence/flags, op 14's subscriptions). Every HTTP body is
 * checked against the pinned spec by the harness.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import WebSocket from "ws";
import { GatewayClient } from "../gateway/gateway-client.ts";
import { type GatewayServer, startGatewayServer } from "../gateway/gateway-world.ts";

/** What the app puts in IDENTIFY: its properties object, presence from local state, flags 0. */
function appIdentify(token: string) {
  return {
    token,
    properties: {
      os: "Linux",
      browser: "Firefox",
      device: "",
      locale: "en-US",
      user_agent: "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0",
      browser_version: "140.0",
      os_version: "",
      build_timestamp: "1767225600",
      desktop_app_version: null,
      desktop_app_channel: null,
      desktop_arch: null,
      desktop_os: null,
    },
    presence: { status: "online", afk: false, mobile: false, custom_status: null },
    flags: 0,
  };
}

/** The app's socket: `?v=1&encoding=json&compress=zstd-stream` (no `stream` parameter), frames as JSON text. */
async function appSocket(gatewayUrl: string): Promise<GatewayClient> {
  const url = new URL(gatewayUrl);
  url.searchParams.set("v", "1");
  url.searchParams.set("encoding", "json");
  url.searchParams.set("compress", "zstd-stream");
  const ws = new WebSocket(url.toString());
  const client = new GatewayClient(ws);
  await new Promise<void>((resolve, reject) => {
    ws.once("open", () => resolve());
    ws.once("error", reject);
  });
  return client;
}

const SNOWFLAKE = /^\d{1,20}$/;

describe("the official web app from a fresh start to its first message", () => {
  let server: GatewayServer;
  let token: string;
  let userId: string;
  let ws: GatewayClient;
  let ready: any;
  let guildId: string;
  let channelId: string;

  before(async () => {
    server = await startGatewayServer();
  });
  after(async () => {
    await ws?.close();
    await server.close();
  });

  it("1. reads the discovery document at the origin and under the API base, and they agree", async () => {
    const root = await server.request("GET", "/.well-known/fluxer");
    assert.equal(root.status, 200);
    assert.match(root.body.endpoints.gateway, /^ws:\/\/127\.0\.0\.1:\d+\/gateway$/);
    assert.match(root.body.endpoints.api, /\/api$|\/api\/v1$/);
    assert.match(root.body.endpoints.static_cdn, /\/static$/);
    const underApi = await server.request("GET", "/api/v1/.well-known/fluxer");
    assert.equal(underApi.status, 200);
    assert.deepEqual(underApi.body, root.body);
  });

  it("2. registers with the app's body and gets a token", async () => {
    const response = await server.request("POST", "/auth/register", {
      body: {
        email: "newowner@example.test",
        username: "newowner",
        global_name: "New Owner",
        password: "a-long-enough-password",
        date_of_birth: "1990-01-01",
        consent: true,
        invite_code: null,
      },
      headers: { "user-agent": "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0" },
    });
    assert.equal(response.status, 200, JSON.stringify(response.body));
    assert.match(response.body.token, /^flx_/);
    assert.match(response.body.user_id, SNOWFLAKE);
    token = response.body.token;
    userId = response.body.user_id;
  });

  it("3. connects as the app does and gets HELLO, then READY for its IDENTIFY", async () => {
    ws = await appSocket(server.url);
    const hello = await ws.next((f) => f.op === 10, "HELLO");
    assert.ok(hello.d.heartbeat_interval > 0);
    ws.send(2, appIdentify(token));
    ready = (await ws.dispatch("READY")).d;
    assert.equal(typeof ready.session_id, "string");
    assert.ok(ready.session_id.length > 0);
  });

  it("4. READY carries every field the app reads, in the shapes it reads them", () => {
    assert.equal(ready.version, 1);
    assert.equal(ready.user.id, userId);
    assert.equal(ready.user.username, "newowner");
    assert.equal(ready.user.global_name, "New Owner");
    assert.equal(ready.user.email, "newowner@example.test");
    assert.deepEqual(ready.guilds, []);
    assert.deepEqual(ready.private_channels, []);
    assert.deepEqual(ready.relationships, []);
    assert.deepEqual(ready.users, []);
    assert.deepEqual(ready.presences, []);
    assert.deepEqual(ready.read_states, []);
    assert.deepEqual(ready.user_guild_settings, []);
    assert.deepEqual(ready.notes, {});
    assert.deepEqual(ready.pinned_dms, []);
    assert.deepEqual(ready.favorite_memes, []);
    // Without settings the app treats the user as invisible; with them, the stored status.
    assert.ok(ready.user_settings && typeof ready.user_settings === "object");
    assert.equal(ready.user_settings.status, "online");
    assert.equal(ready.user_settings.locale, "en-US");
    assert.ok(Array.isArray(ready.user_settings.guild_folders));
    // The app keys its own entry of GET /auth/sessions by this hash.
    assert.match(ready.auth_session_id_hash, /^[A-Za-z0-9_-]{20,}$/);
    assert.equal(ready.sessions.length, 1);
    assert.equal(ready.sessions[0].session_id, ready.session_id);
    assert.equal(ready.sessions[0].status, "online");
    assert.equal(typeof ready.resume_gateway_url, "string");
  });

  it("5. its session is listed by GET /auth/sessions under READY's hash", async () => {
    const sessions = await server.request("GET", "/auth/sessions", { token });
    assert.equal(sessions.status, 200);
    const ids = (sessions.body as { id_hash: string }[]).map((s) => s.id_hash);
    assert.ok(ids.includes(ready.auth_session_id_hash), `${ready.auth_session_id_hash} not in ${ids.join(",")}`);
  });

  it("6. reads and changes its settings; the change reaches the socket as USER_SETTINGS_UPDATE", async () => {
    const got = await server.request("GET", "/users/@me/settings", { token });
    assert.equal(got.status, 200);
    assert.deepEqual(got.body, ready.user_settings);
    const from = ws.frames.length;
    const patched = await server.request("PATCH", "/users/@me/settings", { token, body: { theme: "dark", locale: "en-GB" } });
    assert.equal(patched.status, 200);
    assert.equal(patched.body.theme, "dark");
    assert.equal(patched.body.locale, "en-GB");
    const update = await ws.dispatch("USER_SETTINGS_UPDATE", () => true, from);
    assert.equal(update.d.theme, "dark");
  });

  it("7. every call the app makes right after READY answers 200 with a spec-valid body", async () => {
    const calls: [path: string, check: (body: any) => void][] = [
      ["/users/@me", (b) => assert.equal(b.id, userId)],
      ["/premium/state", (b) => assert.equal(b.effective.premium_purchase_disabled, true)],
      ["/users/@me/relationships", (b) => assert.deepEqual(b, [])],
      ["/users/@me/notes", (b) => assert.deepEqual(b, {})],
      ["/users/@me/saved-messages", (b) => assert.deepEqual(b, [])],
      ["/users/@me/scheduled-messages", (b) => assert.deepEqual(b, [])],
      ["/users/@me/memes", (b) => assert.deepEqual(b, [])],
      ["/users/@me/connections", (b) => assert.deepEqual(b, [])],
      ["/users/@me/mfa/webauthn/credentials", (b) => assert.deepEqual(b, [])],
      ["/users/@me/push/subscriptions", (b) => assert.deepEqual(b.subscriptions, [])],
      ["/users/@me/mentions", (b) => assert.deepEqual(b, [])],
      ["/users/@me/guilds", (b) => assert.deepEqual(b, [])],
      ["/users/@me/channels", (b) => assert.deepEqual(b, [])],
    ];
    for (const [path, check] of calls) {
      const response = await server.request("GET", path, { token });
      assert.equal(response.status, 200, `${path} answered ${response.status}: ${JSON.stringify(response.body)}`);
      check(response.body);
    }
  });

  it("8. creates a community with the app's body and receives its GUILD_CREATE", async () => {
    const from = ws.frames.length;
    const created = await server.request("POST", "/guilds", { token, body: { name: "My Community", icon: null } });
    assert.equal(created.status, 200, JSON.stringify(created.body));
    guildId = created.body.id;
    assert.equal(created.body.owner_id, userId);
    const guildCreate = (await ws.dispatch("GUILD_CREATE", (d) => d.id === guildId, from)).d;
    assert.equal(guildCreate.properties?.name ?? guildCreate.name, "My Community");
    const text = (guildCreate.channels as any[]).find((c) => c.type === 0);
    assert.ok(text, "the new community has a text channel");
    channelId = text.id;
    assert.ok(
      (guildCreate.roles as any[]).some((r) => r.id === guildId),
      "the @everyone role comes with it",
    );
    assert.ok(
      (guildCreate.members as any[]).some((m) => m.user.id === userId),
      "the owner is a member",
    );
  });

  it("9. op 14 in the app's shape answers GUILD_MEMBER_LIST_UPDATE with the owner online", async () => {
    const from = ws.frames.length;
    ws.send(14, { subscriptions: { [guildId]: { active: true, sync: true, typing: true } } });
    ws.send(14, { subscriptions: { [guildId]: { member_list_channels: { [channelId]: [[0, 99]] } } } });
    const update = (await ws.dispatch("GUILD_MEMBER_LIST_UPDATE", (d) => d.guild_id === guildId, from)).d;
    assert.equal(update.id, channelId);
    assert.equal(update.member_count, 1);
    assert.equal(update.online_count, 1);
    const sync = (update.ops as any[]).find((op) => op.op === "SYNC");
    assert.ok(sync, "the first update is a SYNC");
    assert.deepEqual(sync.range, [0, 99]);
    assert.deepEqual(sync.items[0], { group: { id: "online", count: 1 } });
    assert.equal(sync.items[1].member.user.id, userId);
    assert.equal(sync.items[1].member.presence.status, "online");
  });

  it("10. sends its first message with a nonce and receives MESSAGE_CREATE carrying it", async () => {
    const nonce = "1450000000000000000";
    const from = ws.frames.length;
    const sent = await server.request("POST", `/channels/${channelId}/messages`, {
      token,
      body: { content: "hello, world", nonce, flags: 0, tts: false },
    });
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    assert.equal(sent.body.nonce, nonce);
    assert.equal(sent.body.content, "hello, world");
    const created = (await ws.dispatch("MESSAGE_CREATE", (d) => d.id === sent.body.id, from)).d;
    assert.equal(created.nonce, nonce);
    assert.equal(created.channel_id, channelId);
    assert.equal(created.guild_id, guildId);
    assert.equal(created.author.id, userId);
    assert.ok(created.member && Array.isArray(created.member.roles), "a guild message carries its author's member");
    const history = await server.request("GET", `/channels/${channelId}/messages`, { token, query: { limit: 50 } });
    assert.equal(history.status, 200);
    assert.equal(history.body[0].id, sent.body.id);
  });
});
