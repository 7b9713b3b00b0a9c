/**
 * The mentions inbox (GET /users/@me/mentions) through the API: what counts as a mention of the
 * user, the spec's query parameters, channels the user can no longer read, edits and deletes,
 * and taking mentions out of it (DELETE /users/@me/mentions/{id}, POST /users/@me/mentions/read).
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Permission } from "../../src/permissions.ts";
import { guildWithMembers } from "../gateway/gateway-world.ts";
import { startTestServer, type TestServer, type TestUser } from "../support/harness.ts";
import type { TestGuild } from "../support/invite-world.ts";

describe("GET /users/@me/mentions", () => {
  let server: TestServer;
  let owner: TestUser;
  let reader: TestUser;
  let guild: TestGuild;
  let roleId: string;
  const sent: Record<string, string> = {};

  async function send(token: string, channelId: string, content: string): Promise<string> {
    const response = await server.request("POST", `/channels/${channelId}/messages`, { token, body: { content } });
    assert.equal(response.status, 200, JSON.stringify(response.body));
    return response.body.id;
  }

  async function inbox(query: Record<string, string | number> = {}, token = reader.token): Promise<string[]> {
    const response = await server.request("GET", "/users/@me/mentions", { token, query });
    assert.equal(response.status, 200, JSON.stringify(response.body));
    return (response.body as { id: string }[]).map((m) => m.id);
  }

  before(async () => {
    server = await startTestServer();
    const world = await guildWithMembers(server, "mn_owner", "mn_reader");
    ({ owner, guild } = world);
    reader = world.members[0] as TestUser;
    const role = await server.request("POST", `/guilds/${guild.id}/roles`, {
      token: owner.token,
      body: { name: "crew", mentionable: true },
    });
    assert.equal(role.status, 200, JSON.stringify(role.body));
    roleId = role.body.id;
    const given = await server.request("PUT", `/guilds/${guild.id}/members/${reader.id}/roles/${roleId}`, { token: owner.token });
    assert.equal(given.status, 204, JSON.stringify(given.body));

    sent.direct = await send(owner.token, guild.channelId, `hi <@${reader.id}>`);
    sent.plain = await send(owner.token, guild.channelId, "nobody in particular");
    sent.role = await send(owner.token, guild.channelId, `crew: <@&${roleId}>`);
    sent.everyone = await send(owner.token, guild.channelId, "@everyone meeting");
    sent.own = await send(reader.token, guild.channelId, `@everyone <@${reader.id}> says me`);
    const dm = await server.request("POST", "/users/@me/channels", { token: owner.token, body: { recipient_id: reader.id } });
    assert.equal(dm.status, 200, JSON.stringify(dm.body));
    sent.dm = await send(owner.token, dm.body.id, `psst <@${reader.id}>`);
  });
  after(() => server.close());

  it("lists direct, role, @everyone and DM mentions newest first, never the reader's own messages", async () => {
    assert.deepEqual(await inbox(), [sent.dm, sent.everyone, sent.role, sent.direct]);
    const full = await server.request("GET", "/users/@me/mentions", { token: reader.token, query: { limit: 1 } });
    assert.equal(full.body[0].content, `psst <@${reader.id}>`);
    assert.equal(full.body[0].mentions[0].id, reader.id);
    // The reader's @everyone is the owner's mention; the owner's own @everyone is not.
    assert.deepEqual(await inbox({}, owner.token), [sent.own]);
  });

  it("honours roles, everyone, guilds, limit and before", async () => {
    assert.deepEqual(await inbox({ roles: "false" }), [sent.dm, sent.everyone, sent.direct]);
    assert.deepEqual(await inbox({ everyone: "false" }), [sent.dm, sent.role, sent.direct]);
    assert.deepEqual(await inbox({ guilds: "false" }), [sent.dm]);
    assert.deepEqual(await inbox({ limit: 2 }), [sent.dm, sent.everyone]);
    assert.deepEqual(await inbox({ before: sent.role as string }), [sent.direct]);
    const badQueries: Record<string, string | number>[] = [{ limit: 0 }, { limit: 101 }, { roles: "maybe" }, { before: "x" }];
    for (const query of badQueries) {
      const bad = await server.request("GET", "/users/@me/mentions", { token: reader.token, query });
      assert.equal(bad.status, 400, JSON.stringify(query));
      assert.equal(bad.body.code, "INVALID_FORM_BODY");
    }
  });

  it("leaves out a role the reader no longer holds and a channel they can no longer read", async () => {
    const secret = await server.request("POST", `/guilds/${guild.id}/channels`, { token: owner.token, body: { name: "secret", type: 0 } });
    assert.equal(secret.status, 200);
    const hidden = await send(owner.token, secret.body.id, `<@${reader.id}> look`);
    assert.equal((await inbox())[0], hidden);
    const denied = await server.request("PUT", `/channels/${secret.body.id}/permissions/${reader.id}`, {
      token: owner.token,
      body: { type: 1, allow: "0", deny: Permission.READ_MESSAGE_HISTORY.toString() },
    });
    assert.equal(denied.status, 204);
    assert.ok(!(await inbox()).includes(hidden), "no READ_MESSAGE_HISTORY: not listed");

    const taken = await server.request("DELETE", `/guilds/${guild.id}/members/${reader.id}/roles/${roleId}`, { token: owner.token });
    assert.equal(taken.status, 204);
    assert.deepEqual(await inbox(), [sent.dm, sent.everyone, sent.direct]);
    const back = await server.request("PUT", `/guilds/${guild.id}/members/${reader.id}/roles/${roleId}`, { token: owner.token });
    assert.equal(back.status, 204);
  });

  it("follows edits and deletes", async () => {
    const edited = await send(owner.token, guild.channelId, "nothing yet");
    assert.ok(!(await inbox()).includes(edited));
    const edit = await server.request("PATCH", `/channels/${guild.channelId}/messages/${edited}`, {
      token: owner.token,
      body: { content: `now <@${reader.id}>` },
    });
    assert.equal(edit.status, 200);
    assert.equal((await inbox())[0], edited);
    const removed = await server.request("DELETE", `/channels/${guild.channelId}/messages/${edited}`, { token: owner.token });
    assert.equal(removed.status, 204);
    assert.ok(!(await inbox()).includes(edited));
  });

  it("DELETE /users/@me/mentions/{id} and POST /users/@me/mentions/read take mentions out of the reader's inbox only", async () => {
    const one = await server.request("DELETE", `/users/@me/mentions/${sent.direct}`, { token: reader.token });
    assert.equal(one.status, 204);
    assert.ok(!(await inbox()).includes(sent.direct as string));
    const many = await server.request("POST", "/users/@me/mentions/read", {
      token: reader.token,
      body: { message_ids: [sent.dm, sent.role, "123"] },
    });
    assert.equal(many.status, 204);
    assert.deepEqual(await inbox(), [sent.everyone]);
    const messages = await server.request("GET", `/channels/${guild.channelId}/messages`, { token: reader.token, query: { limit: 50 } });
    assert.ok(
      (messages.body as { id: string }[]).some((m) => m.id === sent.direct),
      "the message itself stays",
    );
    const empty = await server.request("POST", "/users/@me/mentions/read", { token: reader.token, body: { message_ids: [] } });
    assert.equal(empty.status, 400);
  });
});
