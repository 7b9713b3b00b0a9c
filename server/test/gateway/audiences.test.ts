/** Who receives moderation and invite events, and CHANNEL_DELETE when the permission cache is cold. */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Permission } from "../../src/permissions.ts";
import { registerUser } from "../support/harness.ts";
import { addMember, addRole } from "../support/invite-world.ts";
import { settle } from "./gateway-client.ts";
import { type GatewayServer, guildWithHiddenChannel, guildWithMembers, startGatewayServer } from "./gateway-world.ts";

describe("gateway event audiences", () => {
  let server: GatewayServer;
  before(async () => {
    server = await startGatewayServer();
  });
  after(() => server.close());

  it("bans reach only members with BAN_MEMBERS, invites only those with MANAGE_CHANNELS on the channel", async () => {
    const { owner, guild, members } = await guildWithMembers(server, "au_owner", "au_plain", "au_chanmod", "au_victim");
    const [plain, chanMod, victim] = members as [(typeof members)[0], (typeof members)[0], (typeof members)[0]];
    // A moderator by role (guild-level BAN_MEMBERS), set up before any socket warms the gateway's cache.
    const mod = await registerUser(server, "au_mod");
    addMember(server, guild, mod, [addRole(server, guild, Permission.BAN_MEMBERS)]);
    // A channel moderator by overwrite: MANAGE_CHANNELS in #general only.
    const overwrite = await server.request("PUT", `/channels/${guild.channelId}/permissions/${chanMod.id}`, {
      token: owner.token,
      body: { type: 1, allow: Permission.MANAGE_CHANNELS.toString(), deny: "0" },
    });
    assert.equal(overwrite.status, 204, JSON.stringify(overwrite.body));
    const [ownerWs, plainWs, chanModWs, modWs] = [
      await server.login(owner),
      await server.login(plain),
      await server.login(chanMod),
      await server.login(mod),
    ];

    // Not the settings of the guild's first invite, which would be handed back instead of a new one.
    const invite = await server.request("POST", `/channels/${guild.channelId}/invites`, { token: owner.token, body: { max_age: 600 } });
    assert.equal(invite.status, 200, JSON.stringify(invite.body));
    const code = invite.body.code;
    for (const ws of [ownerWs, chanModWs]) await ws.dispatch("INVITE_CREATE", (d) => d.code === code);
    const revoked = await server.request("DELETE", `/invites/${code}`, { token: owner.token });
    assert.equal(revoked.status, 204, JSON.stringify(revoked.body));
    await chanModWs.dispatch("INVITE_DELETE", (d) => d.code === code);

    const banned = await server.request("PUT", `/guilds/${guild.id}/bans/${victim.id}`, { token: owner.token, body: {} });
    assert.equal(banned.status, 204, JSON.stringify(banned.body));
    for (const ws of [ownerWs, modWs]) await ws.dispatch("GUILD_BAN_ADD", (d) => d.user.id === victim.id);
    const unbanned = await server.request("DELETE", `/guilds/${guild.id}/bans/${victim.id}`, { token: owner.token });
    assert.equal(unbanned.status, 204, JSON.stringify(unbanned.body));
    await modWs.dispatch("GUILD_BAN_REMOVE", (d) => d.user.id === victim.id);

    // Everyone hears the member leave; nobody else heard the moderation events.
    for (const ws of [plainWs, chanModWs, modWs]) await ws.dispatch("GUILD_MEMBER_REMOVE", (d) => d.user.id === victim.id);
    for (const [ws, name] of [
      [plainWs, "plain"],
      [chanModWs, "chanmod"],
      [modWs, "mod"],
    ] as const) {
      await settle(ws, name);
    }
    assert.deepEqual(plainWs.seen("INVITE_CREATE", "INVITE_DELETE", "GUILD_BAN_ADD", "GUILD_BAN_REMOVE"), []);
    assert.deepEqual(modWs.seen("INVITE_CREATE", "INVITE_DELETE"), []);
    assert.deepEqual(chanModWs.seen("GUILD_BAN_ADD", "GUILD_BAN_REMOVE"), []);
    for (const ws of [ownerWs, plainWs, chanModWs, modWs]) await ws.close();
  });

  it("CHANNEL_DELETE reaches those who could see the channel even when the permission cache was just dropped", async () => {
    const { owner, guild, insider, outsider, secretId } = await guildWithHiddenChannel(server, "cd");
    const insiderWs = await server.login(insider);
    const outsiderWs = await server.login(outsider);

    // A nick change (GUILD_MEMBER_UPDATE) drops the guild's cached permissions; nothing reloads them before the delete.
    const renamed = await server.request("PATCH", `/guilds/${guild.id}/members/@me`, { token: insider.token, body: { nick: "inside" } });
    assert.equal(renamed.status, 200, JSON.stringify(renamed.body));
    await insiderWs.dispatch("GUILD_MEMBER_UPDATE", (d) => d.user.id === insider.id);
    const deleted = await server.request("DELETE", `/channels/${secretId}`, { token: owner.token });
    assert.equal(deleted.status, 204, JSON.stringify(deleted.body));
    await insiderWs.dispatch("CHANNEL_DELETE", (d) => d.id === secretId);

    // A channel everyone could see goes to everyone, cold cache or not.
    const open = await server.request("POST", `/guilds/${guild.id}/channels`, { token: owner.token, body: { name: "open", type: 0 } });
    await outsiderWs.dispatch("CHANNEL_CREATE", (d) => d.id === open.body.id);
    await server.request("PATCH", `/guilds/${guild.id}/members/@me`, { token: insider.token, body: { nick: "inside again" } });
    await outsiderWs.dispatch("GUILD_MEMBER_UPDATE", (d) => d.nick === "inside again");
    assert.equal((await server.request("DELETE", `/channels/${open.body.id}`, { token: owner.token })).status, 204);
    for (const ws of [insiderWs, outsiderWs]) await ws.dispatch("CHANNEL_DELETE", (d) => d.id === open.body.id);
    await settle(outsiderWs, "outsider");
    assert.deepEqual(
      outsiderWs.seen("CHANNEL_DELETE").map((f) => f.d.id),
      [open.body.id],
      "the outsider never hears of the hidden channel",
    );
    await insiderWs.close();
    await outsiderWs.close();
  });
});
