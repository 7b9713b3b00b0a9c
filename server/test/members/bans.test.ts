import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { AppError } from "../../src/errors.ts";
import { AuditAction } from "../../src/features/guilds/audit.ts";
import { createMembership } from "../../src/features/members/membership.ts";
import { Permission } from "../../src/permissions.ts";
import { createFixtures } from "../../src/storage/contract/fixtures.ts";
import { auditEntries, createGuild, createRole, generalChannelId, grantRole, joinGuild, recordEvents } from "../support/guild-fixture.ts";
import { registerUser, startTestServer, type TestServer, type TestUser } from "../support/harness.ts";

const bits = (...names: (keyof typeof Permission)[]) => names.reduce((all, name) => all | Permission[name], 0n).toString();

describe("guild bans", () => {
  let server: TestServer;
  let owner: TestUser;
  let mod: TestUser; // "Banner": BAN_MEMBERS
  let member: TestUser;
  let guildId: string;

  const bans = async () => (await server.request("GET", `/guilds/${guildId}/bans`, { token: owner.token })).body;
  const rejoin = (user: TestUser) => {
    const record = server.deps.stores.users.get(BigInt(user.id));
    assert.ok(record);
    return createMembership(server.deps).join(BigInt(guildId), record);
  };

  before(async () => {
    server = await startTestServer();
    owner = await registerUser(server, "banowner");
    mod = await registerUser(server, "banmod");
    member = await registerUser(server, "banplain");
    guildId = await createGuild(server, owner);
    joinGuild(server, guildId, mod);
    joinGuild(server, guildId, member);
    const role = await createRole(server, owner, guildId, { name: "Banner", permissions: bits("BAN_MEMBERS") });
    await grantRole(server, owner, guildId, mod.id, role.id);
  });
  after(() => server.close());

  it("bans a member: removed, listed, announced, recent messages deleted", async () => {
    const target = await registerUser(server, "bantarget");
    joinGuild(server, guildId, target);
    const channelId = generalChannelId(server, guildId);
    const f = createFixtures(server.deps.ids);
    const theirs = f.message(channelId, BigInt(target.id), { id: server.deps.ids.next() });
    const mine = f.message(channelId, BigInt(owner.id), { id: server.deps.ids.next() });
    server.deps.stores.messages.create(theirs);
    server.deps.stores.messages.create(mine);
    const events = recordEvents(server);
    const banned = await server.request("PUT", `/guilds/${guildId}/bans/${target.id}`, {
      token: mod.token,
      body: { reason: "spam", delete_message_seconds: 3600 },
    });
    assert.equal(banned.status, 204);
    assert.equal((await server.request("GET", `/guilds/${guildId}/members/${target.id}`, { token: owner.token })).status, 404);
    const [ban] = await bans();
    assert.equal(ban.user.id, target.id);
    assert.equal(ban.reason, "spam");
    assert.equal(ban.moderator_id, mod.id);
    assert.equal(ban.expires_at, null);
    assert.ok(Math.abs(Date.parse(ban.banned_at) - Date.now()) < 60_000);
    assert.equal(server.deps.stores.messages.get(channelId, theirs.id), null, "the banned user's message is gone");
    assert.ok(server.deps.stores.messages.get(channelId, mine.id), "other messages stay");
    await events.settle();
    events.stop();
    assert.deepEqual(events.of("GUILD_BAN_ADD")[0]?.data, { guild_id: guildId, user: ban.user });
    assert.equal(events.data("GUILD_MEMBER_REMOVE").user.id, target.id);
    assert.deepEqual(events.of("GUILD_DELETE")[0]?.audience, { kind: "users", userIds: [BigInt(target.id)] });
    const bulk = events.of("MESSAGE_DELETE_BULK")[0];
    assert.deepEqual(bulk?.data, { ids: [theirs.id.toString()], channel_id: channelId.toString(), guild_id: guildId });
    const [entry] = auditEntries(server, guildId, AuditAction.MEMBER_BAN_ADD);
    assert.equal(entry?.targetId?.toString(), target.id);
    assert.equal(entry?.reason, "spam");
  });

  it("keeps a banned user from joining again until unbanned", async () => {
    const target = await registerUser(server, "banrejoin");
    joinGuild(server, guildId, target);
    assert.equal((await server.request("PUT", `/guilds/${guildId}/bans/${target.id}`, { token: owner.token })).status, 204);
    assert.throws(
      () => rejoin(target),
      (error: unknown) => error instanceof AppError && error.code === "USER_BANNED_FROM_GUILD" && error.status === 403,
    );
    const events = recordEvents(server);
    const lifted = await server.request("DELETE", `/guilds/${guildId}/bans/${target.id}`, {
      token: mod.token,
      headers: { "x-audit-log-reason": "second%20chance" },
    });
    assert.equal(lifted.status, 204);
    assert.ok(!(await bans()).some((ban: { user: { id: string } }) => ban.user.id === target.id));
    await events.settle();
    events.stop();
    assert.equal(events.data("GUILD_BAN_REMOVE").user.id, target.id);
    assert.equal(auditEntries(server, guildId, AuditAction.MEMBER_BAN_REMOVE)[0]?.reason, "second chance");
    assert.equal(rejoin(target).joined, true);
    const again = await server.request("DELETE", `/guilds/${guildId}/bans/${target.id}`, { token: owner.token });
    assert.equal(again.status, 404);
  });

  it("bans a user who is not a member, and keeps a temporary ban's expiry", async () => {
    const outsider = await registerUser(server, "banoutsider");
    const banned = await server.request("PUT", `/guilds/${guildId}/bans/${outsider.id}`, {
      token: owner.token,
      body: { ban_duration_seconds: 3600, delete_message_days: 1 },
    });
    assert.equal(banned.status, 204);
    const ban = (await bans()).find((one: { user: { id: string } }) => one.user.id === outsider.id);
    assert.ok(Math.abs(Date.parse(ban.expires_at) - (Date.now() + 3600_000)) < 60_000);
    assert.throws(() => rejoin(outsider));
  });

  it("lifts a temporary ban once it has run out", async () => {
    const lapsed = await registerUser(server, "banlapsed");
    const banThatRanOut = () =>
      server.deps.stores.bans.banAndRemove({
        guildId: BigInt(guildId),
        userId: BigInt(lapsed.id),
        reason: null,
        moderatorId: BigInt(owner.id),
        createdAt: Date.now() - 120_000,
        expiresAt: Date.now() - 60_000,
      });
    banThatRanOut();
    assert.ok(!(await bans()).some((ban: { user: { id: string } }) => ban.user.id === lapsed.id), "an expired ban is not listed");
    banThatRanOut();
    assert.equal(rejoin(lapsed).joined, true);
  });

  it("refuses bans without BAN_MEMBERS, of the owner, of oneself and above the actor", async () => {
    const denied = await server.request("PUT", `/guilds/${guildId}/bans/${mod.id}`, { token: member.token });
    assert.equal(denied.status, 403);
    assert.equal(denied.body.code, "MISSING_PERMISSIONS");
    assert.equal((await server.request("GET", `/guilds/${guildId}/bans`, { token: member.token })).status, 403);
    assert.equal((await server.request("DELETE", `/guilds/${guildId}/bans/${mod.id}`, { token: member.token })).status, 403);
    assert.equal((await server.request("PUT", `/guilds/${guildId}/bans/${owner.id}`, { token: mod.token })).status, 403);
    assert.equal((await server.request("PUT", `/guilds/${guildId}/bans/${mod.id}`, { token: mod.token })).status, 403);
    const peer = await registerUser(server, "banpeer");
    joinGuild(server, guildId, peer);
    const higher = await createRole(server, owner, guildId, { name: "Higher" });
    await server.request("PATCH", `/guilds/${guildId}/roles`, { token: owner.token, body: [{ id: higher.id, position: 10 }] });
    await grantRole(server, owner, guildId, peer.id, higher.id);
    assert.equal((await server.request("PUT", `/guilds/${guildId}/bans/${peer.id}`, { token: mod.token })).status, 403);
    assert.equal((await server.request("GET", `/guilds/${guildId}/members/${peer.id}`, { token: owner.token })).status, 200);
  });

  it("answers bad bodies and unknown users", async () => {
    const bad = await server.request("PUT", `/guilds/${guildId}/bans/${member.id}`, {
      token: owner.token,
      body: { delete_message_days: 8, ban_duration_seconds: 30 },
    });
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body.errors.map((e: { path: string }) => e.path).sort(), ["ban_duration_seconds", "delete_message_days"]);
    const unknown = await server.request("PUT", `/guilds/${guildId}/bans/123456789012345678`, { token: owner.token });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.code, "UNKNOWN_USER");
    assert.equal((await server.request("PUT", `/guilds/${guildId}/bans/abc`, { token: owner.token })).status, 400);
    assert.equal((await server.request("GET", `/guilds/${guildId}/members/${member.id}`, { token: owner.token })).status, 200);
  });
});
