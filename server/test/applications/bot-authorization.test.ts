import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { DomainEvent } from "../../src/bus/bus.port.ts";
import { Permission } from "../../src/permissions.ts";
import { registerUser, startTestServer, type TestServer, type TestUser } from "../support/harness.ts";
import { addMember, addRole, createGuild, isMember } from "../support/invite-world.ts";

async function createApp(server: TestServer, owner: TestUser, name: string) {
  const created = await server.request("POST", "/oauth2/applications", { token: owner.token, body: { name } });
  assert.equal(created.status, 200, JSON.stringify(created.body));
  return created.body as { id: string; bot: { id: string; token: string } };
}

describe("adding bots to guilds", () => {
  let server: TestServer;
  const events: DomainEvent[] = [];
  before(async () => {
    server = await startTestServer();
    server.deps.bus.subscribe((event) => events.push(event));
  });
  after(() => server.close());

  it("adds the bot with a role carrying exactly the requested permissions, and the bot can work", async () => {
    const developer = await registerUser(server, "bot_dev");
    const owner = await registerUser(server, "bot_guild_owner");
    const guild = await createGuild(server, owner, "Bot Home");
    const app = await createApp(server, developer, "Helper");
    const wanted = Permission.SEND_MESSAGES | Permission.VIEW_CHANNEL | Permission.MANAGE_MESSAGES;
    const unknownBit = 1n << 60n;

    const consent = await server.request("POST", "/oauth2/authorize/consent", {
      token: owner.token,
      body: { client_id: app.id, scope: "bot", guild_id: guild.id, permissions: (wanted | unknownBit).toString(), state: "xyz" },
    });
    assert.equal(consent.status, 200, JSON.stringify(consent.body));
    const redirect = new URL(consent.body.redirect_to);
    assert.equal(redirect.hostname, "127.0.0.1", "the redirect stays on this instance");
    assert.equal(redirect.searchParams.get("guild_id"), guild.id);
    assert.equal(redirect.searchParams.get("state"), "xyz");

    const member = server.deps.stores.members.get(BigInt(guild.id), BigInt(app.bot.id));
    assert.ok(member, "the bot is a member");
    assert.equal(member.roleIds.length, 1);
    const role = server.deps.stores.roles.get(BigInt(guild.id), member.roleIds[0] as bigint);
    assert.equal(role?.name, "Helper");
    assert.equal(role?.permissions, wanted, "unknown bits are dropped");
    assert.equal(role?.position, 1);
    assert.ok(events.some((e) => e.type === "GUILD_ROLE_CREATE" && (e.data as { role: { id: string } }).role.id === String(role?.id)));
    assert.ok(events.some((e) => e.type === "GUILD_MEMBER_ADD" && (e.data as { user: { id: string } }).user.id === app.bot.id));
    const audit = server.deps.stores.auditLog.list(BigInt(guild.id), { limit: 20 });
    assert.ok(audit.some((e) => e.actionType === 28 && e.targetId === BigInt(app.bot.id) && e.userId === BigInt(owner.id)));

    const bot = `Bot ${app.bot.token}`;
    const me = await server.request("GET", "/users/@me", { token: bot });
    assert.equal(me.body.bot, true);
    const gateway = await server.request("GET", "/gateway/bot", { token: bot });
    assert.equal(gateway.body.shards, 1);
    assert.equal(new URL(gateway.body.url).search, "");
    const guilds = await server.request("GET", "/users/@me/guilds", { token: bot });
    assert.equal(guilds.status, 200);
    assert.ok(guilds.body.some((g: { id: string }) => g.id === guild.id));
    const newGuild = await server.request("POST", "/guilds", { token: bot, body: { name: "Bot Land" } });
    assert.equal(newGuild.status, 403);
    assert.equal(newGuild.body.code, "BOTS_CANNOT_CREATE_GUILDS");
    const invite = await server.request("POST", `/channels/${guild.channelId}/invites`, { token: owner.token, body: {} });
    const botAccept = await server.request("POST", `/invites/${invite.body.code}`, { token: bot });
    assert.equal(botAccept.status, 403);
    assert.equal(botAccept.body.code, "BOT_USER_AUTH_ENDPOINT_ACCESS_DENIED");

    const twice = await server.request("POST", "/oauth2/authorize/consent", {
      token: owner.token,
      body: { client_id: app.id, scope: "bot", guild_id: guild.id, permissions: "0" },
    });
    assert.equal(twice.status, 400);
    assert.equal(twice.body.code, "BOT_ALREADY_IN_GUILD");
  });

  it("needs MANAGE_GUILD, and grants no more than the consenting user holds", async () => {
    const owner = await registerUser(server, "bot_guard_owner");
    const member = await registerUser(server, "bot_guard_member");
    const manager = await registerUser(server, "bot_guard_manager");
    const guild = await createGuild(server, owner);
    addMember(server, guild, member);
    addMember(server, guild, manager, [addRole(server, guild, Permission.MANAGE_GUILD | Permission.VIEW_CHANNEL)]);
    const app = await createApp(server, owner, "Guarded");
    const body = (permissions: bigint) => ({ client_id: app.id, scope: "bot", guild_id: guild.id, permissions: permissions.toString() });

    const plain = await server.request("POST", "/oauth2/authorize/consent", { token: member.token, body: body(0n) });
    assert.equal(plain.status, 403);
    assert.equal(plain.body.code, "MISSING_PERMISSIONS");
    const tooMuch = await server.request("POST", "/oauth2/authorize/consent", {
      token: manager.token,
      body: body(Permission.ADMINISTRATOR),
    });
    assert.equal(tooMuch.status, 403);
    assert.equal(tooMuch.body.code, "MISSING_PERMISSIONS");
    assert.equal(isMember(server, guild, { id: app.bot.id }), false);
    const rolesBefore = server.deps.stores.roles.count(BigInt(guild.id));

    // Asking for nothing adds the bot without a role, as on Discord.
    const ok = await server.request("POST", "/oauth2/authorize/consent", { token: manager.token, body: body(0n) });
    assert.equal(ok.status, 200);
    assert.ok(isMember(server, guild, { id: app.bot.id }));
    assert.equal(server.deps.stores.roles.count(BigInt(guild.id)), rolesBefore);
  });

  it("refuses private bots, banned bots, other scopes and unknown applications", async () => {
    const developer = await registerUser(server, "bot_private_dev");
    const owner = await registerUser(server, "bot_private_owner");
    const guild = await createGuild(server, owner);
    const app = await createApp(server, developer, "Private");
    await server.request("PATCH", `/oauth2/applications/${app.id}`, { token: developer.token, body: { bot_public: false } });
    const consent = (token: string, extra: Record<string, unknown> = {}) =>
      server.request("POST", "/oauth2/authorize/consent", {
        token,
        body: { client_id: app.id, scope: "bot", guild_id: guild.id, ...extra },
      });

    const privateBot = await consent(owner.token);
    assert.equal(privateBot.status, 403);
    assert.equal(privateBot.body.code, "BOT_IS_PRIVATE");

    const publicApp = await createApp(server, developer, "Banned One");
    server.deps.stores.bans.banAndRemove({
      guildId: BigInt(guild.id),
      userId: BigInt(publicApp.bot.id),
      reason: null,
      moderatorId: BigInt(owner.id),
      createdAt: Date.now(),
      expiresAt: null,
    });
    const banned = await server.request("POST", "/oauth2/authorize/consent", {
      token: owner.token,
      body: { client_id: publicApp.id, scope: "bot", guild_id: guild.id, permissions: "2048" },
    });
    assert.equal(banned.status, 403);
    assert.equal(banned.body.code, "USER_BANNED_FROM_GUILD");
    assert.equal(
      server.deps.stores.roles.list(BigInt(guild.id)).some((r) => r.name === "Banned_One"),
      false,
      "nothing is written on a refused consent",
    );

    const scope = await consent(owner.token, { scope: "identify" });
    assert.equal(scope.status, 400);
    assert.equal(scope.body.code, "INVALID_SCOPE");
    const noGuild = await server.request("POST", "/oauth2/authorize/consent", {
      token: owner.token,
      body: { client_id: publicApp.id, scope: "bot" },
    });
    assert.equal(noGuild.status, 400);
    assert.equal(noGuild.body.errors[0].path, "guild_id");
    const unknown = await server.request("POST", "/oauth2/authorize/consent", {
      token: owner.token,
      body: { client_id: "123456789012345678", scope: "bot", guild_id: guild.id },
    });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.code, "UNKNOWN_APPLICATION");
    const badPermissions = await consent(developer.token, { permissions: "lots" });
    assert.equal(badPermissions.status, 400);
    assert.equal(badPermissions.body.errors[0].path, "permissions");
  });

  it("takes the bot out of its guilds when the application is deleted", async () => {
    const owner = await registerUser(server, "bot_gone_owner");
    const guild = await createGuild(server, owner);
    const app = await createApp(server, owner, "Leaving");
    await server.request("POST", "/oauth2/authorize/consent", {
      token: owner.token,
      body: { client_id: app.id, scope: "bot", guild_id: guild.id, permissions: "0" },
    });
    assert.ok(isMember(server, guild, { id: app.bot.id }));
    const body = { password: owner.password };
    assert.equal((await server.request("DELETE", `/oauth2/applications/${app.id}`, { token: owner.token, body })).status, 204);
    assert.equal(isMember(server, guild, { id: app.bot.id }), false);
    assert.ok(events.some((e) => e.type === "GUILD_MEMBER_REMOVE" && (e.data as { user: { id: string } }).user.id === app.bot.id));
  });
});
