/**
 * permissions.ts as a client meets it: channel visibility through GET /channels/{id}, the guild's
 * channel list and the guild's `permissions`. Roles come from the roles and members API.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ALL_PERMISSIONS, Permission } from "../../src/permissions.ts";
import { createRole, grantRole, joinGuild } from "../support/guild-fixture.ts";
import { registerUser, startTestServer, type TestServer, type TestUser } from "../support/harness.ts";

describe("permission computation", () => {
  let server: TestServer;
  let owner: TestUser;
  let guildId: string;

  before(async () => {
    server = await startTestServer();
    owner = await registerUser(server, "permowner");
    guildId = (await server.request("POST", "/guilds", { token: owner.token, body: { name: "Permissions" } })).body.id;
  });
  after(() => server.close());

  async function channel(name: string): Promise<string> {
    const made = await server.request("POST", `/guilds/${guildId}/channels`, { token: owner.token, body: { name } });
    assert.equal(made.status, 200);
    return made.body.id;
  }
  async function overwrite(channelId: string, target: string, type: 0 | 1, allow: bigint, deny: bigint) {
    const response = await server.request("PUT", `/channels/${channelId}/permissions/${target}`, {
      token: owner.token,
      body: { type, allow: allow.toString(), deny: deny.toString() },
    });
    assert.equal(response.status, 204, JSON.stringify(response.body));
  }
  async function member(): Promise<TestUser> {
    const user = await registerUser(server);
    joinGuild(server, guildId, user);
    return user;
  }
  async function roleFor(user: TestUser, permissions = 0n): Promise<string> {
    const role = await createRole(server, owner, guildId, { name: `role-${user.username}`, permissions: permissions.toString() });
    await grantRole(server, owner, guildId, user.id, role.id);
    return role.id;
  }
  const sees = async (user: TestUser, channelId: string) => {
    const read = await server.request("GET", `/channels/${channelId}`, { token: user.token });
    const listed = await server.request("GET", `/guilds/${guildId}/channels`, { token: user.token });
    const inList = listed.body.some((c: { id: string }) => c.id === channelId);
    assert.equal(read.status === 200, inList, "GET and the channel list agree");
    if (read.status !== 200) assert.equal(read.body.code, "MISSING_PERMISSIONS");
    return read.status === 200;
  };

  it("an @everyone deny overwrite hides a channel", async () => {
    const hidden = await channel("hidden");
    const user = await member();
    assert.equal(await sees(user, hidden), true);
    await overwrite(hidden, guildId, 0, 0n, Permission.VIEW_CHANNEL);
    assert.equal(await sees(user, hidden), false);
    const denied = await server.request("GET", `/channels/${hidden}`, { token: user.token });
    assert.equal(denied.status, 403);
  });

  it("a role allow overwrite brings it back, and a role allow beats another role's deny", async () => {
    const staff = await channel("staff");
    await overwrite(staff, guildId, 0, 0n, Permission.VIEW_CHANNEL);
    const user = await member();
    const allowed = await roleFor(user);
    await overwrite(staff, allowed, 0, Permission.VIEW_CHANNEL, 0n);
    assert.equal(await sees(user, staff), true);
    const denying = await createRole(server, owner, guildId, { name: "denying", permissions: "0" });
    await grantRole(server, owner, guildId, user.id, denying.id);
    await overwrite(staff, denying.id, 0, 0n, Permission.VIEW_CHANNEL);
    assert.equal(await sees(user, staff), true);
    const outsider = await member();
    assert.equal(await sees(outsider, staff), false);
  });

  it("a member overwrite beats role overwrites, both ways", async () => {
    const room = await channel("room");
    const user = await member();
    const role = await roleFor(user);
    await overwrite(room, role, 0, Permission.VIEW_CHANNEL, 0n);
    await overwrite(room, user.id, 1, 0n, Permission.VIEW_CHANNEL);
    assert.equal(await sees(user, room), false);
    const other = await member();
    const blocked = await roleFor(other);
    await overwrite(room, blocked, 0, 0n, Permission.VIEW_CHANNEL);
    await overwrite(room, other.id, 1, Permission.VIEW_CHANNEL, 0n);
    assert.equal(await sees(other, room), true);
  });

  it("ADMINISTRATOR bypasses every overwrite", async () => {
    const vault = await channel("vault");
    const admin = await member();
    await roleFor(admin, Permission.ADMINISTRATOR);
    await overwrite(vault, guildId, 0, 0n, Permission.VIEW_CHANNEL);
    await overwrite(vault, admin.id, 1, 0n, Permission.VIEW_CHANNEL | Permission.MANAGE_CHANNELS);
    assert.equal(await sees(admin, vault), true);
    const renamed = await server.request("PATCH", `/channels/${vault}`, { token: admin.token, body: { topic: "admins were here" } });
    assert.equal(renamed.status, 200);
    const guild = await server.request("GET", `/guilds/${guildId}`, { token: admin.token });
    assert.equal(guild.body.permissions, ALL_PERMISSIONS.toString());
  });

  it("the owner always has everything", async () => {
    const locked = await channel("locked");
    await overwrite(locked, guildId, 0, 0n, ALL_PERMISSIONS);
    await overwrite(locked, owner.id, 1, 0n, ALL_PERMISSIONS);
    assert.equal(await sees(owner, locked), true);
    const edited = await server.request("PATCH", `/channels/${locked}`, { token: owner.token, body: { name: "still-mine" } });
    assert.equal(edited.status, 200);
    const guild = await server.request("GET", `/guilds/${guildId}`, { token: owner.token });
    assert.equal(guild.body.permissions, ALL_PERMISSIONS.toString());
    assert.ok(guild.body.channels.some((c: { id: string }) => c.id === locked));
    // A plain member gets exactly @everyone's permissions.
    const plain = await member();
    const seen = await server.request("GET", `/guilds/${guildId}`, { token: plain.token });
    assert.equal(seen.body.permissions, seen.body.roles.find((r: { id: string }) => r.id === guildId).permissions);
    assert.equal(
      seen.body.channels.some((c: { id: string }) => c.id === locked),
      false,
    );
  });
});
