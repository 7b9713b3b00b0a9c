import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { AuditAction } from "../../src/features/guilds/audit.ts";
import { Permission } from "../../src/permissions.ts";
import { auditEntries, createGuild, createRole, everyoneId, grantRole, joinGuild, recordEvents } from "../support/guild-fixture.ts";
import { registerUser, startTestServer, type TestServer, type TestUser } from "../support/harness.ts";

const bits = (...names: (keyof typeof Permission)[]) => names.reduce((all, name) => all | Permission[name], 0n).toString();

describe("guild members", () => {
  let server: TestServer;
  let owner: TestUser;
  let mod: TestUser; // "Mod": nicknames, timeouts, kicks, mute/deafen, roles
  let member: TestUser;
  let other: TestUser;
  let guildId: string;
  let modRole: { id: string; position: number };
  let lowRole: { id: string };

  const getMember = (userId: string, as: TestUser = owner) =>
    server.request("GET", `/guilds/${guildId}/members/${userId}`, { token: as.token });

  before(async () => {
    server = await startTestServer();
    owner = await registerUser(server, "memowner");
    mod = await registerUser(server, "memmod");
    member = await registerUser(server, "memplain");
    other = await registerUser(server, "memother");
    guildId = await createGuild(server, owner);
    for (const user of [mod, member, other]) joinGuild(server, guildId, user);
    modRole = await createRole(server, owner, guildId, {
      name: "Mod",
      permissions: bits("MANAGE_NICKNAMES", "MODERATE_MEMBERS", "KICK_MEMBERS", "MUTE_MEMBERS", "DEAFEN_MEMBERS", "MANAGE_ROLES"),
    });
    lowRole = await createRole(server, owner, guildId, { name: "Low" }); // enters below Mod
    await grantRole(server, owner, guildId, mod.id, modRole.id);
  });
  after(() => server.close());

  it("lists members by user id with limit and after", async () => {
    const one = await server.request("GET", `/guilds/${guildId}/members`, { token: member.token });
    assert.equal(one.status, 200);
    assert.equal(one.body.length, 1, "the default limit is 1");
    const all = await server.request("GET", `/guilds/${guildId}/members`, { token: member.token, query: { limit: 1000 } });
    assert.equal(all.body.length, 4);
    const ids = all.body.map((m: { user: { id: string } }) => BigInt(m.user.id));
    assert.deepEqual(
      ids,
      [...ids].sort((a, b) => (a < b ? -1 : 1)),
    );
    const rest = await server.request("GET", `/guilds/${guildId}/members`, {
      token: member.token,
      query: { limit: 10, after: all.body[1].user.id },
    });
    assert.deepEqual(
      rest.body.map((m: { user: { id: string } }) => m.user.id),
      all.body.slice(2).map((m: { user: { id: string } }) => m.user.id),
    );
    for (const limit of [0, 1001]) {
      const bad = await server.request("GET", `/guilds/${guildId}/members`, { token: member.token, query: { limit } });
      assert.equal(bad.status, 400);
      assert.equal(bad.body.errors[0].path, "limit");
    }
  });

  it("reads one member and the caller's own membership", async () => {
    const seen = await getMember(mod.id, member);
    assert.equal(seen.status, 200);
    assert.equal(seen.body.user.id, mod.id);
    assert.deepEqual(seen.body.roles, [modRole.id]);
    assert.equal(seen.body.communication_disabled_until, null);
    const me = await server.request("GET", `/guilds/${guildId}/members/@me`, { token: member.token });
    assert.equal(me.status, 200);
    assert.equal(me.body.user.id, member.id);
    const stranger = await registerUser(server, "memstranger");
    const notMember = await getMember(stranger.id);
    assert.equal(notMember.status, 404);
    assert.equal(notMember.body.code, "UNKNOWN_MEMBER");
    const outside = await server.request("GET", `/guilds/${guildId}/members/@me`, { token: stranger.token });
    assert.equal(outside.status, 403);
    assert.equal(outside.body.code, "MISSING_ACCESS");
    assert.equal((await getMember("not-an-id")).status, 400);
    assert.equal((await server.request("GET", "/guilds/123456789012345678/members", { token: owner.token })).body.code, "UNKNOWN_GUILD");
  });

  it("changes one's own nick with CHANGE_NICKNAME and tells the guild", async () => {
    const events = recordEvents(server);
    const changed = await server.request("PATCH", `/guilds/${guildId}/members/@me`, { token: member.token, body: { nick: "Plain Jane" } });
    assert.equal(changed.status, 200);
    assert.equal(changed.body.nick, "Plain Jane");
    assert.equal((await getMember(member.id, other)).body.nick, "Plain Jane");
    await events.settle();
    events.stop();
    const update = events.of("GUILD_MEMBER_UPDATE")[0]?.data as Record<string, unknown>;
    assert.deepEqual(update, { ...changed.body, guild_id: guildId });
    assert.equal(auditEntries(server, guildId, AuditAction.MEMBER_UPDATE)[0]?.targetId?.toString(), member.id);
    const tooLong = await server.request("PATCH", `/guilds/${guildId}/members/@me`, {
      token: member.token,
      body: { nick: "x".repeat(33) },
    });
    assert.equal(tooLong.status, 400);
    assert.equal(tooLong.body.errors[0].path, "nick");
    const cleared = await server.request("PATCH", `/guilds/${guildId}/members/@me`, { token: member.token, body: { nick: "" } });
    assert.equal(cleared.body.nick, null);
  });

  it("refuses roles sent to PATCH @me instead of dropping them, and changes nothing", async () => {
    const before = (await getMember(member.id, other)).body;
    const refused = await server.request("PATCH", `/guilds/${guildId}/members/@me`, {
      token: member.token,
      body: { nick: "Sneaky", roles: [everyoneId(guildId)] },
    });
    assert.equal(refused.status, 400);
    assert.equal(refused.body.code, "INVALID_FORM_BODY");
    assert.equal(refused.body.errors[0].path, "roles");
    const after = (await getMember(member.id, other)).body;
    assert.deepEqual([after.nick, after.roles], [before.nick, before.roles]);
  });

  it("refuses a self nick without CHANGE_NICKNAME", async () => {
    const everyone = everyoneId(guildId);
    const roles = (await server.request("GET", `/guilds/${guildId}/roles`, { token: owner.token })).body;
    const original = roles.find((role: { id: string }) => role.id === everyone).permissions;
    await server.request("PATCH", `/guilds/${guildId}/roles/${everyone}`, {
      token: owner.token,
      body: { permissions: (BigInt(original) & ~Permission.CHANGE_NICKNAME).toString() },
    });
    const denied = await server.request("PATCH", `/guilds/${guildId}/members/@me`, { token: member.token, body: { nick: "nope" } });
    assert.equal(denied.status, 403);
    assert.equal(denied.body.code, "MISSING_PERMISSIONS");
    await server.request("PATCH", `/guilds/${guildId}/roles/${everyone}`, { token: owner.token, body: { permissions: original } });
  });

  it("sets others' nicks with MANAGE_NICKNAMES, below the actor only", async () => {
    const set = await server.request("PATCH", `/guilds/${guildId}/members/${member.id}`, { token: mod.token, body: { nick: "Modded" } });
    assert.equal(set.status, 200);
    assert.equal(set.body.nick, "Modded");
    const onOwner = await server.request("PATCH", `/guilds/${guildId}/members/${owner.id}`, { token: mod.token, body: { nick: "Boss" } });
    assert.equal(onOwner.status, 403);
    const noPermission = await server.request("PATCH", `/guilds/${guildId}/members/${other.id}`, {
      token: member.token,
      body: { nick: "x" },
    });
    assert.equal(noPermission.status, 403);
    assert.equal(noPermission.body.code, "MISSING_PERMISSIONS");
    assert.equal((await getMember(other.id)).body.nick, null);
  });

  it("replaces a member's roles within the actor's reach and logs the role change", async () => {
    const events = recordEvents(server);
    const set = await server.request("PATCH", `/guilds/${guildId}/members/${member.id}`, {
      token: mod.token,
      headers: { "x-audit-log-reason": "promotion" },
      body: { roles: [lowRole.id] },
    });
    assert.equal(set.status, 200);
    assert.deepEqual(set.body.roles, [lowRole.id]);
    const [entry] = auditEntries(server, guildId, AuditAction.MEMBER_ROLE_UPDATE);
    assert.equal(entry?.reason, "promotion");
    assert.deepEqual(entry?.changes, [{ key: "$add", new_value: [{ id: lowRole.id, name: "Low" }] }]);
    await events.settle();
    events.stop();
    assert.deepEqual(events.data("GUILD_MEMBER_UPDATE").roles, [lowRole.id]);
    const tooHigh = await server.request("PATCH", `/guilds/${guildId}/members/${member.id}`, {
      token: mod.token,
      body: { roles: [modRole.id] },
    });
    assert.equal(tooHigh.status, 403);
    const unknown = await server.request("PATCH", `/guilds/${guildId}/members/${member.id}`, {
      token: owner.token,
      body: { roles: ["123456789012345678"] },
    });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.errors[0].path, "roles");
    const noPermission = await server.request("PATCH", `/guilds/${guildId}/members/${other.id}`, {
      token: member.token,
      body: { roles: [lowRole.id] },
    });
    assert.equal(noPermission.status, 403);
    // Sending the member back unchanged (as the spec's required fields invite) needs no permission.
    const unchanged = await server.request("PATCH", `/guilds/${guildId}/members/${other.id}`, {
      token: member.token,
      body: { nick: null, roles: [], communication_disabled_until: null },
    });
    assert.equal(unchanged.status, 200);
    assert.deepEqual(unchanged.body.roles, []);
    assert.deepEqual((await getMember(member.id)).body.roles, [lowRole.id]);
  });

  it("adds and removes a single role", async () => {
    const path = `/guilds/${guildId}/members/${other.id}/roles/${lowRole.id}`;
    assert.equal((await server.request("PUT", path, { token: mod.token })).status, 204);
    assert.deepEqual((await getMember(other.id)).body.roles, [lowRole.id]);
    assert.equal((await server.request("DELETE", path, { token: mod.token })).status, 204);
    assert.deepEqual((await getMember(other.id)).body.roles, []);
    const entries = auditEntries(server, guildId, AuditAction.MEMBER_ROLE_UPDATE);
    assert.equal(entries[0]?.changes?.[0]?.key, "$remove");
    assert.equal(entries[1]?.changes?.[0]?.key, "$add");
    const denied = await server.request("PUT", path, { token: member.token });
    assert.equal(denied.status, 403);
    const above = await server.request("PUT", `/guilds/${guildId}/members/${other.id}/roles/${modRole.id}`, { token: mod.token });
    assert.equal(above.status, 403);
    const unknownRole = await server.request("PUT", `/guilds/${guildId}/members/${other.id}/roles/123456789012345678`, {
      token: owner.token,
    });
    assert.equal(unknownRole.status, 404);
    assert.equal(unknownRole.body.code, "UNKNOWN_ROLE");
    const unknownMember = await server.request("PUT", `/guilds/${guildId}/members/123456789012345678/roles/${lowRole.id}`, {
      token: owner.token,
    });
    assert.equal(unknownMember.status, 404);
    assert.equal(unknownMember.body.code, "UNKNOWN_MEMBER");
    const everyone = await server.request("PUT", `/guilds/${guildId}/members/${other.id}/roles/${everyoneId(guildId)}`, {
      token: owner.token,
    });
    assert.equal(everyone.status, 400);
  });

  it("mutes and deafens with the voice permissions only", async () => {
    const muted = await server.request("PATCH", `/guilds/${guildId}/members/${other.id}`, {
      token: mod.token,
      body: { mute: true, deaf: true },
    });
    assert.equal(muted.status, 200);
    assert.equal(muted.body.mute, true);
    assert.equal(muted.body.deaf, true);
    const denied = await server.request("PATCH", `/guilds/${guildId}/members/${other.id}`, { token: member.token, body: { mute: false } });
    assert.equal(denied.status, 403);
    assert.equal((await getMember(other.id)).body.mute, true);
  });
});
