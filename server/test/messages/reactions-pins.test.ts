import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Permission } from "../../src/permissions.ts";
import { startTestServer, type TestServer, type TestUser } from "../support/harness.ts";
import {
  addMember,
  addRole,
  createMessageWorld,
  dataOf,
  type MessageWorld,
  recordEvents,
  removeOverwrite,
  say,
  setOverwrite,
  timeOut,
} from "../support/message-world.ts";

const THUMBS = encodeURIComponent("👍");
const HEART = encodeURIComponent("❤️");
const FLAG = encodeURIComponent("🇫🇷");

describe("reactions", () => {
  let server: TestServer;
  let world: MessageWorld;
  let moderator: TestUser;
  let member: TestUser;
  let other: TestUser;
  before(async () => {
    server = await startTestServer({ limits: { max_reactions_per_message: 3 } });
    world = await createMessageWorld(server);
    moderator = await addMember(server, world);
    member = await addMember(server, world);
    other = await addMember(server, world);
    await addRole(server, world, { permissions: Permission.MANAGE_MESSAGES, members: [moderator] });
  });
  after(() => server.close());

  const base = (messageId: string) => `/channels/${world.channelId}/messages/${messageId}/reactions`;
  const react = (user: TestUser, messageId: string, emoji: string) =>
    server.request("PUT", `${base(messageId)}/${emoji}/@me`, { token: user.token });
  const counts = async (user: TestUser, messageId: string) => {
    const response = await server.request("GET", `/channels/${world.channelId}/messages/${messageId}`, { token: user.token });
    return (response.body.reactions ?? []).map((r: any) => [r.emoji.name, r.count, r.me]);
  };

  it("adds, lists (both shapes) and removes reactions, with events", async () => {
    const message = await say(server, world.owner, world.channelId, "react to me");
    const events = recordEvents(server);
    for (const user of [member, other, moderator]) assert.equal((await react(user, message.id, THUMBS)).status, 204);
    assert.equal((await react(member, message.id, THUMBS)).status, 204, "reacting twice is fine and changes nothing");
    assert.deepEqual(await counts(member, message.id), [["👍", 3, true]]);
    assert.deepEqual(await counts(world.owner, message.id), [["👍", 3, false]]);

    const list = await server.request("GET", `${base(message.id)}/${THUMBS}`, { token: world.owner.token, query: { limit: 2 } });
    assert.equal(list.status, 200);
    const sorted = [member.id, other.id, moderator.id].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
    assert.deepEqual(
      list.body.map((u: { id: string }) => u.id),
      sorted.slice(0, 2),
    );
    const v2 = await server.request("GET", `${base(message.id)}/${THUMBS}/users`, { token: world.owner.token, query: { limit: 2 } });
    assert.equal(v2.status, 200);
    assert.equal(v2.body.has_more, true);
    assert.equal(v2.body.next_after, sorted[1]);
    const rest = await server.request("GET", `${base(message.id)}/${THUMBS}/users`, {
      token: world.owner.token,
      query: { after: v2.body.next_after },
    });
    assert.deepEqual(
      rest.body.items.map((u: { id: string }) => u.id),
      [sorted[2]],
    );
    assert.equal(rest.body.has_more, false);
    assert.equal(rest.body.next_after, null);

    assert.equal((await server.request("DELETE", `${base(message.id)}/${THUMBS}/@me`, { token: other.token })).status, 204);
    assert.deepEqual(await counts(other, message.id), [["👍", 2, false]]);

    await events.settle();
    events.stop();
    const added = events.of("MESSAGE_REACTION_ADD");
    assert.equal(added.length, 3);
    assert.deepEqual(dataOf(added[0]).emoji, { id: null, name: "👍", animated: false });
    assert.equal(dataOf(added[0]).message_id, message.id);
    // Clients read member.user on reaction events, as Discord sends it.
    assert.equal(dataOf(added[0]).member.user.id, dataOf(added[0]).user_id);
    assert.equal(events.of("MESSAGE_REACTION_REMOVE").length, 1);
  });

  it("lets moderators remove others' reactions, one emoji or all; others get 403", async () => {
    const message = await say(server, world.owner, world.channelId, "moderate me");
    await react(member, message.id, THUMBS);
    await react(other, message.id, THUMBS);
    await react(member, message.id, HEART);
    const denied = await server.request("DELETE", `${base(message.id)}/${THUMBS}/${member.id}`, { token: other.token });
    assert.equal(denied.status, 403);
    assert.equal(denied.body.code, "MISSING_PERMISSIONS");
    for (const path of [`${base(message.id)}/${THUMBS}`, base(message.id)]) {
      const refused = await server.request("DELETE", path, { token: member.token });
      assert.equal(refused.body.code, "MISSING_PERMISSIONS");
    }
    const one = await server.request("DELETE", `${base(message.id)}/${THUMBS}/${member.id}`, { token: moderator.token });
    assert.equal(one.status, 204);
    assert.deepEqual(await counts(member, message.id), [
      ["👍", 1, false],
      ["❤️", 1, true],
    ]);
    assert.equal((await server.request("DELETE", `${base(message.id)}/${HEART}`, { token: moderator.token })).status, 204);
    assert.deepEqual(await counts(member, message.id), [["👍", 1, false]]);
    assert.equal((await server.request("DELETE", base(message.id), { token: moderator.token })).status, 204);
    assert.deepEqual(await counts(member, message.id), []);
  });

  it("checks the emoji, the reaction limit and ADD_REACTIONS", async () => {
    const message = await say(server, world.owner, world.channelId, "limits");
    const custom = await react(member, message.id, encodeURIComponent("party:123456789012345678"));
    assert.equal(custom.body.code, "UNKNOWN_EMOJI");
    const text = await react(member, message.id, "hello");
    assert.equal(text.body.code, "UNKNOWN_EMOJI");
    for (const emoji of [THUMBS, HEART, FLAG]) assert.equal((await react(member, message.id, emoji)).status, 204);
    const fourth = await react(member, message.id, encodeURIComponent("🎉"));
    assert.equal(fourth.status, 400);
    assert.equal(fourth.body.code, "MAX_REACTIONS");
    const unknown = await react(member, "123456789012345678", THUMBS);
    assert.equal(unknown.body.code, "UNKNOWN_MESSAGE");

    // Without ADD_REACTIONS a member may only join an existing reaction.
    await setOverwrite(server, world, world.channelId, { id: other.id, type: 1, deny: Permission.ADD_REACTIONS });
    assert.equal((await react(other, message.id, THUMBS)).status, 204);
    const fresh = await say(server, world.owner, world.channelId, "fresh");
    const refused = await react(other, fresh.id, THUMBS);
    assert.equal(refused.status, 403);
    assert.equal(refused.body.code, "MISSING_PERMISSIONS");
    await removeOverwrite(server, world, world.channelId, other.id);

    const muted = await addMember(server, world);
    await timeOut(server, world, muted, Date.now() + 60_000);
    const timedOut = await react(muted, message.id, THUMBS);
    assert.equal(timedOut.status, 403);
    assert.equal(timedOut.body.code, "COMMUNICATION_DISABLED");
  });
});

describe("pins, typing and read states", () => {
  let server: TestServer;
  let world: MessageWorld;
  let member: TestUser;
  before(async () => {
    server = await startTestServer({ limits: { max_pins_per_channel: 2 } });
    world = await createMessageWorld(server);
    member = await addMember(server, world);
  });
  after(() => server.close());

  const pinPath = (messageId: string) => `/channels/${world.channelId}/pins/${messageId}`;

  it("pins and unpins with PIN_MESSAGES, up to the limit, audited, pages by pin time", async () => {
    const [a, b, c] = [
      await say(server, member, world.channelId, "a"),
      await say(server, member, world.channelId, "b"),
      await say(server, member, world.channelId, "c"),
    ];
    const events = recordEvents(server);
    assert.equal((await server.request("PUT", pinPath(a.id), { token: member.token })).status, 204);
    await new Promise((resolve) => setTimeout(resolve, 5)); // distinct pin times
    assert.equal((await server.request("PUT", pinPath(b.id), { token: member.token })).status, 204);
    assert.equal((await server.request("PUT", pinPath(b.id), { token: member.token })).status, 204, "pinning twice changes nothing");
    const full = await server.request("PUT", pinPath(c.id), { token: member.token });
    assert.equal(full.status, 400);
    assert.equal(full.body.code, "MAX_PINS_PER_CHANNEL");

    const first = await server.request("GET", `/channels/${world.channelId}/messages/pins`, { token: member.token, query: { limit: 1 } });
    assert.equal(first.status, 200);
    assert.deepEqual(
      first.body.items.map((item: any) => item.message.id),
      [b.id],
    );
    assert.equal(first.body.has_more, true);
    const second = await server.request("GET", `/channels/${world.channelId}/messages/pins`, {
      token: member.token,
      query: { before: first.body.items[0].pinned_at },
    });
    assert.deepEqual(
      second.body.items.map((item: any) => item.message.id),
      [a.id],
    );

    assert.equal((await server.request("DELETE", pinPath(a.id), { token: member.token })).status, 204);
    const after = await server.request("GET", `/channels/${world.channelId}/messages/pins`, { token: member.token });
    assert.equal(after.body.items.length, 1);

    const audit = await server.request("GET", `/guilds/${world.guildId}/audit-logs`, { token: world.owner.token });
    assert.equal(audit.status, 200);
    const pinEntries = audit.body.audit_log_entries.filter((entry: { action_type: number }) => [74, 75].includes(entry.action_type));
    assert.deepEqual(pinEntries.map((entry: { action_type: number }) => entry.action_type).sort(), [74, 74, 75]);
    assert.equal(pinEntries[0].target_id, member.id);
    await events.settle();
    events.stop();
    assert.equal(events.of("CHANNEL_PINS_UPDATE").length, 3);
    assert.equal(events.of("MESSAGE_CREATE").filter((e) => dataOf(e).type === 6).length, 2);

    // Without PIN_MESSAGES (and MANAGE_MESSAGES) pinning is refused.
    await setOverwrite(server, world, world.channelId, { id: world.guildId, type: 0, deny: Permission.PIN_MESSAGES });
    const denied = await server.request("DELETE", pinPath(b.id), { token: member.token });
    assert.equal(denied.status, 403);
    assert.equal(denied.body.code, "MISSING_PERMISSIONS");
    await removeOverwrite(server, world, world.channelId, world.guildId);
    const unknown = await server.request("PUT", pinPath("123456789012345678"), { token: member.token });
    assert.equal(unknown.body.code, "UNKNOWN_MESSAGE");
  });

  it("needs READ_MESSAGE_HISTORY to pin, unpin or list pins: pinning must not reveal old messages", async () => {
    const old = await say(server, world.owner, world.channelId, "before your time");
    const pinnedEarlier = await say(server, world.owner, world.channelId, "pinned earlier");
    assert.equal((await server.request("PUT", pinPath(pinnedEarlier.id), { token: world.owner.token })).status, 204);
    await setOverwrite(server, world, world.channelId, { id: world.guildId, type: 0, deny: Permission.READ_MESSAGE_HISTORY });
    const events = recordEvents(server);
    const pin = await server.request("PUT", pinPath(old.id), { token: member.token });
    assert.equal(pin.status, 403);
    assert.equal(pin.body.code, "MISSING_PERMISSIONS");
    const unpin = await server.request("DELETE", pinPath(pinnedEarlier.id), { token: member.token });
    assert.equal(unpin.status, 403);
    const list = await server.request("GET", `/channels/${world.channelId}/messages/pins`, { token: member.token });
    assert.equal(list.status, 403);
    await events.settle();
    events.stop();
    assert.equal(events.of("MESSAGE_UPDATE").length, 0, "nothing was announced");
    await removeOverwrite(server, world, world.channelId, world.guildId);
    const pins = await server.request("GET", `/channels/${world.channelId}/messages/pins`, { token: member.token });
    assert.ok(!pins.body.items.some((item: any) => item.message.id === old.id), "the old message was not pinned");
    assert.ok(
      pins.body.items.some((item: any) => item.message.id === pinnedEarlier.id),
      "the pin stayed",
    );
    assert.equal((await server.request("DELETE", pinPath(pinnedEarlier.id), { token: world.owner.token })).status, 204);
  });

  it("announces typing with the member", async () => {
    const events = recordEvents(server);
    const typing = await server.request("POST", `/channels/${world.channelId}/typing`, { token: member.token });
    assert.equal(typing.status, 204);
    await events.settle();
    events.stop();
    const [start] = events.of("TYPING_START");
    const data = dataOf(start);
    assert.equal(data.user_id, member.id);
    assert.equal(data.channel_id, world.channelId);
    assert.equal(data.guild_id, world.guildId);
    assert.ok(Math.abs(data.timestamp - Date.now() / 1000) < 5);
    assert.ok(Array.isArray(data.member.roles));
    assert.equal(data.member.user.id, member.id);
  });

  it("acks messages, pins and channels in bulk, and clears a channel, telling only the user", async () => {
    const message = await say(server, world.owner, world.channelId, "read me");
    const events = recordEvents(server);
    const ack = await server.request("POST", `/channels/${world.channelId}/messages/${message.id}/ack`, {
      token: member.token,
      body: { mention_count: 0 },
    });
    assert.equal(ack.status, 204);
    let states = server.deps.stores.readStates.listForUser(BigInt(member.id));
    assert.equal(states[0]?.lastMessageId, BigInt(message.id));

    assert.equal((await server.request("POST", `/channels/${world.channelId}/pins/ack`, { token: member.token })).status, 204);
    states = server.deps.stores.readStates.listForUser(BigInt(member.id));
    assert.ok(states[0]?.lastPinAt);

    const clear = await server.request("DELETE", `/channels/${world.channelId}/messages/ack`, { token: member.token });
    assert.equal(clear.status, 204);
    assert.deepEqual(server.deps.stores.readStates.listForUser(BigInt(member.id)), []);

    const bulk = await server.request("POST", "/read-states/ack-bulk", {
      token: member.token,
      body: { read_states: [{ channel_id: world.channelId, message_id: message.id }] },
    });
    assert.equal(bulk.status, 204);
    assert.equal(server.deps.stores.readStates.listForUser(BigInt(member.id))[0]?.lastMessageId, BigInt(message.id));

    const unknownChannel = await server.request("POST", "/read-states/ack-bulk", {
      token: member.token,
      body: { read_states: [{ channel_id: "123456789012345678", message_id: message.id }] },
    });
    assert.equal(unknownChannel.status, 404);
    const empty = await server.request("POST", "/read-states/ack-bulk", { token: member.token, body: { read_states: [] } });
    assert.equal(empty.status, 400);
    const unknownMessage = await server.request("POST", `/channels/${world.channelId}/messages/123456789012345678/ack`, {
      token: member.token,
      body: {},
    });
    assert.equal(unknownMessage.body.code, "UNKNOWN_MESSAGE");

    await events.settle();
    events.stop();
    const acks = events.of("MESSAGE_ACK");
    assert.ok(acks.length >= 3);
    for (const event of acks) assert.deepEqual(event.audience, { kind: "users", userIds: [BigInt(member.id)] });
  });
});
