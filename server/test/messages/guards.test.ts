import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { DEFAULT_EVERYONE_PERMISSIONS, Permission } from "../../src/permissions.ts";
import { ChannelType } from "../../src/storage/records.ts";
import { startTestServer, type TestServer, type TestUser } from "../support/harness.ts";
import {
  addChannel,
  addMember,
  addRole,
  createMessageWorld,
  kick,
  type MessageWorld,
  say,
  setEveryonePermissions,
  setOverwrite,
  timeOut,
} from "../support/message-world.ts";

describe("who may send, and what", () => {
  let server: TestServer;
  let world: MessageWorld;
  let member: TestUser;
  before(async () => {
    server = await startTestServer({ limits: { max_message_length: 200 } });
    world = await createMessageWorld(server);
    member = await addMember(server, world);
  });
  after(() => server.close());

  const send = (user: TestUser, channelId: string, body: unknown) =>
    server.request("POST", `/channels/${channelId}/messages`, { token: user.token, body });
  const count = (channelId: string) => server.deps.stores.messages.list(BigInt(channelId), { limit: 100 }).length;

  it("refuses a member without SEND_MESSAGES with 403 MISSING_PERMISSIONS, and typing too", async () => {
    const quiet = await addChannel(server, world, { name: "announcements" });
    await setOverwrite(server, world, quiet, { id: world.guildId, type: 0, deny: Permission.SEND_MESSAGES });
    const refused = await send(member, quiet, { content: "may I?" });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.code, "MISSING_PERMISSIONS");
    const typing = await server.request("POST", `/channels/${quiet}/typing`, { token: member.token });
    assert.equal(typing.body.code, "MISSING_PERMISSIONS");
    assert.equal(count(quiet), 0);
    // The owner still may.
    await say(server, world.owner, quiet, "announcement");
    assert.equal((await server.request("POST", `/channels/${quiet}/typing`, { token: world.owner.token })).status, 204);
  });

  it("refuses a timed-out member with 403 COMMUNICATION_DISABLED, who may still read", async () => {
    const muted = await addMember(server, world);
    await timeOut(server, world, muted, Date.now() + 60_000);
    const refused = await send(muted, world.channelId, { content: "let me out" });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.code, "COMMUNICATION_DISABLED");
    const read = await server.request("GET", `/channels/${world.channelId}/messages`, { token: muted.token });
    assert.equal(read.status, 200);
  });

  it("applies slowmode: a second message within the window gets 400 SLOWMODE_RATE_LIMITED with retry_after", async () => {
    const slow = await addChannel(server, world, { name: "slow", rateLimitPerUser: 30 });
    await say(server, member, slow, "first");
    const second = await send(member, slow, { content: "second" });
    assert.equal(second.status, 400);
    assert.equal(second.body.code, "SLOWMODE_RATE_LIMITED");
    assert.ok(second.body.retry_after > 0 && second.body.retry_after <= 30, String(second.body.retry_after));
    assert.equal(count(slow), 1);
    // The member can ask how long is left; a moderator learns it does not apply to them.
    const state = await server.request("GET", `/channels/${slow}/slowmode`, { token: member.token });
    assert.equal(state.status, 200);
    assert.equal(state.body.rate_limit_per_user, 30);
    assert.equal(state.body.can_bypass, false);
    assert.ok(state.body.retry_after_ms > 0 && state.body.retry_after_ms <= 30_000, String(state.body.retry_after_ms));
    assert.ok(Date.parse(state.body.next_send_allowed_at) > Date.now());
    const modState = await server.request("GET", `/channels/${slow}/slowmode`, { token: world.owner.token });
    assert.deepEqual([modState.body.can_bypass, modState.body.retry_after_ms, modState.body.next_send_allowed_at], [true, 0, null]);
    // Moderators are exempt.
    await say(server, world.owner, slow, "one");
    await say(server, world.owner, slow, "two");
  });

  it("refuses messages in a category and empty messages", async () => {
    const category = await addChannel(server, world, { type: ChannelType.guildCategory, name: "stuff" });
    const inCategory = await send(world.owner, category, { content: "hi" });
    assert.equal(inCategory.status, 400);
    assert.equal(inCategory.body.code, "CANNOT_SEND_MESSAGES_IN_NON_TEXT_CHANNEL");
    for (const body of [{}, { content: "" }, { content: "   " }, { content: null }]) {
      const empty = await send(member, world.channelId, body);
      assert.equal(empty.status, 400, JSON.stringify(body));
      assert.equal(empty.body.code, "CANNOT_SEND_EMPTY_MESSAGE");
    }
  });

  it("answers bad input with form errors and writes nothing", async () => {
    const before = count(world.channelId);
    const tooLong = await send(member, world.channelId, { content: "x".repeat(201) });
    assert.equal(tooLong.status, 400);
    assert.equal(tooLong.body.code, "INVALID_FORM_BODY");
    assert.deepEqual(
      tooLong.body.errors.map((e: { path: string; code: string }) => [e.path, e.code]),
      [["content", "BASE_TYPE_MAX_LENGTH"]],
    );
    const wrongType = await send(member, world.channelId, { content: 42, tts: "yes" });
    assert.equal(wrongType.status, 400);
    assert.deepEqual(wrongType.body.errors.map((e: { path: string }) => e.path).sort(), ["content", "tts"]);
    const unknownReply = await send(member, world.channelId, { content: "re", message_reference: { message_id: "123456789012345678" } });
    assert.equal(unknownReply.status, 400);
    assert.equal(unknownReply.body.errors[0].path, "message_reference.message_id");
    assert.equal(count(world.channelId), before);
    // fail_if_not_exists: false sends a plain message instead.
    const lenient = await say(server, member, world.channelId, "anyway", {
      message_reference: { message_id: "123456789012345678", fail_if_not_exists: false },
    });
    assert.equal(lenient.type, 0);
    assert.equal(lenient.message_reference, undefined);
  });

  it("answers unknown and malformed ids with 404 and 400", async () => {
    const unknownMessage = await server.request("GET", `/channels/${world.channelId}/messages/123456789012345678`, { token: member.token });
    assert.equal(unknownMessage.status, 404);
    assert.equal(unknownMessage.body.code, "UNKNOWN_MESSAGE");
    const unknownChannel = await send(member, "123456789012345678", { content: "hi" });
    assert.equal(unknownChannel.status, 404);
    assert.equal(unknownChannel.body.code, "UNKNOWN_CHANNEL");
    const notSnowflake = await send(member, "general", { content: "hi" });
    assert.equal(notSnowflake.status, 400);
    assert.equal(notSnowflake.body.code, "INVALID_FORM_BODY");
    const badMessageId = await server.request("DELETE", `/channels/${world.channelId}/messages/-1`, { token: member.token });
    assert.equal(badMessageId.status, 400);
    const noToken = await server.request("POST", `/channels/${world.channelId}/messages`, { body: { content: "hi" } });
    assert.equal(noToken.status, 401);
  });

  it("refuses history, pins and reaction users without READ_MESSAGE_HISTORY, and everything without VIEW_CHANNEL", async () => {
    const archive = await addChannel(server, world, { name: "archive" });
    const kept = await say(server, world.owner, archive, "old news");
    await setOverwrite(server, world, archive, { id: world.guildId, type: 0, deny: Permission.READ_MESSAGE_HISTORY });
    const paths = [
      `/channels/${archive}/messages`,
      `/channels/${archive}/messages/${kept.id}`,
      `/channels/${archive}/messages/pins`,
      `/channels/${archive}/messages/${kept.id}/reactions/${encodeURIComponent("👍")}`,
      `/channels/${archive}/messages/${kept.id}/reactions/${encodeURIComponent("👍")}/users`,
    ];
    for (const path of paths) {
      const response = await server.request("GET", path, { token: member.token });
      assert.equal(response.status, 403, path);
      assert.equal(response.body.code, "MISSING_PERMISSIONS", path);
    }
    const hidden = await addChannel(server, world, { name: "hidden" });
    const secret = await say(server, world.owner, hidden, "secret");
    await setOverwrite(server, world, hidden, { id: world.guildId, type: 0, deny: Permission.VIEW_CHANNEL });
    const ack = await server.request("POST", `/channels/${hidden}/messages/${secret.id}/ack`, { token: member.token, body: {} });
    assert.equal(ack.status, 403);
    const react = await server.request("PUT", `/channels/${hidden}/messages/${secret.id}/reactions/${encodeURIComponent("👍")}/@me`, {
      token: member.token,
    });
    assert.equal(react.body.code, "MISSING_PERMISSIONS");
  });

  it("shows a reply whose original is gone with referenced_message null", async () => {
    const original = await say(server, world.owner, world.channelId, "soon gone");
    const reply = await say(server, member, world.channelId, "answer", { message_reference: { message_id: original.id } });
    await server.request("DELETE", `/channels/${world.channelId}/messages/${original.id}`, { token: world.owner.token });
    const seen = await server.request("GET", `/channels/${world.channelId}/messages/${reply.id}`, { token: world.owner.token });
    assert.equal(seen.status, 200);
    assert.equal(seen.body.type, 19);
    assert.equal(seen.body.referenced_message, null);
    assert.equal(seen.body.message_reference.message_id, original.id);
  });

  it("parses mentions: members only, mentionable roles, @everyone only with MENTION_EVERYONE, narrowed by allowed_mentions", async () => {
    const outsider = await addMember(server, world);
    await kick(server, world, outsider);
    const open = await addRole(server, world, { mentionable: true, name: "open" });
    const closed = await addRole(server, world, { mentionable: false, name: "closed" });
    // @everyone here lacks MENTION_EVERYONE.
    await setEveryonePermissions(server, world, DEFAULT_EVERYONE_PERMISSIONS & ~Permission.MENTION_EVERYONE);
    const text = `<@${world.owner.id}> <@!${outsider.id}> <@&${open}> <@&${closed}> @everyone`;
    const plain = await say(server, member, world.channelId, text);
    assert.deepEqual(
      plain.mentions.map((u: { id: string }) => u.id),
      [world.owner.id],
    );
    assert.deepEqual(plain.mention_roles, [open]);
    assert.equal(plain.mention_everyone, false);
    const byOwner = await say(server, world.owner, world.channelId, text);
    assert.deepEqual(byOwner.mention_roles.sort(), [open, closed].sort());
    assert.equal(byOwner.mention_everyone, true);
    const narrowed = await say(server, world.owner, world.channelId, text, { allowed_mentions: { parse: ["roles"] } });
    assert.deepEqual(narrowed.mentions, []);
    assert.equal(narrowed.mention_everyone, false);
    assert.equal(narrowed.mention_roles.length, 2);
  });
});

describe("editing and deleting", () => {
  let server: TestServer;
  let world: MessageWorld;
  let author: TestUser;
  let moderator: TestUser;
  let bystander: TestUser;
  before(async () => {
    server = await startTestServer();
    world = await createMessageWorld(server);
    author = await addMember(server, world);
    moderator = await addMember(server, world);
    bystander = await addMember(server, world);
    await addRole(server, world, { permissions: Permission.MANAGE_MESSAGES, members: [moderator] });
  });
  after(() => server.close());

  it("lets only the author edit the content (403 CANNOT_EDIT_OTHER_USER_MESSAGE) and re-parses mentions", async () => {
    const message = await say(server, author, world.channelId, "draft");
    const path = `/channels/${world.channelId}/messages/${message.id}`;
    const byOther = await server.request("PATCH", path, { token: moderator.token, body: { content: "mine now" } });
    assert.equal(byOther.status, 403);
    assert.equal(byOther.body.code, "CANNOT_EDIT_OTHER_USER_MESSAGE");
    const edited = await server.request("PATCH", path, { token: author.token, body: { content: `ping <@${bystander.id}>` } });
    assert.equal(edited.status, 200);
    assert.deepEqual(
      edited.body.mentions.map((u: { id: string }) => u.id),
      [bystander.id],
    );
    const tooLong = await server.request("PATCH", path, { token: author.token, body: { content: "x".repeat(5000) } });
    assert.equal(tooLong.status, 400);
    const emptied = await server.request("PATCH", path, { token: author.token, body: { content: "" } });
    assert.equal(emptied.body.code, "CANNOT_SEND_EMPTY_MESSAGE");
    // A moderator may suppress embeds (flags) on someone else's message.
    const flagged = await server.request("PATCH", path, { token: moderator.token, body: { flags: 4 } });
    assert.equal(flagged.status, 200);
    assert.equal(flagged.body.flags, 4);
    assert.equal(flagged.body.content, `ping <@${bystander.id}>`);
  });

  it("lets authors delete their own messages and moderators anyone's, audited; others get 403", async () => {
    const message = await say(server, author, world.channelId, "oops");
    const path = `/channels/${world.channelId}/messages/${message.id}`;
    const byBystander = await server.request("DELETE", path, { token: bystander.token });
    assert.equal(byBystander.status, 403);
    assert.equal(byBystander.body.code, "MISSING_PERMISSIONS");
    const byModerator = await server.request("DELETE", path, { token: moderator.token, headers: { "x-audit-log-reason": "spam%20again" } });
    assert.equal(byModerator.status, 204);
    const audit = await server.request("GET", `/guilds/${world.guildId}/audit-logs`, {
      token: world.owner.token,
      query: { action_type: 72 },
    });
    assert.equal(audit.status, 200);
    assert.equal(audit.body.audit_log_entries.length, 1);
    assert.equal(audit.body.audit_log_entries[0].reason, "spam again");
    assert.equal(audit.body.audit_log_entries[0].target_id, author.id);
    const again = await server.request("DELETE", path, { token: moderator.token });
    assert.equal(again.status, 404);
    assert.equal(again.body.code, "UNKNOWN_MESSAGE");
  });

  it("bulk-deletes 2..100 recent messages with MANAGE_MESSAGES, refusing old ones", async () => {
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push((await say(server, author, world.channelId, `bulk ${i}`)).id);
    const url = `/channels/${world.channelId}/messages/bulk-delete`;
    const denied = await server.request("POST", url, { token: bystander.token, body: { messages: ids } });
    assert.equal(denied.status, 403);
    assert.equal(denied.body.code, "MISSING_PERMISSIONS");
    const tooFew = await server.request("POST", url, { token: moderator.token, body: { messages: [ids[0]] } });
    assert.equal(tooFew.status, 400);
    const tooMany = await server.request("POST", url, {
      token: moderator.token,
      body: { messages: Array.from({ length: 101 }, () => ids[0]) },
    });
    assert.equal(tooMany.status, 400);
    const old = 1000n << 22n; // a snowflake from the first second of 2015
    const tooOld = await server.request("POST", url, { token: moderator.token, body: { messages: [ids[0], old.toString()] } });
    assert.equal(tooOld.status, 400);
    assert.equal(tooOld.body.code, "INVALID_FORM_BODY");
    const stillThere = await server.request("GET", `/channels/${world.channelId}/messages/${ids[0]}`, { token: author.token });
    assert.equal(stillThere.status, 200);
    const done = await server.request("POST", url, { token: moderator.token, body: { messages: ids } });
    assert.equal(done.status, 204);
    for (const id of ids) {
      const gone = await server.request("GET", `/channels/${world.channelId}/messages/${id}`, { token: author.token });
      assert.equal(gone.status, 404);
    }
    const audit = await server.request("GET", `/guilds/${world.guildId}/audit-logs`, {
      token: world.owner.token,
      query: { action_type: 73 },
    });
    assert.equal(audit.body.audit_log_entries.length, 1);
  });
});
