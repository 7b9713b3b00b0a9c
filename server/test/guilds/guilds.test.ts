import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { hashToken, newBotToken } from "../../src/auth/tokens.ts";
import { DEFAULT_EVERYONE_PERMISSIONS } from "../../src/permissions.ts";
import { createFixtures } from "../../src/storage/contract/fixtures.ts";
import { joinGuild, recordEvents } from "../support/guild-fixture.ts";
import { registerUser, startTestServer, type TestServer, type TestUser } from "../support/harness.ts";

/** A bot user with a working `Bot` token, made through the application store. */
function makeBot(server: TestServer): { id: string; token: string } {
  const f = createFixtures(server.deps.ids);
  const owner = server.deps.stores.users.create(f.newUser());
  const appId = server.deps.ids.next();
  const botUser = f.newUser({ bot: true });
  const token = newBotToken(appId);
  server.deps.stores.applications.create(
    {
      id: appId,
      ownerId: owner.id,
      name: "bot app",
      description: null,
      icon: null,
      botUserId: botUser.id,
      botPublic: true,
      botRequireCodeGrant: false,
      redirectUris: [],
      flags: 0,
      createdAt: Date.now(),
    },
    { user: botUser, tokenHash: hashToken(token) },
  );
  return { id: botUser.id.toString(), token: `Bot ${token}` };
}

describe("guilds", () => {
  let server: TestServer;
  let owner: TestUser;
  before(async () => {
    server = await startTestServer();
    owner = await registerUser(server, "guildowner");
  });
  after(() => server.close());

  async function create(user: TestUser, name = "Guild") {
    const response = await server.request("POST", "/guilds", { token: user.token, body: { name } });
    assert.equal(response.status, 200, JSON.stringify(response.body));
    return response.body;
  }

  it("creates a guild with @everyone, two categories, #general and a voice channel, and tells the creator", async () => {
    const recorder = recordEvents(server);
    const guild = await create(owner, "  Home  ");
    const events = await recorder.settle();
    recorder.stop();
    assert.equal(guild.name, "Home");
    assert.equal(guild.owner_id, owner.id);
    assert.deepEqual(
      guild.roles.map((r: { id: string; name: string }) => [r.id, r.name]),
      [[guild.id, "@everyone"]],
    );
    assert.equal(guild.roles[0].permissions, DEFAULT_EVERYONE_PERMISSIONS.toString());
    const byName = Object.fromEntries(guild.channels.map((c: { name: string }) => [c.name, c]));
    assert.equal(byName["Text Channels"].type, 4);
    assert.equal(byName["Voice Channels"].type, 4);
    assert.equal(byName.general.type, 0);
    assert.equal(byName.general.parent_id, byName["Text Channels"].id);
    assert.equal(byName.General.type, 2);
    assert.equal(byName.General.parent_id, byName["Voice Channels"].id);
    assert.equal(guild.system_channel_id, byName.general.id);
    assert.equal(guild.member_count, 1);
    assert.ok(guild.features.includes("VANITY_URL"));
    const created = events.find((e) => e.type === "GUILD_CREATE");
    assert.deepEqual(created?.audience, { kind: "users", userIds: [BigInt(owner.id)] });
    assert.equal((created?.data as { id: string } | undefined)?.id, guild.id);

    const read = await server.request("GET", `/guilds/${guild.id}`, { token: owner.token });
    assert.equal(read.status, 200);
    assert.equal(read.body.channels.length, 4);
    assert.equal(read.body.permissions, read.body.permissions.replace(/\D/g, ""));
  });

  it("creates without features when asked, and refuses bad names", async () => {
    const bare = await server.request("POST", "/guilds", { token: owner.token, body: { name: "Bare", empty_features: true } });
    assert.equal(bare.status, 200);
    assert.deepEqual(bare.body.features, []);
    const bad = await server.request("POST", "/guilds", { token: owner.token, body: { name: "" } });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.code, "INVALID_FORM_BODY");
    assert.equal(bad.body.errors[0].path, "name");
    const missing = await server.request("POST", "/guilds", { token: owner.token, body: {} });
    assert.equal(missing.status, 400);
  });

  it("refuses bots", async () => {
    const bot = makeBot(server);
    const response = await server.request("POST", "/guilds", { token: bot.token, body: { name: "Bot guild" } });
    assert.equal(response.status, 403);
    assert.equal(response.body.code, "BOTS_CANNOT_CREATE_GUILDS");
  });

  it("shows a guild to its members only, and knows unknown and malformed ids", async () => {
    const guild = await create(owner);
    const stranger = await registerUser(server);
    const denied = await server.request("GET", `/guilds/${guild.id}`, { token: stranger.token });
    assert.equal(denied.status, 403);
    assert.equal(denied.body.code, "MISSING_ACCESS");
    joinGuild(server, guild.id, stranger);
    const seen = await server.request("GET", `/guilds/${guild.id}`, { token: stranger.token });
    assert.equal(seen.status, 200);
    assert.equal(seen.body.member_count, 2);
    assert.equal(seen.body.permissions, DEFAULT_EVERYONE_PERMISSIONS.toString());
    const unknown = await server.request("GET", "/guilds/123456789012345678", { token: owner.token });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.code, "UNKNOWN_GUILD");
    const malformed = await server.request("GET", "/guilds/not-an-id", { token: owner.token });
    assert.equal(malformed.status, 400);
    assert.equal(malformed.body.code, "INVALID_FORM_BODY");
  });

  it("lists the caller's guilds with before, after, limit and counts", async () => {
    const lister = await registerUser(server);
    const ids: string[] = [];
    for (const name of ["one", "two", "three"]) ids.push((await create(lister, name)).id);
    const all = await server.request("GET", "/users/@me/guilds", { token: lister.token });
    assert.equal(all.status, 200);
    assert.deepEqual(
      all.body.map((g: { id: string }) => g.id),
      ids,
    );
    assert.ok(all.body.every((g: { permissions: string }) => typeof g.permissions === "string"));
    assert.equal(all.body[0].member_count, undefined);
    const page = await server.request("GET", "/users/@me/guilds", { token: lister.token, query: { after: ids[0] as string, limit: 1 } });
    assert.deepEqual(
      page.body.map((g: { id: string }) => g.id),
      [ids[1]],
    );
    const back = await server.request("GET", "/users/@me/guilds", { token: lister.token, query: { before: ids[2] as string, limit: 1 } });
    assert.deepEqual(
      back.body.map((g: { id: string }) => g.id),
      [ids[1]],
    );
    const counted = await server.request("GET", "/users/@me/guilds", { token: lister.token, query: { with_counts: "true" } });
    assert.equal(counted.body[0].approximate_member_count, 1);
    const bad = await server.request("GET", "/users/@me/guilds", { token: lister.token, query: { limit: 0 } });
    assert.equal(bad.status, 400);
  });

  it("lets a member leave but not the owner", async () => {
    const guild = await create(owner);
    const member = await registerUser(server);
    joinGuild(server, guild.id, member);
    const ownerLeaves = await server.request("DELETE", `/users/@me/guilds/${guild.id}`, { token: owner.token });
    assert.equal(ownerLeaves.status, 400);
    const recorder = recordEvents(server);
    const left = await server.request("DELETE", `/users/@me/guilds/${guild.id}`, { token: member.token });
    assert.equal(left.status, 204);
    await recorder.settle();
    recorder.stop();
    assert.equal(recorder.of("GUILD_MEMBER_REMOVE")[0]?.audience.kind, "guild");
    assert.deepEqual(recorder.of("GUILD_DELETE")[0]?.audience, { kind: "users", userIds: [BigInt(member.id)] });
    assert.equal((await server.request("GET", `/guilds/${guild.id}`, { token: member.token })).status, 403);
    const again = await server.request("DELETE", `/users/@me/guilds/${guild.id}`, { token: member.token });
    assert.equal(again.status, 403);
    const list = await server.request("GET", "/users/@me/guilds", { token: member.token });
    assert.deepEqual(list.body, []);
  });

  it("deletes a guild for its owner with the password, and tells every member", async () => {
    const guild = await create(owner);
    const member = await registerUser(server);
    joinGuild(server, guild.id, member);
    const notOwner = await server.request("POST", `/guilds/${guild.id}/delete`, {
      token: member.token,
      body: { password: member.password },
    });
    assert.equal(notOwner.status, 403);
    assert.equal(notOwner.body.code, "MISSING_PERMISSIONS");
    const wrong = await server.request("POST", `/guilds/${guild.id}/delete`, {
      token: owner.token,
      body: { password: "not-the-password" },
    });
    assert.equal(wrong.status, 400);
    assert.equal(wrong.body.errors[0].path, "password");
    assert.equal((await server.request("GET", `/guilds/${guild.id}`, { token: owner.token })).status, 200);
    const recorder = recordEvents(server);
    const deleted = await server.request("POST", `/guilds/${guild.id}/delete`, { token: owner.token, body: { password: owner.password } });
    assert.equal(deleted.status, 204);
    await recorder.settle();
    recorder.stop();
    const gone = recorder.of("GUILD_DELETE")[0];
    assert.ok(gone);
    assert.deepEqual(gone.data, { id: guild.id });
    assert.deepEqual((gone.audience as { userIds: bigint[] }).userIds.map(String).sort(), [owner.id, member.id].sort());
    const after = await server.request("GET", `/guilds/${guild.id}`, { token: member.token });
    assert.equal(after.status, 404);
    assert.equal(after.body.code, "UNKNOWN_GUILD");
  });

  it("transfers ownership to a member, never to a bot or a stranger", async () => {
    const guild = await create(owner);
    const heir = await registerUser(server);
    const stranger = await registerUser(server);
    joinGuild(server, guild.id, heir);
    const bot = makeBot(server);
    joinGuild(server, guild.id, { id: bot.id } as TestUser);
    const path = `/guilds/${guild.id}/transfer-ownership`;
    const toBot = await server.request("POST", path, { token: owner.token, body: { new_owner_id: bot.id, password: owner.password } });
    assert.equal(toBot.status, 400);
    assert.equal(toBot.body.code, "CANNOT_TRANSFER_OWNERSHIP_TO_BOT");
    const toStranger = await server.request("POST", path, {
      token: owner.token,
      body: { new_owner_id: stranger.id, password: owner.password },
    });
    assert.equal(toStranger.status, 404);
    assert.equal(toStranger.body.code, "UNKNOWN_MEMBER");
    const byHeir = await server.request("POST", path, { token: heir.token, body: { new_owner_id: heir.id, password: heir.password } });
    assert.equal(byHeir.status, 403);
    const wrongPassword = await server.request("POST", path, {
      token: owner.token,
      body: { new_owner_id: heir.id, password: "wrong-password" },
    });
    assert.equal(wrongPassword.status, 400);
    const done = await server.request("POST", path, { token: owner.token, body: { new_owner_id: heir.id, password: owner.password } });
    assert.equal(done.status, 200);
    assert.equal(done.body.owner_id, heir.id);
    const seen = await server.request("GET", `/guilds/${guild.id}`, { token: heir.token });
    assert.equal(seen.body.owner_id, heir.id);
    // The former owner is now a plain member: it may leave, and may not delete.
    const del = await server.request("POST", `/guilds/${guild.id}/delete`, { token: owner.token, body: { password: owner.password } });
    assert.equal(del.status, 403);
    const audit = await server.request("GET", `/guilds/${guild.id}/audit-logs`, { token: heir.token, query: { action_type: 1 } });
    assert.deepEqual(audit.body.audit_log_entries[0].changes, [{ key: "owner_id", old_value: owner.id, new_value: heir.id }]);
  });
});

describe("guild limits", () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ limits: { max_guilds_per_user: 1 } });
  });
  after(() => server.close());

  it("refuses a guild past max_guilds_per_user", async () => {
    const user = await registerUser(server, "limited");
    assert.equal((await server.request("POST", "/guilds", { token: user.token, body: { name: "first" } })).status, 200);
    const second = await server.request("POST", "/guilds", { token: user.token, body: { name: "second" } });
    assert.equal(second.status, 400);
    assert.equal(second.body.code, "MAX_GUILDS");
    const list = await server.request("GET", "/users/@me/guilds", { token: user.token });
    assert.equal(list.body.length, 1);
  });
});
