/**
 * Per-guild notification settings: PATCH /users/@me/guilds/{guild_id}/settings and the DM entry
 * (/users/@me/guilds/@me/settings), stored with upstream's defaults, sent to the user's sessions
 * as USER_GUILD_SETTINGS_UPDATE and carried by READY's user_guild_settings.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { GatewayClient } from "../gateway/gateway-client.ts";
import { type GatewayServer, guildWithMembers, startGatewayServer } from "../gateway/gateway-world.ts";
import type { TestUser } from "../support/harness.ts";
import type { TestGuild } from "../support/invite-world.ts";

describe("user guild settings", () => {
  let server: GatewayServer;
  let owner: TestUser;
  let member: TestUser;
  let guild: TestGuild;
  let ws: GatewayClient;

  const patch = (path: string, body: unknown, token = member.token) =>
    server.request("PATCH", `/users/@me/guilds/${path}/settings`, { token, body });

  before(async () => {
    server = await startGatewayServer();
    const world = await guildWithMembers(server, "ugs_owner", "ugs_member");
    ({ owner, guild } = world);
    member = world.members[0] as TestUser;
    ws = await server.login(member);
  });
  after(async () => {
    await ws.close();
    await server.close();
  });

  it("a first PATCH answers upstream's defaults with the changes, version 1, and reaches the user's sessions", async () => {
    const from = ws.frames.length;
    const res = await patch(guild.id, {
      muted: true,
      mute_config: { end_time: "2099-01-01T00:00:00Z", selected_time_window: 3600 },
      channel_overrides: { [guild.channelId]: { collapsed: false, message_notifications: 1, muted: true } },
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body, {
      guild_id: guild.id,
      message_notifications: 3,
      muted: true,
      mute_config: { end_time: "2099-01-01T00:00:00.000Z", selected_time_window: 3600 },
      mobile_push: true,
      suppress_everyone: false,
      suppress_roles: false,
      hide_muted_channels: false,
      channel_overrides: {
        [guild.channelId]: { collapsed: false, message_notifications: 1, muted: true, mute_config: null, unread_badges: null },
      },
      unread_badges: null,
      version: 1,
    });
    const update = await ws.dispatch("USER_GUILD_SETTINGS_UPDATE", () => true, from);
    assert.deepEqual(update.d, res.body);
  });

  it("a later PATCH changes only what it names; channel_overrides is replaced, null clears it", async () => {
    const res = await patch(guild.id, { message_notifications: 2, suppress_everyone: true, channel_overrides: null });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.muted, true, "kept from before");
    assert.equal(res.body.message_notifications, 2);
    assert.equal(res.body.suppress_everyone, true);
    assert.equal(res.body.channel_overrides, null);
    assert.equal(res.body.version, 2);
    const unmuted = await patch(guild.id, { muted: false, mute_config: null });
    assert.equal(unmuted.body.mute_config, null);
    assert.equal(unmuted.body.version, 3);
  });

  it("the DM entry has guild_id null and all-messages by default, and takes the user's DM channels as overrides", async () => {
    const dm = await server.request("POST", "/users/@me/channels", { token: member.token, body: { recipient_id: owner.id } });
    assert.equal(dm.status, 200, JSON.stringify(dm.body));
    const res = await patch("@me", { channel_overrides: { [dm.body.id]: { collapsed: false, message_notifications: 2, muted: false } } });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.guild_id, null);
    assert.equal(res.body.message_notifications, 0);
    assert.equal(res.body.channel_overrides[dm.body.id].message_notifications, 2);
    const foreign = await patch("@me", {
      channel_overrides: { [guild.channelId]: { collapsed: false, message_notifications: 2, muted: false } },
    });
    assert.equal(foreign.status, 400);
    assert.equal(foreign.body.code, "INVALID_FORM_BODY");
  });

  it("READY carries every stored entry in user_guild_settings", async () => {
    const again = await server.connect();
    const ready = (await again.ready(member.token)).d;
    await again.close();
    const byGuild = new Map((ready.user_guild_settings as any[]).map((s) => [s.guild_id, s]));
    assert.equal(byGuild.size, 2);
    assert.equal(byGuild.get(guild.id)?.version, 3);
    assert.equal(byGuild.get(guild.id)?.message_notifications, 2);
    assert.equal(byGuild.get(null)?.message_notifications, 0);
  });

  it("refuses a guild the user is not in, an unknown guild, and malformed bodies", async () => {
    const outsider = (await guildWithMembers(server, "ugs_other_owner")).owner;
    assert.equal((await patch(guild.id, { muted: true }, outsider.token)).status, 403);
    const unknown = await patch("123456789012345678", { muted: true });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.code, "UNKNOWN_GUILD");
    const bad = [
      { message_notifications: 7 },
      { muted: "yes" },
      { mute_config: { end_time: "soon", selected_time_window: 60 } },
      { channel_overrides: { [guild.channelId]: { message_notifications: 1, muted: true } } },
      { channel_overrides: { general: { collapsed: false, message_notifications: 1, muted: true } } },
      { channel_overrides: { "999999999999": { collapsed: false, message_notifications: 1, muted: true } } },
    ];
    for (const body of bad) {
      const res = await patch(guild.id, body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.body.code, "INVALID_FORM_BODY");
    }
    const stored = (await patch(guild.id, {})).body;
    assert.equal(stored.muted, false, "nothing of the refused bodies was stored");
  });
});
