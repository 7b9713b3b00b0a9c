/** MESSAGE_UPDATE in a guild channel carries the author's member object, as MESSAGE_CREATE does. */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type GatewayServer, guildWithMembers, startGatewayServer } from "./gateway-world.ts";

describe("gateway MESSAGE_UPDATE member", () => {
  let server: GatewayServer;
  before(async () => {
    server = await startGatewayServer();
  });
  after(() => server.close());

  it("is the author's, whether the author edits or a moderator pins", async () => {
    const { owner, guild, members } = await guildWithMembers(server, "mm_owner", "mm_author");
    const author = members[0]!;
    const role = await server.request("POST", `/guilds/${guild.id}/roles`, { token: owner.token, body: { name: "poet" } });
    assert.equal(role.status, 200, JSON.stringify(role.body));
    const given = await server.request("PUT", `/guilds/${guild.id}/members/${author.id}/roles/${role.body.id}`, { token: owner.token });
    assert.equal(given.status, 204, JSON.stringify(given.body));
    const watcher = await server.login(owner);

    const sent = await server.request("POST", `/channels/${guild.channelId}/messages`, { token: author.token, body: { content: "draft" } });
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    const created = await watcher.dispatch("MESSAGE_CREATE", (d) => d.id === sent.body.id);

    const edited = await server.request("PATCH", `/channels/${guild.channelId}/messages/${sent.body.id}`, {
      token: author.token,
      body: { content: "final" },
    });
    assert.equal(edited.status, 200, JSON.stringify(edited.body));
    const update = await watcher.dispatch("MESSAGE_UPDATE", (d) => d.id === sent.body.id && d.content === "final");
    assert.deepEqual(update.d.member.roles, [role.body.id]);
    assert.deepEqual(update.d.member, created.d.member, "the same member object as MESSAGE_CREATE's");
    assert.equal(update.d.member.user, undefined, "without user: the message has its author");

    // The owner pins it: still the author's member, not the owner's.
    const from = watcher.frames.length;
    const pinned = await server.request("PUT", `/channels/${guild.channelId}/pins/${sent.body.id}`, { token: owner.token });
    assert.equal(pinned.status, 204, JSON.stringify(pinned.body));
    const pinUpdate = await watcher.next((f) => f.t === "MESSAGE_UPDATE" && f.d.id === sent.body.id, "MESSAGE_UPDATE on pin", from);
    assert.deepEqual(pinUpdate.d.member.roles, [role.body.id]);
    await watcher.close();
  });
});
