import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Permission } from "../../src/permissions.ts";
import { createFixtures } from "../../src/storage/contract/fixtures.ts";
import { createRole, grantRole, joinGuild, recordEvents } from "../support/guild-fixture.ts";
import { registerUser, startTestServer, type TestServer, type TestUser } from "../support/harness.ts";

interface ChannelView {
  id: string;
  name: string;
  type: number;
  parent_id: string | null;
  position: number;
  permission_overwrites: { id: string; type: number; allow: string; deny: string }[];
  [key: string]: unknown;
}

describe("guild channels", () => {
  let server: TestServer;
  let owner: TestUser;
  let editor: TestUser;
  let member: TestUser;
  let guildId: string;
  let initial: ChannelView[];
  const named = (name: string) => initial.find((c) => c.name === name) as ChannelView;

  before(async () => {
    server = await startTestServer();
    owner = await registerUser(server, "channelowner");
    editor = await registerUser(server, "channeleditor");
    member = await registerUser(server, "channelmember");
    const guild = (await server.request("POST", "/guilds", { token: owner.token, body: { name: "Channels" } })).body;
    guildId = guild.id;
    initial = guild.channels;
    joinGuild(server, guildId, editor);
    joinGuild(server, guildId, member);
    const role = await createRole(server, owner, guildId, { name: "editors", permissions: Permission.MANAGE_CHANNELS.toString() });
    await grantRole(server, owner, guildId, editor.id, role.id);
  });
  after(() => server.close());

  const create = (body: Record<string, unknown>, token = editor.token) =>
    server.request("POST", `/guilds/${guildId}/channels`, { token, body });

  it("lists the guild's channels to a member", async () => {
    const list = await server.request<ChannelView[]>("GET", `/guilds/${guildId}/channels`, { token: member.token });
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.map((c) => c.id).sort(), initial.map((c) => c.id).sort());
    const stranger = await registerUser(server);
    const denied = await server.request("GET", `/guilds/${guildId}/channels`, { token: stranger.token });
    assert.equal(denied.status, 403);
  });

  it("creates text, voice, category and link channels, audited and announced", async () => {
    const recorder = recordEvents(server);
    const text = await create({ name: "Big News", topic: "read me", parent_id: named("Text Channels").id, rate_limit_per_user: 10 });
    assert.equal(text.status, 200, JSON.stringify(text.body));
    assert.equal(text.body.name, "big-news");
    assert.equal(text.body.topic, "read me");
    assert.equal(text.body.parent_id, named("Text Channels").id);
    assert.equal(text.body.position, 1, "after #general");
    assert.equal(text.body.rate_limit_per_user, 10);
    const voice = await create({ name: "Loud Room", type: 2 });
    assert.equal(voice.body.name, "Loud Room");
    assert.equal(voice.body.bitrate, 64000);
    assert.equal(voice.body.user_limit, 0);
    const category = await create({ name: "Archive", type: 4 });
    assert.equal(category.body.type, 4);
    assert.equal(category.body.position, 2, "below the other categories");
    const link = await create({ name: "Docs", type: 998, url: "https://example.test/docs" });
    assert.equal(link.body.url, "https://example.test/docs");
    await recorder.settle();
    recorder.stop();
    const announced = recorder.of("CHANNEL_CREATE");
    assert.equal(announced.length, 4);
    assert.deepEqual(announced[0]?.audience, { kind: "guild", guildId: BigInt(guildId), channelId: BigInt(text.body.id) });
    const seen = await server.request<ChannelView>("GET", `/channels/${text.body.id}`, { token: member.token });
    assert.equal(seen.status, 200);
    assert.equal(seen.body.name, "big-news");
    const audit = server.deps.stores.auditLog.list(BigInt(guildId), { limit: 10, actionType: 10 });
    assert.equal(audit.length, 4);
  });

  it("refuses bad channels and members without MANAGE_CHANNELS, writing nothing", async () => {
    const before = server.deps.stores.channels.countForGuild(BigInt(guildId));
    const denied = await create({ name: "nope" }, member.token);
    assert.equal(denied.status, 403);
    assert.equal(denied.body.code, "MISSING_PERMISSIONS");
    const badType = await create({ name: "dm", type: 1 });
    assert.equal(badType.status, 400);
    assert.equal(badType.body.errors[0].path, "type");
    const notCategory = await create({ name: "x", parent_id: named("general").id });
    assert.equal(notCategory.status, 400);
    assert.equal(notCategory.body.errors[0].path, "parent_id");
    const nested = await create({ name: "x", type: 4, parent_id: named("Text Channels").id });
    assert.equal(nested.status, 400);
    const noUrl = await create({ name: "x", type: 998 });
    assert.equal(noUrl.status, 400);
    assert.equal(noUrl.body.errors[0].path, "url");
    const fields = await create({ name: "", rate_limit_per_user: 30000, bitrate: 1 });
    assert.equal(fields.status, 400);
    assert.deepEqual(fields.body.errors.map((e: { path: string }) => e.path).sort(), ["bitrate", "name", "rate_limit_per_user"]);
    const unknownGuild = await server.request("POST", "/guilds/123456789012345678/channels", { token: owner.token, body: { name: "x" } });
    assert.equal(unknownGuild.status, 404);
    assert.equal(server.deps.stores.channels.countForGuild(BigInt(guildId)), before);
  });

  it("reads a channel, and knows unknown, foreign and malformed ids", async () => {
    const stranger = await registerUser(server);
    const foreign = await server.request("GET", `/channels/${named("general").id}`, { token: stranger.token });
    assert.equal(foreign.status, 403);
    assert.equal(foreign.body.code, "MISSING_ACCESS");
    const unknown = await server.request("GET", "/channels/123456789012345678", { token: owner.token });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.code, "UNKNOWN_CHANNEL");
    const malformed = await server.request("GET", "/channels/general", { token: owner.token });
    assert.equal(malformed.status, 400);
  });

  it("updates a channel for MANAGE_CHANNELS, and the guild sees it", async () => {
    const channel = (await create({ name: "draft" })).body;
    const recorder = recordEvents(server);
    const updated = await server.request<ChannelView>("PATCH", `/channels/${channel.id}`, {
      token: editor.token,
      body: { name: "Final Copy", topic: "done", nsfw: true, rate_limit_per_user: 60, parent_id: named("Text Channels").id },
    });
    assert.equal(updated.status, 200, JSON.stringify(updated.body));
    assert.equal(updated.body.name, "final-copy");
    assert.equal(updated.body.topic, "done");
    assert.equal(updated.body.nsfw, true);
    assert.equal(updated.body.parent_id, named("Text Channels").id);
    await recorder.settle();
    recorder.stop();
    assert.equal(recorder.of("CHANNEL_UPDATE").length, 1);
    const seen = await server.request<ChannelView>("GET", `/channels/${channel.id}`, { token: member.token });
    assert.equal(seen.body.rate_limit_per_user, 60);
    const voice = (await create({ name: "Talk", type: 2 })).body;
    const voiceUpdate = await server.request<ChannelView>("PATCH", `/channels/${voice.id}`, {
      token: editor.token,
      body: { bitrate: 96000, user_limit: 10, name: "Talk Two" },
    });
    assert.equal(voiceUpdate.body.bitrate, 96000);
    assert.equal(voiceUpdate.body.user_limit, 10);
    assert.equal(voiceUpdate.body.name, "Talk Two");
    const unparented = await server.request<ChannelView>("PATCH", `/channels/${channel.id}`, {
      token: editor.token,
      body: { parent_id: null },
    });
    assert.equal(unparented.body.parent_id, null);
  });

  it("refuses bad updates and members without MANAGE_CHANNELS", async () => {
    const channel = (await create({ name: "guarded" })).body;
    const denied = await server.request("PATCH", `/channels/${channel.id}`, { token: member.token, body: { name: "mine" } });
    assert.equal(denied.status, 403);
    assert.equal(denied.body.code, "MISSING_PERMISSIONS");
    const slow = await server.request("PATCH", `/channels/${channel.id}`, { token: editor.token, body: { rate_limit_per_user: 21601 } });
    assert.equal(slow.status, 400);
    assert.equal(slow.body.errors[0].path, "rate_limit_per_user");
    const retype = await server.request("PATCH", `/channels/${channel.id}`, { token: editor.token, body: { type: 2 } });
    assert.equal(retype.status, 400);
    const parent = await server.request("PATCH", `/channels/${channel.id}`, { token: editor.token, body: { parent_id: channel.id } });
    assert.equal(parent.status, 400);
    const overwrites = await server.request("PATCH", `/channels/${channel.id}`, {
      token: editor.token,
      body: { permission_overwrites: [{ id: guildId, type: 0, deny: Permission.VIEW_CHANNEL.toString() }] },
    });
    assert.equal(overwrites.status, 403, "overwrites need MANAGE_ROLES too");
    const unknown = await server.request("PATCH", "/channels/123456789012345678", { token: owner.token, body: { name: "x" } });
    assert.equal(unknown.status, 404);
    const seen = await server.request<ChannelView>("GET", `/channels/${channel.id}`, { token: owner.token });
    assert.equal(seen.body.name, "guarded");
    assert.deepEqual(seen.body.permission_overwrites, []);
  });

  it("replaces overwrites through PATCH for the owner, auditing each change", async () => {
    const channel = (await create({ name: "private" })).body;
    const response = await server.request<ChannelView>("PATCH", `/channels/${channel.id}`, {
      token: owner.token,
      body: {
        permission_overwrites: [
          { id: guildId, type: 0, deny: Permission.VIEW_CHANNEL.toString() },
          { id: member.id, type: 1, allow: Permission.VIEW_CHANNEL.toString() },
        ],
      },
    });
    assert.equal(response.status, 200);
    assert.equal(response.body.permission_overwrites.length, 2);
    assert.equal((await server.request("GET", `/channels/${channel.id}`, { token: editor.token })).status, 403);
    assert.equal((await server.request("GET", `/channels/${channel.id}`, { token: member.token })).status, 200);
    const stranger = await registerUser(server);
    const unknownTarget = await server.request("PATCH", `/channels/${channel.id}`, {
      token: owner.token,
      body: { permission_overwrites: [{ id: stranger.id, type: 1, allow: "1024" }] },
    });
    assert.equal(unknownTarget.status, 400);
    assert.equal(unknownTarget.body.errors[0].path, "permission_overwrites.0.id");
    assert.equal(server.deps.stores.auditLog.list(BigInt(guildId), { limit: 10, actionType: 13 }).length, 2);
  });

  it("deletes a channel; a category's channels stay, and guild settings let go of it", async () => {
    const category = (await create({ name: "Old", type: 4 })).body;
    const child = (await create({ name: "kept", parent_id: category.id })).body;
    const denied = await server.request("DELETE", `/channels/${category.id}`, { token: member.token });
    assert.equal(denied.status, 403);
    const recorder = recordEvents(server);
    const gone = await server.request("DELETE", `/channels/${category.id}`, { token: editor.token });
    assert.equal(gone.status, 204);
    await recorder.settle();
    recorder.stop();
    assert.equal(recorder.of("CHANNEL_DELETE")[0]?.audience.kind, "guild");
    assert.equal((recorder.of("CHANNEL_UPDATE")[0]?.data as ChannelView | undefined)?.id, child.id);
    assert.equal((await server.request("GET", `/channels/${category.id}`, { token: owner.token })).status, 404);
    assert.equal((await server.request<ChannelView>("GET", `/channels/${child.id}`, { token: owner.token })).body.parent_id, null);
    const again = await server.request("DELETE", `/channels/${category.id}`, { token: editor.token });
    assert.equal(again.status, 404);

    const system = (await create({ name: "announcements" })).body;
    await server.request("PATCH", `/guilds/${guildId}`, { token: owner.token, body: { system_channel_id: system.id } });
    assert.equal((await server.request("DELETE", `/channels/${system.id}`, { token: owner.token })).status, 204);
    assert.equal((await server.request("GET", `/guilds/${guildId}`, { token: owner.token })).body.system_channel_id, null);
    assert.equal(server.deps.stores.auditLog.list(BigInt(guildId), { limit: 10, actionType: 12 }).length, 2);
  });

  it("leaves DMs to the DM feature", async () => {
    const f = createFixtures(server.deps.ids);
    const dm = f.channel(null, { type: 1, name: null, recipientIds: [BigInt(owner.id), BigInt(member.id)] });
    server.deps.stores.channels.create(dm);
    const read = await server.request("GET", `/channels/${dm.id}`, { token: owner.token });
    assert.equal(read.status, 200);
    assert.deepEqual(
      read.body.recipients.map((u: { id: string }) => u.id),
      [member.id],
    );
    const del = await server.request("DELETE", `/channels/${dm.id}`, { token: owner.token });
    assert.equal(del.status, 400);
    assert.equal(del.body.code, "CANNOT_EXECUTE_ON_DM");
    assert.equal((await server.request("GET", `/channels/${dm.id}`, { token: editor.token })).status, 403);
  });
});

describe("channel limits", () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ limits: { max_channels_per_guild: 5 } });
  });
  after(() => server.close());

  it("refuses a channel past max_channels_per_guild", async () => {
    const owner = await registerUser(server, "full");
    const guild = (await server.request("POST", "/guilds", { token: owner.token, body: { name: "Full" } })).body;
    const fifth = await server.request("POST", `/guilds/${guild.id}/channels`, { token: owner.token, body: { name: "fifth" } });
    assert.equal(fifth.status, 200);
    const sixth = await server.request("POST", `/guilds/${guild.id}/channels`, { token: owner.token, body: { name: "sixth" } });
    assert.equal(sixth.status, 400);
    assert.equal(sixth.body.code, "MAX_GUILD_CHANNELS");
  });
});
