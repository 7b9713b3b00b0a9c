import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { AuditAction } from "../../src/features/guilds/audit.ts";
import { Permission } from "../../src/permissions.ts";
import { auditEntries, createGuild, createRole, everyoneId, grantRole, joinGuild, recordEvents } from "../support/guild-fixture.ts";
import { registerUser, startTestServer, type TestServer, type TestUser } from "../support/harness.ts";

const bits = (...names: (keyof typeof Permission)[]) => names.reduce((all, name) => all | Permission[name], 0n).toString();

describe("guild roles", () => {
  let server: TestServer;
  let owner: TestUser;
  let manager: TestUser; // holds "Manager" (MANAGE_ROLES | KICK_MEMBERS)
  let member: TestUser; // no roles
  let guildId: string;
  let managerRole: { id: string; position: number };

  const roles = async (as: TestUser = owner) => (await server.request("GET", `/guilds/${guildId}/roles`, { token: as.token })).body;

  before(async () => {
    server = await startTestServer();
    owner = await registerUser(server, "rolesowner");
    manager = await registerUser(server, "rolesmanager");
    member = await registerUser(server, "rolesmember");
    guildId = await createGuild(server, owner);
    joinGuild(server, guildId, manager);
    joinGuild(server, guildId, member);
    managerRole = await createRole(server, owner, guildId, { name: "Manager", permissions: bits("MANAGE_ROLES", "KICK_MEMBERS") });
    await grantRole(server, owner, guildId, manager.id, managerRole.id);
  });
  after(() => server.close());

  it("lists the roles with @everyone first, to any member", async () => {
    const list = await server.request("GET", `/guilds/${guildId}/roles`, { token: member.token });
    assert.equal(list.status, 200);
    assert.equal(list.body[0].id, everyoneId(guildId));
    assert.equal(list.body[0].name, "@everyone");
    assert.equal(list.body[0].position, 0);
    assert.ok(list.body.some((role: { id: string }) => role.id === managerRole.id));
  });

  it("creates a role at position 1, moves the others up, and tells the guild", async () => {
    const events = recordEvents(server);
    const before = await roles();
    const created = await server.request("POST", `/guilds/${guildId}/roles`, {
      token: owner.token,
      headers: { "x-audit-log-reason": "for%20mods" },
      body: { name: "Mods", color: 0x3366ff, permissions: bits("KICK_MEMBERS"), hoist: true, mentionable: true, unicode_emoji: "🛡️" },
    });
    assert.equal(created.status, 200);
    assert.equal(created.body.name, "Mods");
    assert.equal(created.body.color, 0x3366ff);
    assert.equal(created.body.permissions, bits("KICK_MEMBERS"));
    assert.equal(created.body.hoist, true);
    assert.equal(created.body.mentionable, true);
    assert.equal(created.body.unicode_emoji, "🛡️");
    assert.equal(created.body.position, 1);
    const after = await roles(member);
    assert.equal(after.length, before.length + 1);
    const oldManager = before.find((role: { id: string }) => role.id === managerRole.id);
    assert.equal(after.find((role: { id: string }) => role.id === managerRole.id).position, oldManager.position + 1);
    await events.settle();
    events.stop();
    const [create] = events.of("GUILD_ROLE_CREATE");
    assert.deepEqual(create?.data, { guild_id: guildId, role: created.body });
    assert.equal(events.of("GUILD_ROLE_UPDATE_BULK").length, 1);
    const [entry] = auditEntries(server, guildId, AuditAction.ROLE_CREATE);
    assert.equal(entry?.targetId?.toString(), created.body.id);
    assert.equal(entry?.reason, "for mods");
    assert.equal(entry?.userId?.toString(), owner.id);
  });

  it("keeps all 64 permission bits when the owner sets them", async () => {
    const all = ((1n << 64n) - 1n).toString();
    const created = await createRole(server, owner, guildId, { name: "everything", permissions: all });
    assert.equal(created.permissions, all);
    const listed = (await roles()).find((role: { id: string }) => role.id === created.id);
    assert.equal(listed.permissions, all);
  });

  it("starts a role with @everyone's permissions when none are given", async () => {
    const everyone = (await roles())[0];
    const created = await createRole(server, owner, guildId, { name: "plain" });
    assert.equal(created.permissions, everyone.permissions);
  });

  it("refuses role management without MANAGE_ROLES, and writes nothing", async () => {
    const count = (await roles()).length;
    const denied = await server.request("POST", `/guilds/${guildId}/roles`, { token: member.token, body: { name: "nope" } });
    assert.equal(denied.status, 403);
    assert.equal(denied.body.code, "MISSING_PERMISSIONS");
    const target = (await roles()).at(-1);
    const patch = await server.request("PATCH", `/guilds/${guildId}/roles/${target.id}`, { token: member.token, body: { name: "x" } });
    assert.equal(patch.status, 403);
    const remove = await server.request("DELETE", `/guilds/${guildId}/roles/${target.id}`, { token: member.token });
    assert.equal(remove.status, 403);
    const order = await server.request("PATCH", `/guilds/${guildId}/roles`, {
      token: member.token,
      body: [{ id: target.id, position: 1 }],
    });
    assert.equal(order.status, 403);
    assert.equal((await roles()).length, count);
  });

  it("does not let a manager grant a permission they lack", async () => {
    const admin = await server.request("POST", `/guilds/${guildId}/roles`, {
      token: manager.token,
      body: { name: "sneaky", permissions: bits("ADMINISTRATOR") },
    });
    assert.equal(admin.status, 403);
    assert.equal(admin.body.code, "MISSING_PERMISSIONS");
    const allowed = await server.request("POST", `/guilds/${guildId}/roles`, {
      token: manager.token,
      body: { name: "kickers", permissions: bits("KICK_MEMBERS") },
    });
    assert.equal(allowed.status, 200);
    const raise = await server.request("PATCH", `/guilds/${guildId}/roles/${allowed.body.id}`, {
      token: manager.token,
      body: { permissions: bits("KICK_MEMBERS", "BAN_MEMBERS") },
    });
    assert.equal(raise.status, 403);
    const lower = await server.request("PATCH", `/guilds/${guildId}/roles/${allowed.body.id}`, {
      token: manager.token,
      body: { permissions: "0", name: "no-kick" },
    });
    assert.equal(lower.status, 200);
    assert.equal(lower.body.permissions, "0");
  });

  it("edits a role below the actor's top role only", async () => {
    const events = recordEvents(server);
    const low = await createRole(server, owner, guildId, { name: "low" }); // position 1, below Manager
    const edited = await server.request("PATCH", `/guilds/${guildId}/roles/${low.id}`, {
      token: manager.token,
      body: { name: "lower", color: 0xff0000, hoist: true },
    });
    assert.equal(edited.status, 200);
    assert.equal(edited.body.name, "lower");
    assert.equal(edited.body.color, 0xff0000);
    await events.settle();
    events.stop();
    assert.deepEqual(events.of("GUILD_ROLE_UPDATE").at(-1)?.data, { guild_id: guildId, role: edited.body });
    const [entry] = auditEntries(server, guildId, AuditAction.ROLE_UPDATE);
    assert.deepEqual(
      entry?.changes?.map((change) => change.key),
      ["name", "color", "hoist"],
    );
    // Its own top role and anything above it are out of reach.
    const own = await server.request("PATCH", `/guilds/${guildId}/roles/${managerRole.id}`, {
      token: manager.token,
      body: { name: "Boss" },
    });
    assert.equal(own.status, 403);
    assert.equal(own.body.code, "MISSING_PERMISSIONS");
  });

  it("edits @everyone's permissions but never renames or deletes it", async () => {
    const everyone = everyoneId(guildId);
    const edited = await server.request("PATCH", `/guilds/${guildId}/roles/${everyone}`, {
      token: owner.token,
      body: { permissions: bits("VIEW_CHANNEL", "SEND_MESSAGES", "CHANGE_NICKNAME", "READ_MESSAGE_HISTORY") },
    });
    assert.equal(edited.status, 200);
    assert.equal(edited.body.permissions, bits("VIEW_CHANNEL", "SEND_MESSAGES", "CHANGE_NICKNAME", "READ_MESSAGE_HISTORY"));
    const rename = await server.request("PATCH", `/guilds/${guildId}/roles/${everyone}`, { token: owner.token, body: { name: "all" } });
    assert.equal(rename.status, 400);
    assert.equal(rename.body.errors[0].path, "name");
    const remove = await server.request("DELETE", `/guilds/${guildId}/roles/${everyone}`, { token: owner.token });
    assert.equal(remove.status, 400);
  });

  it("deletes a role, takes it from its members, and tells the guild", async () => {
    const doomed = await createRole(server, owner, guildId, { name: "doomed" });
    await grantRole(server, owner, guildId, member.id, doomed.id);
    const events = recordEvents(server);
    const tooHigh = await server.request("DELETE", `/guilds/${guildId}/roles/${managerRole.id}`, { token: manager.token });
    assert.equal(tooHigh.status, 403);
    const removed = await server.request("DELETE", `/guilds/${guildId}/roles/${doomed.id}`, { token: manager.token });
    assert.equal(removed.status, 204);
    assert.ok(!(await roles()).some((role: { id: string }) => role.id === doomed.id));
    const seen = await server.request("GET", `/guilds/${guildId}/members/${member.id}`, { token: owner.token });
    assert.deepEqual(seen.body.roles, []);
    await events.settle();
    events.stop();
    assert.deepEqual(events.of("GUILD_ROLE_DELETE")[0]?.data, { guild_id: guildId, role_id: doomed.id });
    assert.equal(auditEntries(server, guildId, AuditAction.ROLE_DELETE)[0]?.targetId?.toString(), doomed.id);
    const again = await server.request("DELETE", `/guilds/${guildId}/roles/${doomed.id}`, { token: owner.token });
    assert.equal(again.status, 404);
    assert.equal(again.body.code, "UNKNOWN_ROLE");
  });

  it("takes a deleted role's channel overwrites with it and announces those channels", async () => {
    const doomed = await createRole(server, owner, guildId, { name: "doomed-overwrites" });
    const channels = (await server.request("GET", `/guilds/${guildId}/channels`, { token: owner.token })).body;
    const text = channels.find((channel: { type: number }) => channel.type === 0);
    const overwrite = { type: 0, allow: Permission.SEND_MESSAGES.toString(), deny: "0" };
    const put = await server.request("PUT", `/channels/${text.id}/permissions/${doomed.id}`, { token: owner.token, body: overwrite });
    assert.equal(put.status, 204);
    const events = recordEvents(server);
    assert.equal((await server.request("DELETE", `/guilds/${guildId}/roles/${doomed.id}`, { token: owner.token })).status, 204);
    const seen = await server.request("GET", `/channels/${text.id}`, { token: owner.token });
    assert.ok(!seen.body.permission_overwrites.some((o: { id: string }) => o.id === doomed.id), "the overwrite went with the role");
    await events.settle();
    events.stop();
    const updates = events.of("CHANNEL_UPDATE");
    assert.deepEqual(
      updates.map((event) => (event.data as { id: string }).id),
      [text.id],
    );
    const [update] = updates;
    assert.ok(update);
    assert.deepEqual((update.data as { permission_overwrites: unknown[] }).permission_overwrites, seen.body.permission_overwrites);
    assert.deepEqual(update.audience, { kind: "guild", guildId: BigInt(guildId), channelId: BigInt(text.id) });
  });

  it("reorders roles and renumbers the rest", async () => {
    const a = await createRole(server, owner, guildId, { name: "order-a" });
    const b = await createRole(server, owner, guildId, { name: "order-b" }); // b at 1, a at 2
    const events = recordEvents(server);
    const moved = await server.request("PATCH", `/guilds/${guildId}/roles`, {
      token: owner.token,
      body: [
        { id: b.id, position: 2 },
        { id: a.id, position: 1 },
      ],
    });
    assert.equal(moved.status, 204);
    const list = await roles();
    const positions = list.map((role: { position: number }) => role.position);
    assert.deepEqual(
      positions,
      list.map((_: unknown, index: number) => index),
      "positions run 0..n without gaps",
    );
    assert.equal(list.find((role: { id: string }) => role.id === a.id).position, 1);
    assert.equal(list.find((role: { id: string }) => role.id === b.id).position, 2);
    await events.settle();
    events.stop();
    const bulk = events.of("GUILD_ROLE_UPDATE_BULK")[0]?.data as { guild_id: string; roles: { id: string }[] };
    assert.equal(bulk.guild_id, guildId);
    assert.ok(bulk.roles.some((role) => role.id === a.id));
  });

  it("refuses moves above the actor's top role, of @everyone, and of unknown roles", async () => {
    const low = (await roles()).find((role: { position: number }) => role.position === 1);
    const top = (await roles()).at(-1).position;
    const above = await server.request("PATCH", `/guilds/${guildId}/roles`, {
      token: manager.token,
      body: [{ id: low.id, position: top }],
    });
    assert.equal(above.status, 403);
    const everyone = await server.request("PATCH", `/guilds/${guildId}/roles`, {
      token: owner.token,
      body: [{ id: everyoneId(guildId), position: 3 }],
    });
    assert.equal(everyone.status, 400);
    const unknown = await server.request("PATCH", `/guilds/${guildId}/roles`, {
      token: owner.token,
      body: [{ id: "123456789012345678", position: 1 }],
    });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.body.errors[0].path, "0.id");
    const malformed = await server.request("PATCH", `/guilds/${guildId}/roles`, { token: owner.token, body: { id: low.id } });
    assert.equal(malformed.status, 400);
  });

  it("sets and resets hoist positions", async () => {
    const list = await roles();
    const [x, y] = list.slice(1, 3);
    const set = await server.request("PATCH", `/guilds/${guildId}/roles/hoist-positions`, {
      token: manager.token,
      body: [
        { id: x.id, hoist_position: 2 },
        { id: y.id, hoist_position: 1 },
      ],
    });
    assert.equal(set.status, 204);
    const after = await roles(member);
    assert.equal(after.find((role: { id: string }) => role.id === x.id).hoist_position, 2);
    assert.equal(after.find((role: { id: string }) => role.id === y.id).hoist_position, 1);
    const denied = await server.request("DELETE", `/guilds/${guildId}/roles/hoist-positions`, { token: member.token });
    assert.equal(denied.status, 403);
    const deniedSet = await server.request("PATCH", `/guilds/${guildId}/roles/hoist-positions`, {
      token: member.token,
      body: [{ id: x.id, hoist_position: 1 }],
    });
    assert.equal(deniedSet.status, 403);
    const reset = await server.request("DELETE", `/guilds/${guildId}/roles/hoist-positions`, { token: owner.token });
    assert.equal(reset.status, 204);
    assert.ok((await roles()).every((role: { hoist_position: number | null }) => role.hoist_position === null));
  });

  it("keeps hoist positions of roles at or above the actor's top role out of reach, unless owner or admin", async () => {
    const high = await createRole(server, owner, guildId, { name: "hoist-high" });
    const top = (await roles()).at(-1).position;
    const raised = await server.request("PATCH", `/guilds/${guildId}/roles`, {
      token: owner.token,
      body: [{ id: high.id, position: top }],
    });
    assert.equal(raised.status, 204);
    const hoist = (token: string, id: string, hoist_position: number) =>
      server.request("PATCH", `/guilds/${guildId}/roles/hoist-positions`, { token, body: [{ id, hoist_position }] });
    const above = await hoist(manager.token, high.id, 3);
    assert.equal(above.status, 403);
    assert.equal(above.body.code, "MISSING_PERMISSIONS");
    assert.equal((await hoist(manager.token, managerRole.id, 3)).status, 403, "nor the actor's own top role");
    assert.equal((await hoist(owner.token, high.id, 4)).status, 204);
    const reset = await server.request("DELETE", `/guilds/${guildId}/roles/hoist-positions`, { token: manager.token });
    assert.equal(reset.status, 403, "a reset would clear a higher role's hoist position");
    const byId = async (id: string) => (await roles()).find((role: { id: string }) => role.id === id);
    assert.equal((await byId(high.id)).hoist_position, 4, "nothing changed");

    // An administrator low in the list may, as the owner may.
    const admin = await registerUser(server, "rolesadmin");
    joinGuild(server, guildId, admin);
    const adminRole = await createRole(server, owner, guildId, { name: "hoist-admin", permissions: bits("ADMINISTRATOR") });
    await grantRole(server, owner, guildId, admin.id, adminRole.id);
    assert.equal((await hoist(admin.token, high.id, 5)).status, 204);
    assert.equal((await byId(high.id)).hoist_position, 5);
    assert.equal((await server.request("DELETE", `/guilds/${guildId}/roles/hoist-positions`, { token: admin.token })).status, 204);
  });

  it("answers bad input, unknown ids and strangers correctly", async () => {
    const long = await server.request("POST", `/guilds/${guildId}/roles`, {
      token: owner.token,
      body: { name: "x".repeat(101), color: -1, permissions: "lots" },
    });
    assert.equal(long.status, 400);
    assert.equal(long.body.code, "INVALID_FORM_BODY");
    assert.deepEqual(long.body.errors.map((e: { path: string }) => e.path).sort(), ["color", "name", "permissions"]);
    const huge = await server.request("POST", `/guilds/${guildId}/roles`, {
      token: owner.token,
      body: { name: "huge", permissions: (1n << 64n).toString() },
    });
    assert.equal(huge.status, 400);
    assert.equal(huge.body.errors[0].path, "permissions");
    const unknownGuild = await server.request("GET", "/guilds/123456789012345678/roles", { token: owner.token });
    assert.equal(unknownGuild.status, 404);
    assert.equal(unknownGuild.body.code, "UNKNOWN_GUILD");
    const malformed = await server.request("GET", "/guilds/nope/roles", { token: owner.token });
    assert.equal(malformed.status, 400);
    const unknownRole = await server.request("PATCH", `/guilds/${guildId}/roles/123456789012345678`, {
      token: owner.token,
      body: { name: "x" },
    });
    assert.equal(unknownRole.status, 404);
    assert.equal(unknownRole.body.code, "UNKNOWN_ROLE");
    const stranger = await registerUser(server, "rolesstranger");
    const outside = await server.request("GET", `/guilds/${guildId}/roles`, { token: stranger.token });
    assert.equal(outside.status, 403);
    assert.equal(outside.body.code, "MISSING_ACCESS");
  });
});

describe("guild role limit", () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ limits: { max_roles_per_guild: 3 } });
  });
  after(() => server.close());

  it("stops at max_roles_per_guild (counting @everyone)", async () => {
    const owner = await registerUser(server, "limitowner");
    const guildId = await createGuild(server, owner);
    await createRole(server, owner, guildId, { name: "one" });
    await createRole(server, owner, guildId, { name: "two" });
    const third = await server.request("POST", `/guilds/${guildId}/roles`, { token: owner.token, body: { name: "three" } });
    assert.equal(third.status, 400);
    assert.equal(third.body.code, "MAX_GUILD_ROLES");
  });
});
