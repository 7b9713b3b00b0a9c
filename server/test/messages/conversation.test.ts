import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { registerUser, startTestServer, type TestServer, type TestUser } from "../support/harness.ts";
import { addMember, createMessageWorld, dataOf, type MessageWorld, openDm, recordEvents, say } from "../support/message-world.ts";

describe("a conversation between two members", () => {
  let server: TestServer;
  let world: MessageWorld;
  let bob: TestUser;
  before(async () => {
    server = await startTestServer();
    world = await createMessageWorld(server, "alice");
    bob = await addMember(server, world, "bob");
  });
  after(() => server.close());

  it("exchanges messages, replies, reacts, pins, edits and deletes, and each side sees the same thing", async () => {
    const alice = world.owner;
    const channel = world.channelId;
    const events = recordEvents(server);

    const hello = await say(server, alice, channel, "hello <@" + bob.id + ">", { nonce: 12345, tts: false });
    assert.equal(hello.content, `hello <@${bob.id}>`);
    assert.equal(hello.author.id, alice.id);
    assert.equal(hello.nonce, "12345");
    assert.equal(hello.type, 0);
    assert.deepEqual(
      hello.mentions.map((u: { id: string }) => u.id),
      [bob.id],
    );

    const reply = await say(server, bob, channel, "hi alice", { message_reference: { message_id: hello.id } });
    assert.equal(reply.type, 19);
    assert.equal(reply.message_reference.message_id, hello.id);
    assert.equal(reply.referenced_message.id, hello.id);
    assert.equal(reply.referenced_message.content, hello.content);
    assert.ok(
      reply.mentions.some((u: { id: string }) => u.id === alice.id),
      "a reply pings the replied author",
    );

    // Both react with the same emoji, bob adds a second one.
    const thumbs = encodeURIComponent("👍");
    const party = encodeURIComponent("🎉");
    for (const user of [alice, bob]) {
      const put = await server.request("PUT", `/channels/${channel}/messages/${reply.id}/reactions/${thumbs}/@me`, { token: user.token });
      assert.equal(put.status, 204, JSON.stringify(put.body));
    }
    await server.request("PUT", `/channels/${channel}/messages/${reply.id}/reactions/${party}/@me`, { token: bob.token });
    const asAlice = await server.request("GET", `/channels/${channel}/messages/${reply.id}`, { token: alice.token });
    assert.equal(asAlice.status, 200);
    assert.deepEqual(
      asAlice.body.reactions.map((r: any) => [r.emoji.name, r.count, r.me]),
      [
        ["👍", 2, true],
        ["🎉", 1, false],
      ],
    );
    const asBob = await server.request("GET", `/channels/${channel}/messages/${reply.id}`, { token: bob.token });
    assert.deepEqual(
      asBob.body.reactions.map((r: any) => [r.emoji.name, r.count, r.me]),
      [
        ["👍", 2, true],
        ["🎉", 1, true],
      ],
    );
    assert.equal(asBob.body.referenced_message.id, hello.id);

    // Pin the first message: it shows up in the pins, pinned, with a pin notice in the channel.
    assert.equal((await server.request("PUT", `/channels/${channel}/pins/${hello.id}`, { token: alice.token })).status, 204);
    const pins = await server.request("GET", `/channels/${channel}/messages/pins`, { token: bob.token });
    assert.equal(pins.status, 200);
    assert.equal(pins.body.has_more, false);
    assert.deepEqual(
      pins.body.items.map((item: any) => [item.message.id, item.message.pinned]),
      [[hello.id, true]],
    );

    // Alice edits; bob sees the new content and the edit time.
    const edited = await server.request("PATCH", `/channels/${channel}/messages/${hello.id}`, {
      token: alice.token,
      body: { content: "hello everyone" },
    });
    assert.equal(edited.status, 200, JSON.stringify(edited.body));
    assert.equal(edited.body.content, "hello everyone");
    assert.ok(edited.body.edited_timestamp);
    assert.deepEqual(edited.body.mentions, []);
    const seen = await server.request("GET", `/channels/${channel}/messages/${hello.id}`, { token: bob.token });
    assert.equal(seen.body.content, "hello everyone");
    assert.equal(seen.body.pinned, true);

    // Bob deletes his reply; it is gone for alice too.
    assert.equal((await server.request("DELETE", `/channels/${channel}/messages/${reply.id}`, { token: bob.token })).status, 204);
    const gone = await server.request("GET", `/channels/${channel}/messages/${reply.id}`, { token: alice.token });
    assert.equal(gone.status, 404);
    assert.equal(gone.body.code, "UNKNOWN_MESSAGE");

    const history = await server.request("GET", `/channels/${channel}/messages`, { token: bob.token });
    assert.deepEqual(
      history.body.map((m: any) => m.type),
      [6, 0],
      "the pin notice, then the edited message",
    );
    assert.equal(history.body[0].message_reference.message_id, hello.id);

    await events.settle();
    events.stop();
    const create = events.of("MESSAGE_CREATE")[0];
    assert.deepEqual(create?.audience, { kind: "guild", guildId: BigInt(world.guildId), channelId: BigInt(channel) });
    assert.equal(dataOf(create).guild_id, world.guildId);
    assert.equal(dataOf(create).member.roles.length, 0);
    assert.equal(events.of("MESSAGE_REACTION_ADD").length, 3);
    assert.equal(events.of("CHANNEL_PINS_UPDATE").length, 1);
    assert.ok(events.of("MESSAGE_UPDATE").some((e) => dataOf(e).pinned === true));
    assert.deepEqual(events.of("MESSAGE_DELETE")[0]?.data, { id: reply.id, channel_id: channel, guild_id: world.guildId });
  });

  it("talks in a DM: only the recipients hear of it", async () => {
    const carol = await registerUser(server, "carol");
    const dan = await registerUser(server, "dan");
    const dm = await openDm(server, carol, dan);
    const events = recordEvents(server);
    const sent = await say(server, carol, dm, "psst @everyone");
    assert.equal(sent.mention_everyone, false);
    const read = await server.request("GET", `/channels/${dm}/messages`, { token: dan.token });
    assert.deepEqual(
      read.body.map((m: any) => m.id),
      [sent.id],
    );
    const outsider = await server.request("GET", `/channels/${dm}/messages`, { token: bob.token });
    assert.equal(outsider.status, 403);
    await events.settle();
    events.stop();
    assert.deepEqual(events.of("MESSAGE_CREATE")[0]?.audience, { kind: "users", userIds: [BigInt(carol.id), BigInt(dan.id)] });
  });
});

describe("history paging", () => {
  let server: TestServer;
  let world: MessageWorld;
  let ids: string[]; // oldest first
  before(async () => {
    server = await startTestServer();
    world = await createMessageWorld(server);
    ids = [];
    for (let i = 0; i < 30; i++) ids.push((await say(server, world.owner, world.channelId, `message ${i}`)).id);
  });
  after(() => server.close());

  const page = async (query: Record<string, string | number>) => {
    const response = await server.request("GET", `/channels/${world.channelId}/messages`, { token: world.owner.token, query });
    assert.equal(response.status, 200, JSON.stringify(response.body));
    return response.body.map((m: { id: string }) => m.id) as string[];
  };

  it("returns the newest first and pages backwards with before, seeing every message once", async () => {
    const seen: string[] = [];
    let batch = await page({ limit: 10 });
    while (batch.length > 0) {
      seen.push(...batch);
      batch = await page({ limit: 10, before: batch.at(-1) as string });
    }
    assert.deepEqual(seen, [...ids].reverse());
  });

  it("pages forwards with after, each page newest first, seeing every message once", async () => {
    const seen: string[] = [];
    let cursor = "0";
    for (;;) {
      const batch = await page({ limit: 10, after: cursor });
      if (batch.length === 0) break;
      assert.deepEqual(
        batch,
        [...batch].sort((a, b) => (BigInt(b) > BigInt(a) ? 1 : -1)),
      );
      seen.push(...[...batch].reverse());
      cursor = batch[0] as string;
    }
    assert.deepEqual(seen, ids);
  });

  it("centres a page on a message with around", async () => {
    const middle = ids[15] as string;
    const batch = await page({ limit: 10, around: middle });
    assert.deepEqual(batch, ids.slice(10, 20).reverse());
  });

  it("refuses limits outside 1..100 and ids that are not snowflakes", async () => {
    const queries: Record<string, string | number>[] = [{ limit: 0 }, { limit: 101 }, { before: "abc" }];
    for (const query of queries) {
      const response = await server.request("GET", `/channels/${world.channelId}/messages`, { token: world.owner.token, query });
      assert.equal(response.status, 400, JSON.stringify(query));
      assert.equal(response.body.code, "INVALID_FORM_BODY");
    }
  });
});
