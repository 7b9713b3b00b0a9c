/**
 * Attachment files leave the disk with their messages when those go in bulk: a deleted channel, a
 * deleted guild, a ban that purges recent messages, the last member leaving a group DM.
 */
import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { registerUser, startTestServer, type TestServer, type TestUser } from "../support/harness.ts";
import { addChannel, addMember, createMessageWorld, type MessageWorld, multipart } from "../support/message-world.ts";

describe("attachment files of bulk-deleted messages", () => {
  let server: TestServer;
  let world: MessageWorld;
  let member: TestUser;
  before(async () => {
    server = await startTestServer();
    world = await createMessageWorld(server);
    member = await addMember(server, world);
  });
  after(() => server.close());

  /** Sends a message with one file and returns where that file is on disk. */
  async function upload(user: TestUser, channelId: string, name = "note.txt"): Promise<string> {
    const { payload, headers } = multipart([
      { name: "payload_json", value: JSON.stringify({ content: "with a file" }) },
      { name: "files[0]", value: `contents of ${name}`, filename: name, contentType: "text/plain" },
    ]);
    const sent = await server.request("POST", `/channels/${channelId}/messages`, { token: user.token, payload, headers });
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    const attachment = sent.body.attachments[0];
    const path = join(server.deps.dataDir, "attachments", channelId, attachment.id, attachment.filename);
    assert.ok(existsSync(path), "the upload is on disk");
    return path;
  }

  /** The ban purge runs after the response; its files follow shortly. */
  async function gone(path: string): Promise<boolean> {
    for (let i = 0; i < 50 && existsSync(path); i++) await new Promise((resolve) => setTimeout(resolve, 10));
    return !existsSync(path);
  }

  it("removes a deleted channel's files, and its folder, but no other channel's", async () => {
    const channelId = await addChannel(server, world, { name: "doomed" });
    const doomed = [await upload(world.owner, channelId, "a.txt"), await upload(world.owner, channelId, "b.txt")];
    const kept = await upload(world.owner, world.channelId, "kept.txt");
    const deleted = await server.request("DELETE", `/channels/${channelId}`, { token: world.owner.token });
    assert.equal(deleted.status, 204);
    for (const path of doomed) assert.equal(existsSync(path), false, `${path} is gone`);
    assert.equal(existsSync(join(server.deps.dataDir, "attachments", channelId)), false, "the empty channel folder is gone too");
    assert.ok(existsSync(kept), "another channel's file stays");
  });

  it("removes every file of a deleted guild", async () => {
    const other = await createMessageWorld(server);
    const second = await addChannel(server, other, { name: "second" });
    const files = [await upload(other.owner, other.channelId), await upload(other.owner, second)];
    const kept = await upload(world.owner, world.channelId, "other-guild.txt");
    const deleted = await server.request("POST", `/guilds/${other.guildId}/delete`, {
      token: other.owner.token,
      body: { password: other.owner.password },
    });
    assert.equal(deleted.status, 204);
    for (const path of files) assert.equal(existsSync(path), false, `${path} is gone`);
    assert.ok(existsSync(kept), "another guild's file stays");
  });

  it("removes the files of messages a ban purges", async () => {
    const spammer = await addMember(server, world);
    const purged = await upload(spammer, world.channelId, "spam.txt");
    const kept = await upload(member, world.channelId, "innocent.txt");
    const banned = await server.request("PUT", `/guilds/${world.guildId}/bans/${spammer.id}`, {
      token: world.owner.token,
      body: { delete_message_seconds: 3600 },
    });
    assert.equal(banned.status, 204);
    assert.ok(await gone(purged), "the purged message's file is gone");
    assert.ok(existsSync(kept), "another member's file stays");
  });

  it("removes a group DM's files when its last member leaves", async () => {
    const solo = await registerUser(server);
    const created = await server.request("POST", "/users/@me/channels", { token: solo.token, body: { recipients: [] } });
    assert.equal(created.status, 200);
    const file = await upload(solo, created.body.id);
    const left = await server.request("DELETE", `/channels/${created.body.id}/recipients/${solo.id}`, { token: solo.token });
    assert.equal(left.status, 204);
    assert.equal(existsSync(file), false);
  });
});
