import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Permission } from "../../src/permissions.ts";
import { createRole, grantRole, joinGuild, recordEvents } from "../support/guild-fixture.ts";
import { registerUser, startTestServer, type TestServer, type TestUser } from "../support/harness.ts";

describe("channel permission overwrites", () => {
  let server: TestServer;
  let owner: TestUser;
  let roleManager: TestUser;
  let member: TestUser;
  let guildId: string;
  let channelId: string;
  let roleId: string;

  before(async () => {
    server = await startTestServer();
    owner = await registerUser(server, "owowner");
    roleManager = await registerUser(server, "owmanager");
    member = await registerUser(server, "owmember");
    const guild = (await server.request("POST", "/guilds", { token: owner.token, body: { name: "Overwrites" } })).body;
    guildId = guild.id;
    channelId = guild.channels.find((c: { name: string }) => c.name === "general").id;
    joinGuild(server, guildId, roleManager);
    joinGuild(server, guildId, member);
    const managers = await createRole(server, owner, guildId, { name: "managers", permissions: Permission.MANAGE_ROLES.toString() });
    await grantRole(server, owner, guildId, roleManager.id, managers.id);
    roleId = (await createRole(server, owner, guildId, { name: "readers", permissions: "0" })).id;
  });
  after(() => server.close());

  const put = (target: string, body: Record<string, unknown>, token = roleManager.token) =>
    server.request("PUT", `/channels/${channelId}/permissions/${target}`, { token, body });
  const overwritesOf = async (id = channelId) =>
    (await server.request("GET", `/channels/${id}`, { token: owner.token })).body.permission_overwrites as {
      id: string;
      type: number;
      allow: string;
      deny: string;
    }[];

  it("creates, updates and deletes a role overwrite, audited and announced", async () => {
    const recorder = recordEvents(server);
    const allow = (Permission.SEND_MESSAGES | Permission.ADD_REACTIONS).toString();
    const created = await put(roleId, { type: 0, allow, deny: "0" });
    assert.equal(created.status, 204);
    assert.deepEqual(await overwritesOf(), [{ id: roleId, type: 0, allow, deny: "0" }]);
    const updated = await put(roleId, { type: 0, allow: Permission.SEND_MESSAGES.toString(), deny: Permission.ADD_REACTIONS.toString() });
    assert.equal(updated.status, 204);
    const removed = await server.request("DELETE", `/channels/${channelId}/permissions/${roleId}`, { token: roleManager.token });
    assert.equal(removed.status, 204);
    assert.deepEqual(await overwritesOf(), []);
    await recorder.settle();
    recorder.stop();
    assert.equal(recorder.of("CHANNEL_UPDATE").length, 3);
    const audit = await server.request("GET", `/guilds/${guildId}/audit-logs`, { token: owner.token });
    const [deleted, changed, made] = audit.body.audit_log_entries;
    assert.equal(made.action_type, 13);
    assert.equal(made.target_id, channelId);
    assert.deepEqual(made.options, { id: roleId, type: 0, role_name: "readers" });
    assert.equal(changed.action_type, 14);
    assert.deepEqual(changed.changes, [
      { key: "allow", old_value: allow, new_value: Permission.SEND_MESSAGES.toString() },
      { key: "deny", old_value: "0", new_value: Permission.ADD_REACTIONS.toString() },
    ]);
    assert.equal(deleted.action_type, 15);
  });

  it("sets a member overwrite for a member of the guild only", async () => {
    assert.equal((await put(member.id, { type: 1, deny: Permission.SEND_MESSAGES.toString() })).status, 204);
    const stranger = await registerUser(server);
    const notMember = await put(stranger.id, { type: 1, allow: "0" });
    assert.equal(notMember.status, 404);
    assert.equal(notMember.body.code, "UNKNOWN_MEMBER");
    const notRole = await put("123456789012345678", { type: 0, allow: "0" });
    assert.equal(notRole.status, 404);
    assert.equal(notRole.body.code, "UNKNOWN_ROLE");
    await server.request("DELETE", `/channels/${channelId}/permissions/${member.id}`, { token: owner.token });
  });

  it("requires MANAGE_ROLES, and only lets a non-administrator grant what it holds", async () => {
    const denied = await put(roleId, { type: 0, allow: "0" }, member.token);
    assert.equal(denied.status, 403);
    assert.equal(denied.body.code, "MISSING_PERMISSIONS");
    // The manager holds SEND_MESSAGES (from @everyone) but not MANAGE_GUILD.
    const beyond = await put(roleId, { type: 0, allow: Permission.MANAGE_GUILD.toString() });
    assert.equal(beyond.status, 403);
    assert.deepEqual(await overwritesOf(), []);
    const deleteDenied = await server.request("DELETE", `/channels/${channelId}/permissions/${roleId}`, { token: member.token });
    assert.equal(deleteDenied.status, 403);
    // The owner may grant anything.
    assert.equal((await put(roleId, { type: 0, allow: Permission.MANAGE_GUILD.toString() }, owner.token)).status, 204);
    // ...and the manager may still change the bits it holds on that overwrite, but not remove the ones it lacks.
    const edit = await put(roleId, { type: 0, allow: Permission.MANAGE_GUILD.toString(), deny: Permission.SEND_MESSAGES.toString() });
    assert.equal(edit.status, 204);
    const strip = await server.request("DELETE", `/channels/${channelId}/permissions/${roleId}`, { token: roleManager.token });
    assert.equal(strip.status, 403);
    assert.equal((await server.request("DELETE", `/channels/${channelId}/permissions/${roleId}`, { token: owner.token })).status, 204);
  });

  it("checks the body and the ids", async () => {
    const badType = await put(roleId, { type: 2 });
    assert.equal(badType.status, 400);
    assert.equal(badType.body.errors[0].path, "type");
    const badBits = await put(roleId, { type: 0, allow: "lots" });
    assert.equal(badBits.status, 400);
    assert.equal(badBits.body.errors[0].path, "allow");
    const badTarget = await server.request("PUT", `/channels/${channelId}/permissions/everyone`, { token: owner.token, body: { type: 0 } });
    assert.equal(badTarget.status, 400);
    const unknown = await server.request("PUT", `/channels/123456789012345678/permissions/${roleId}`, {
      token: owner.token,
      body: { type: 0 },
    });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.code, "UNKNOWN_CHANNEL");
    const nothing = await server.request("DELETE", `/channels/${channelId}/permissions/${roleId}`, { token: owner.token });
    assert.equal(nothing.status, 204);
  });
});
