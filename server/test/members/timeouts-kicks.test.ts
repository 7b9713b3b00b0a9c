import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { AuditAction } from "../../src/features/guilds/audit.ts";
import { Permission } from "../../src/permissions.ts";
import { auditEntries, createGuild, createRole, grantRole, joinGuild, recordEvents } from "../support/guild-fixture.ts";
import { registerUser, startTestServer, type TestServer, type TestUser } from "../support/harness.ts";

const bits = (...names: (keyof typeof Permission)[]) => names.reduce((all, name) => all | Permission[name], 0n).toString();
const HOUR = 60 * 60 * 1000;

describe("timeouts and kicks", () => {
  let server: TestServer;
  let owner: TestUser;
  let mod: TestUser; // "Mod": timeouts and kicks
  let member: TestUser;
  let other: TestUser;
  let guildId: string;

  const getMember = (userId: string, as: TestUser = owner) =>
    server.request("GET", `/guilds/${guildId}/members/${userId}`, { token: as.token });

  before(async () => {
    server = await startTestServer();
    owner = await registerUser(server, "tkowner");
    mod = await registerUser(server, "tkmod");
    member = await registerUser(server, "tkplain");
    other = await registerUser(server, "tkother");
    guildId = await createGuild(server, owner);
    for (const user of [mod, member, other]) joinGuild(server, guildId, user);
    const modRole = await createRole(server, owner, guildId, { name: "Mod", permissions: bits("MODERATE_MEMBERS", "KICK_MEMBERS") });
    await grantRole(server, owner, guildId, mod.id, modRole.id);
  });
  after(() => server.close());

  it("times a member out for at most 28 days, never the owner or an admin", async () => {
    const until = new Date(Date.now() + HOUR).toISOString();
    const timedOut = await server.request("PATCH", `/guilds/${guildId}/members/${other.id}`, {
      token: mod.token,
      body: { communication_disabled_until: until, timeout_reason: "spam" },
    });
    assert.equal(timedOut.status, 200);
    assert.equal(timedOut.body.communication_disabled_until, until);
    assert.equal((await getMember(other.id, member)).body.communication_disabled_until, until, "everyone sees the timeout");
    const [entry] = auditEntries(server, guildId, AuditAction.MEMBER_UPDATE);
    assert.equal(entry?.reason, "spam");
    assert.equal(entry?.changes?.[0]?.key, "communication_disabled_until");
    const tooLong = await server.request("PATCH", `/guilds/${guildId}/members/${member.id}`, {
      token: mod.token,
      body: { communication_disabled_until: new Date(Date.now() + 29 * 24 * HOUR).toISOString() },
    });
    assert.equal(tooLong.status, 400);
    assert.equal(tooLong.body.errors[0].path, "communication_disabled_until");
    const onOwner = await server.request("PATCH", `/guilds/${guildId}/members/${owner.id}`, {
      token: mod.token,
      body: { communication_disabled_until: until },
    });
    assert.equal(onOwner.status, 403);
    const adminRole = await createRole(server, owner, guildId, { name: "Admin", permissions: bits("ADMINISTRATOR") });
    await grantRole(server, owner, guildId, member.id, adminRole.id);
    const onAdmin = await server.request("PATCH", `/guilds/${guildId}/members/${member.id}`, {
      token: owner.token,
      body: { communication_disabled_until: until },
    });
    assert.equal(onAdmin.status, 403);
    await server.request("DELETE", `/guilds/${guildId}/members/${member.id}/roles/${adminRole.id}`, { token: owner.token });
    const noPermission = await server.request("PATCH", `/guilds/${guildId}/members/${mod.id}`, {
      token: member.token,
      body: { communication_disabled_until: until },
    });
    assert.equal(noPermission.status, 403);
    const badDate = await server.request("PATCH", `/guilds/${guildId}/members/${other.id}`, {
      token: mod.token,
      body: { communication_disabled_until: "soon" },
    });
    assert.equal(badDate.status, 400);
    const lifted = await server.request("PATCH", `/guilds/${guildId}/members/${other.id}`, {
      token: mod.token,
      body: { communication_disabled_until: null },
    });
    assert.equal(lifted.body.communication_disabled_until, null);
  });

  it("refuses a timed-out member's guild actions with COMMUNICATION_DISABLED until the timeout ends", async () => {
    const manager = await registerUser(server, "memmanager");
    joinGuild(server, guildId, manager);
    const managerRole = await createRole(server, owner, guildId, { name: "RoleManager", permissions: bits("MANAGE_ROLES") });
    await grantRole(server, owner, guildId, manager.id, managerRole.id);
    const before = await server.request("POST", `/guilds/${guildId}/roles`, { token: manager.token, body: { name: "made-before" } });
    assert.equal(before.status, 200);
    const until = new Date(Date.now() + HOUR).toISOString();
    const timeout = await server.request("PATCH", `/guilds/${guildId}/members/${manager.id}`, {
      token: owner.token,
      body: { communication_disabled_until: until },
    });
    assert.equal(timeout.status, 200);
    const during = await server.request("POST", `/guilds/${guildId}/roles`, { token: manager.token, body: { name: "made-during" } });
    assert.equal(during.status, 403);
    assert.equal(during.body.code, "COMMUNICATION_DISABLED", "a timed-out member is told why, as protocol.md says");
    assert.equal((await server.request("GET", `/guilds/${guildId}/roles`, { token: manager.token })).status, 200, "reading still works");
    const me = await server.request("GET", `/guilds/${guildId}/members/@me`, { token: manager.token });
    assert.equal(me.body.communication_disabled_until, until);
    await server.request("PATCH", `/guilds/${guildId}/members/${manager.id}`, {
      token: owner.token,
      body: { communication_disabled_until: null },
    });
    const afterwards = await server.request("POST", `/guilds/${guildId}/roles`, { token: manager.token, body: { name: "made-after" } });
    assert.equal(afterwards.status, 200);
  });

  it("kicks a member: gone for the guild, the guild gone for them", async () => {
    const victim = await registerUser(server, "memvictim");
    joinGuild(server, guildId, victim);
    const events = recordEvents(server);
    const kicked = await server.request("DELETE", `/guilds/${guildId}/members/${victim.id}`, {
      token: mod.token,
      headers: { "x-audit-log-reason": "rules" },
    });
    assert.equal(kicked.status, 204);
    assert.equal((await getMember(victim.id)).status, 404);
    const shutOut = await server.request("GET", `/guilds/${guildId}/roles`, { token: victim.token });
    assert.equal(shutOut.status, 403);
    await events.settle();
    events.stop();
    const removed = events.of("GUILD_MEMBER_REMOVE")[0];
    assert.deepEqual(removed?.audience, { kind: "guild", guildId: BigInt(guildId) });
    assert.equal(events.data("GUILD_MEMBER_REMOVE").user.id, victim.id);
    assert.equal(events.data("GUILD_MEMBER_REMOVE").guild_id, guildId);
    const gone = events.of("GUILD_DELETE")[0];
    assert.deepEqual(gone?.audience, { kind: "users", userIds: [BigInt(victim.id)] });
    assert.deepEqual(gone?.data, { id: guildId });
    const [entry] = auditEntries(server, guildId, AuditAction.MEMBER_KICK);
    assert.equal(entry?.targetId?.toString(), victim.id);
    assert.equal(entry?.reason, "rules");
  });

  it("refuses kicks without KICK_MEMBERS, of the owner, of oneself and of unknown members", async () => {
    const denied = await server.request("DELETE", `/guilds/${guildId}/members/${other.id}`, { token: member.token });
    assert.equal(denied.status, 403);
    assert.equal(denied.body.code, "MISSING_PERMISSIONS");
    assert.equal((await server.request("DELETE", `/guilds/${guildId}/members/${owner.id}`, { token: mod.token })).status, 403);
    assert.equal((await server.request("DELETE", `/guilds/${guildId}/members/${mod.id}`, { token: mod.token })).status, 403);
    const unknown = await server.request("DELETE", `/guilds/${guildId}/members/123456789012345678`, { token: mod.token });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.code, "UNKNOWN_MEMBER");
    assert.equal((await getMember(other.id)).status, 200);
  });
});
