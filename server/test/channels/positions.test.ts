import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Permission } from "../../src/permissions.ts";
import { createRole, grantRole, joinGuild, recordEvents } from "../support/guild-fixture.ts";
import { registerUser, startTestServer, type TestServer, type TestUser } from "../support/harness.ts";

interface ChannelView {
  id: string;
  name: string;
  type: number;
  parent_id: string | null;
  position: number;
  permission_overwrites: unknown[];
}

describe("channel positions", () => {
  let server: TestServer;
  let owner: TestUser;
  let member: TestUser;
  let guildId: string;
  let textCategory: string;
  let voiceCategory: string;

  before(async () => {
    server = await startTestServer();
    owner = await registerUser(server, "posowner");
    member = await registerUser(server, "posmember");
    const guild = (await server.request("POST", "/guilds", { token: owner.token, body: { name: "Positions" } })).body;
    guildId = guild.id;
    const find = (name: string) => guild.channels.find((c: ChannelView) => c.name === name).id;
    textCategory = find("Text Channels");
    voiceCategory = find("Voice Channels");
    joinGuild(server, guildId, member);
  });
  after(() => server.close());

  const create = async (name: string, parent_id: string | null = textCategory) =>
    (await server.request<ChannelView>("POST", `/guilds/${guildId}/channels`, { token: owner.token, body: { name, parent_id } })).body;
  const channels = async () => (await server.request<ChannelView[]>("GET", `/guilds/${guildId}/channels`, { token: owner.token })).body;
  const order = async (parent: string) =>
    (await channels())
      .filter((c) => c.parent_id === parent)
      .sort((a, b) => a.position - b.position)
      .map((c) => c.name);
  const patch = (body: unknown, token = owner.token) => server.request("PATCH", `/guilds/${guildId}/channels`, { token, body });

  it("sets explicit positions and parents, and announces each moved channel", async () => {
    const a = await create("alpha");
    const b = await create("beta");
    const recorder = recordEvents(server);
    const response = await patch([
      { id: a.id, position: 5 },
      { id: b.id, position: 0, parent_id: voiceCategory },
    ]);
    assert.equal(response.status, 204);
    await recorder.settle();
    recorder.stop();
    const all = await channels();
    const placed = (id: string) => all.filter((c) => c.id === id).map((c) => [c.position, c.parent_id])[0];
    assert.deepEqual(placed(a.id), [5, textCategory]);
    assert.deepEqual(placed(b.id), [0, voiceCategory]);
    const updates = recorder.of("CHANNEL_UPDATE").map((e) => (e.data as ChannelView).id);
    assert.deepEqual(updates.sort(), [a.id, b.id].sort());
    const audit = server.deps.stores.auditLog.list(BigInt(guildId), { limit: 5, actionType: 11 });
    assert.equal(audit.length, 2);
  });

  it("places a channel right after a sibling, or first", async () => {
    const one = await create("one", null);
    const two = await create("two", null);
    const three = await create("three", null);
    assert.equal((await patch([{ id: three.id, preceding_sibling_id: one.id }])).status, 204);
    const top = (await channels()).filter((c) => c.parent_id === null && c.type !== 4).sort((x, y) => x.position - y.position);
    assert.deepEqual(
      top.map((c) => c.name),
      ["one", "three", "two"],
    );
    assert.equal((await patch([{ id: two.id, preceding_sibling_id: null }])).status, 204);
    const again = (await channels()).filter((c) => c.parent_id === null && c.type !== 4).sort((x, y) => x.position - y.position);
    assert.equal(again[0]?.name, "two");
    const notSibling = await patch([{ id: one.id, preceding_sibling_id: textCategory }]);
    assert.equal(notSibling.status, 400);
    assert.equal(notSibling.body.errors[0].path, "0.preceding_sibling_id");
  });

  it("syncs a moved channel with its new category when asked", async () => {
    const loose = await create("loose", null);
    await server.request("PUT", `/channels/${voiceCategory}/permissions/${guildId}`, {
      token: owner.token,
      body: { type: 0, deny: Permission.VIEW_CHANNEL.toString() },
    });
    const moved = await patch([{ id: loose.id, parent_id: voiceCategory, lock_permissions: true }]);
    assert.equal(moved.status, 204);
    const seen = await server.request<ChannelView>("GET", `/channels/${loose.id}`, { token: owner.token });
    assert.equal(seen.body.parent_id, voiceCategory);
    assert.deepEqual(seen.body.permission_overwrites, [{ id: guildId, type: 0, allow: "0", deny: Permission.VIEW_CHANNEL.toString() }]);
    assert.equal((await server.request("GET", `/channels/${loose.id}`, { token: member.token })).status, 403);
    assert.ok((await order(voiceCategory)).includes("loose"));
  });

  it("checks each listed channel where it is: hidden ones are refused, and a sync needs MANAGE_ROLES there", async () => {
    const moderator = await registerUser(server, "posmoderator");
    joinGuild(server, guildId, moderator);
    const wanted =
      Permission.MANAGE_CHANNELS |
      Permission.MANAGE_ROLES |
      Permission.VIEW_CHANNEL |
      Permission.SEND_MESSAGES |
      Permission.READ_MESSAGE_HISTORY;
    const mods = await createRole(server, owner, guildId, { name: "posmods", permissions: wanted.toString() });
    await grantRole(server, owner, guildId, moderator.id, mods.id);
    const hidden = Permission.VIEW_CHANNEL.toString();
    const secret = await create("secret", null);
    await server.request("PUT", `/channels/${secret.id}/permissions/${guildId}`, { token: owner.token, body: { type: 0, deny: hidden } });
    const locked = await patch([{ id: secret.id, parent_id: textCategory, lock_permissions: true }], moderator.token);
    assert.equal(locked.status, 403);
    assert.equal(locked.body.code, "MISSING_PERMISSIONS");
    const moved = await patch([{ id: secret.id, position: 7 }], moderator.token);
    assert.equal(moved.status, 403, "a channel the caller cannot see cannot be moved either");
    const after = await server.request<ChannelView>("GET", `/channels/${secret.id}`, { token: owner.token });
    assert.equal(after.body.parent_id, null);
    assert.deepEqual(after.body.permission_overwrites, [{ id: guildId, type: 0, allow: "0", deny: hidden }]);
    assert.equal((await server.request("GET", `/channels/${secret.id}/messages`, { token: moderator.token })).status, 403);

    // Visible, but MANAGE_ROLES denied there: moving is fine, taking the category's overwrites is not.
    const guarded = await create("guarded", null);
    const noRoles = { type: 0, deny: Permission.MANAGE_ROLES.toString() };
    await server.request("PUT", `/channels/${guarded.id}/permissions/${mods.id}`, { token: owner.token, body: noRoles });
    const sync = await patch([{ id: guarded.id, parent_id: textCategory, lock_permissions: true }], moderator.token);
    assert.equal(sync.status, 403);
    const guardedAfter = await server.request<ChannelView>("GET", `/channels/${guarded.id}`, { token: owner.token });
    assert.equal(guardedAfter.body.parent_id, null, "nothing moved");
    assert.equal((await patch([{ id: guarded.id, parent_id: textCategory }], moderator.token)).status, 204);
  });

  it("refuses members without MANAGE_CHANNELS and bad items, moving nothing", async () => {
    const c = await create("steady");
    const before = await channels();
    const denied = await patch([{ id: c.id, position: 9 }], member.token);
    assert.equal(denied.status, 403);
    assert.equal(denied.body.code, "MISSING_PERMISSIONS");
    const foreign = await patch([
      { id: c.id, position: 9 },
      { id: "123456789012345678", position: 1 },
    ]);
    assert.equal(foreign.status, 400);
    assert.equal(foreign.body.errors[0].path, "1.id");
    const nested = await patch([{ id: textCategory, parent_id: voiceCategory }]);
    assert.equal(nested.status, 400);
    const notCategory = await patch([{ id: c.id, parent_id: c.id }]);
    assert.equal(notCategory.status, 400);
    const empty = await patch([]);
    assert.equal(empty.status, 400);
    const malformed = await patch([{ position: 1 }]);
    assert.equal(malformed.status, 400);
    assert.deepEqual(await channels(), before);
  });
});
