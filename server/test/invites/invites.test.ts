import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { DomainEvent } from "../../src/bus/bus.port.ts";
import { DEFAULT_EVERYONE_PERMISSIONS, Permission } from "../../src/permissions.ts";
import { registerUser, startTestServer, type TestServer } from "../support/harness.ts";
import { addMember, addRole, createGuild, isMember, setEveryonePermissions } from "../support/invite-world.ts";

describe("invites", () => {
  let server: TestServer;
  const events: DomainEvent[] = [];
  before(async () => {
    server = await startTestServer();
    server.deps.bus.subscribe((event) => events.push(event));
  });
  after(() => server.close());

  it("lets a second user preview an invite without logging in, accept it and become a member", async () => {
    const owner = await registerUser(server, "inv_owner");
    const guest = await registerUser(server, "inv_guest");
    const guild = await createGuild(server, owner, "Invite Land");

    const created = await server.request("POST", `/channels/${guild.channelId}/invites`, {
      token: owner.token,
      body: { max_age: 3600, max_uses: 5 },
      headers: { "x-audit-log-reason": "for%20friends" },
    });
    assert.equal(created.status, 200);
    assert.match(created.body.code, /^[0-9A-Za-z]{8}$/);
    assert.equal(created.body.type, 0);
    assert.equal(created.body.guild.id, guild.id);
    assert.equal(created.body.channel.id, guild.channelId);
    assert.equal(created.body.inviter.id, owner.id);
    assert.equal(created.body.max_uses, 5);
    assert.equal(created.body.max_age, 3600);
    assert.equal(created.body.uses, 0);
    assert.ok(created.body.expires_at);
    const code = created.body.code;
    const event = events.find((e) => e.type === "INVITE_CREATE" && (e.data as { code: string }).code === code);
    assert.deepEqual(event?.audience, {
      kind: "guild",
      guildId: BigInt(guild.id),
      channelId: BigInt(guild.channelId),
      permission: Permission.MANAGE_CHANNELS, // channel managers only
    });

    const preview = await server.request("GET", `/invites/${code}`);
    assert.equal(preview.status, 200);
    assert.equal(preview.body.guild.name, "Invite Land");
    assert.equal(preview.body.member_count, 1);
    assert.equal(preview.body.uses, undefined, "the public preview hides the usage numbers");

    const accepted = await server.request("POST", `/invites/${code}`, { token: guest.token });
    assert.equal(accepted.status, 200);
    assert.equal(accepted.body.guild.id, guild.id);
    assert.equal(accepted.body.member_count, 2);
    assert.ok(isMember(server, guild, guest));
    const guilds = await server.request("GET", "/users/@me/guilds", { token: guest.token });
    assert.equal(guilds.status, 200);
    assert.ok(guilds.body.some((g: { id: string }) => g.id === guild.id));

    // Accepting again as a member does not spend a use.
    const again = await server.request("POST", `/invites/${code}`, { token: guest.token });
    assert.equal(again.status, 200);
    const listed = await server.request("GET", `/channels/${guild.channelId}/invites`, { token: owner.token });
    assert.equal(listed.status, 200);
    assert.equal(listed.body.find((i: { code: string }) => i.code === code).uses, 1);

    const logged = server.deps.stores.auditLog.list(BigInt(guild.id), { limit: 10 });
    const entry = logged.find((e) => e.actionType === 40);
    assert.equal(entry?.reason, "for friends");
  });

  it("reuses a similar invite unless asked for a unique one", async () => {
    const owner = await registerUser(server, "inv_reuser");
    const guild = await createGuild(server, owner);
    const first = await server.request("POST", `/channels/${guild.channelId}/invites`, { token: owner.token, body: {} });
    const second = await server.request("POST", `/channels/${guild.channelId}/invites`, { token: owner.token, body: {} });
    assert.equal(second.body.code, first.body.code);
    assert.equal(first.body.max_age, 86400);
    const unique = await server.request("POST", `/channels/${guild.channelId}/invites`, { token: owner.token, body: { unique: true } });
    assert.notEqual(unique.body.code, first.body.code);
    const all = await server.request("GET", `/guilds/${guild.id}/invites`, { token: owner.token });
    assert.equal(all.status, 200);
    assert.equal(all.body.length, 2);
  });

  it("admits only one user through a one-use invite", async () => {
    const owner = await registerUser(server, "inv_once_owner");
    const first = await registerUser(server, "inv_once_a");
    const third = await registerUser(server, "inv_once_b");
    const guild = await createGuild(server, owner);
    const created = await server.request("POST", `/channels/${guild.channelId}/invites`, {
      token: owner.token,
      body: { max_uses: 1, unique: true },
    });
    assert.equal((await server.request("POST", `/invites/${created.body.code}`, { token: first.token })).status, 200);
    const late = await server.request("POST", `/invites/${created.body.code}`, { token: third.token });
    assert.equal(late.status, 404);
    assert.equal(late.body.code, "UNKNOWN_INVITE");
    assert.equal(isMember(server, guild, third), false);
    assert.equal((await server.request("GET", `/invites/${created.body.code}`)).status, 404);
  });

  it("answers an expired invite with 404 UNKNOWN_INVITE", async () => {
    const owner = await registerUser(server, "inv_old_owner");
    const guest = await registerUser(server, "inv_old_guest");
    const guild = await createGuild(server, owner);
    const now = Date.now();
    server.deps.stores.invites.create({
      code: "Expired1",
      guildId: BigInt(guild.id),
      channelId: BigInt(guild.channelId),
      inviterId: BigInt(owner.id),
      maxAge: 60,
      maxUses: 0,
      uses: 0,
      temporary: false,
      createdAt: now - 120_000,
      expiresAt: now - 60_000,
    });
    const preview = await server.request("GET", "/invites/Expired1");
    assert.equal(preview.status, 404);
    assert.equal(preview.body.code, "UNKNOWN_INVITE");
    const accept = await server.request("POST", "/invites/Expired1", { token: guest.token });
    assert.equal(accept.status, 404);
    assert.equal(isMember(server, guild, guest), false);
  });

  it("keeps a banned user out and does not spend the invite on them", async () => {
    const owner = await registerUser(server, "inv_ban_owner");
    const banned = await registerUser(server, "inv_banned");
    const guild = await createGuild(server, owner);
    server.deps.stores.bans.banAndRemove({
      guildId: BigInt(guild.id),
      userId: BigInt(banned.id),
      reason: "spam",
      moderatorId: BigInt(owner.id),
      createdAt: Date.now(),
      expiresAt: null,
    });
    const created = await server.request("POST", `/channels/${guild.channelId}/invites`, {
      token: owner.token,
      body: { max_uses: 1, unique: true },
    });
    const refused = await server.request("POST", `/invites/${created.body.code}`, { token: banned.token });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.code, "USER_BANNED_FROM_GUILD");
    assert.equal(isMember(server, guild, banned), false);
    assert.equal(server.deps.stores.invites.get(created.body.code)?.uses, 0);
  });

  it("guards creating, listing and deleting invites by permission", async () => {
    const owner = await registerUser(server, "inv_guard_owner");
    const member = await registerUser(server, "inv_guard_member");
    const inviter = await registerUser(server, "inv_guard_inviter");
    const outsider = await registerUser(server, "inv_guard_outsider");
    const guild = await createGuild(server, owner);
    addMember(server, guild, member);
    addMember(server, guild, inviter);

    for (const path of [`/channels/${guild.channelId}/invites`, `/guilds/${guild.id}/invites`]) {
      const denied = await server.request("GET", path, { token: member.token });
      assert.equal(denied.status, 403, path);
      assert.equal(denied.body.code, "MISSING_PERMISSIONS");
    }
    const stranger = await server.request("GET", `/guilds/${guild.id}/invites`, { token: outsider.token });
    assert.equal(stranger.status, 403);
    assert.equal(stranger.body.code, "MISSING_ACCESS");

    // The inviter may delete their own invite; another plain member may not.
    const mine = await server.request("POST", `/channels/${guild.channelId}/invites`, { token: inviter.token, body: { unique: true } });
    assert.equal(mine.status, 200);
    const notYours = await server.request("DELETE", `/invites/${mine.body.code}`, { token: member.token });
    assert.equal(notYours.status, 403);
    assert.equal(notYours.body.code, "MISSING_PERMISSIONS");
    assert.equal((await server.request("DELETE", `/invites/${mine.body.code}`, { token: inviter.token })).status, 204);
    assert.equal((await server.request("GET", `/invites/${mine.body.code}`)).status, 404);

    // A moderator with MANAGE_CHANNELS may delete anyone's invite.
    const theirs = await server.request("POST", `/channels/${guild.channelId}/invites`, { token: owner.token, body: { unique: true } });
    const moderator = await registerUser(server, "inv_guard_mod");
    addMember(server, guild, moderator, [addRole(server, guild, Permission.MANAGE_CHANNELS)]);
    const removed = await server.request("DELETE", `/invites/${theirs.body.code}`, { token: moderator.token });
    assert.equal(removed.status, 204);
    assert.ok(events.some((e) => e.type === "INVITE_DELETE" && (e.data as { code: string }).code === theirs.body.code));
    const audit = server.deps.stores.auditLog.list(BigInt(guild.id), { limit: 50 });
    assert.ok(audit.some((e) => e.actionType === 42 && e.userId === BigInt(moderator.id)));

    // Without CREATE_INSTANT_INVITE nobody but the managers can invite.
    setEveryonePermissions(server, guild, DEFAULT_EVERYONE_PERMISSIONS & ~Permission.CREATE_INSTANT_INVITE);
    const noInvite = await server.request("POST", `/channels/${guild.channelId}/invites`, { token: member.token, body: {} });
    assert.equal(noInvite.status, 403);
    assert.equal(noInvite.body.code, "MISSING_PERMISSIONS");
  });

  it("rejects bad input and unknown ids", async () => {
    const owner = await registerUser(server, "inv_bad_owner");
    const guild = await createGuild(server, owner);
    const bad = await server.request("POST", `/channels/${guild.channelId}/invites`, {
      token: owner.token,
      body: { max_age: 604801, max_uses: 101 },
    });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.code, "INVALID_FORM_BODY");
    assert.deepEqual(bad.body.errors.map((e: { path: string }) => e.path).sort(), ["max_age", "max_uses"]);
    const unknownChannel = await server.request("POST", "/channels/123456789012345678/invites", { token: owner.token, body: {} });
    assert.equal(unknownChannel.status, 404);
    assert.equal(unknownChannel.body.code, "UNKNOWN_CHANNEL");
    const notSnowflake = await server.request("GET", "/channels/general/invites", { token: owner.token });
    assert.equal(notSnowflake.status, 400);
    const unknownGuild = await server.request("GET", "/guilds/123456789012345678/invites", { token: owner.token });
    assert.equal(unknownGuild.status, 404);
    assert.equal(unknownGuild.body.code, "UNKNOWN_GUILD");
    const unknownCode = await server.request("DELETE", "/invites/nope1234", { token: owner.token });
    assert.equal(unknownCode.status, 404);
    assert.equal(unknownCode.body.code, "UNKNOWN_INVITE");
    const anonymous = await server.request("POST", "/invites/nope1234");
    assert.equal(anonymous.status, 401);
  });

  it("serves a guild's vanity code as a permanent invite", async () => {
    const owner = await registerUser(server, "inv_vanity_owner");
    const guest = await registerUser(server, "inv_vanity_guest");
    const guild = await createGuild(server, owner, "Vanity");
    server.deps.stores.guilds.update(BigInt(guild.id), { vanityUrlCode: "vanity-land" });
    const preview = await server.request("GET", "/invites/vanity-land");
    assert.equal(preview.status, 200);
    assert.equal(preview.body.guild.id, guild.id);
    assert.equal(preview.body.inviter, null);
    assert.equal((await server.request("POST", "/invites/vanity-land", { token: guest.token })).status, 200);
    assert.ok(isMember(server, guild, guest));
  });
});
