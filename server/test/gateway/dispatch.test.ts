import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { registerUser } from "../support/harness.ts";
import { settle } from "./gateway-client.ts";
import { type GatewayServer, guildWithHiddenChannel, guildWithMembers, startGatewayServer } from "./gateway-world.ts";

const THUMBS = encodeURIComponent("👍");

describe("gateway dispatch", () => {
  let server: GatewayServer;
  before(async () => {
    server = await startGatewayServer();
  });
  after(() => server.close());

  it("two members see each other's messages, edits, deletions, reactions and typing (driven through REST)", async () => {
    const { owner, guild, members } = await guildWithMembers(server, "d_owner", "d_alice", "d_bob");
    const [alice, bob] = members as [(typeof members)[0], (typeof members)[0]];
    const aliceWs = await server.login(alice);
    const bobWs = await server.login(bob);

    const sent = await server.request("POST", `/channels/${guild.channelId}/messages`, { token: alice.token, body: { content: "hi bob" } });
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    const created = await bobWs.dispatch("MESSAGE_CREATE", (d) => d.id === sent.body.id);
    assert.equal(created.d.content, "hi bob");
    assert.equal(created.d.guild_id, guild.id);
    assert.equal(created.d.author.id, alice.id);
    await aliceWs.dispatch("MESSAGE_CREATE", (d) => d.id === sent.body.id);

    const reply = await server.request("POST", `/channels/${guild.channelId}/messages`, {
      token: bob.token,
      body: { content: "hi alice" },
    });
    await aliceWs.dispatch("MESSAGE_CREATE", (d) => d.id === reply.body.id && d.author.id === bob.id);

    const edited = await server.request("PATCH", `/channels/${guild.channelId}/messages/${sent.body.id}`, {
      token: alice.token,
      body: { content: "hi bob!" },
    });
    assert.equal(edited.status, 200, JSON.stringify(edited.body));
    assert.equal((await bobWs.dispatch("MESSAGE_UPDATE", (d) => d.id === sent.body.id)).d.content, "hi bob!");

    const reacted = await server.request("PUT", `/channels/${guild.channelId}/messages/${reply.body.id}/reactions/${THUMBS}/@me`, {
      token: alice.token,
    });
    assert.equal(reacted.status, 204, JSON.stringify(reacted.body));
    const reaction = await bobWs.dispatch("MESSAGE_REACTION_ADD", (d) => d.message_id === reply.body.id);
    assert.equal(reaction.d.user_id, alice.id);
    assert.equal(reaction.d.emoji.name, "👍");
    const unreacted = await server.request("DELETE", `/channels/${guild.channelId}/messages/${reply.body.id}/reactions/${THUMBS}/@me`, {
      token: alice.token,
    });
    assert.equal(unreacted.status, 204);
    await bobWs.dispatch("MESSAGE_REACTION_REMOVE", (d) => d.message_id === reply.body.id && d.user_id === alice.id);

    const typing = await server.request("POST", `/channels/${guild.channelId}/typing`, { token: bob.token });
    assert.equal(typing.status, 204);
    const started = await aliceWs.dispatch("TYPING_START", (d) => d.user_id === bob.id);
    assert.equal(started.d.channel_id, guild.channelId);

    const deleted = await server.request("DELETE", `/channels/${guild.channelId}/messages/${sent.body.id}`, { token: alice.token });
    assert.equal(deleted.status, 204);
    await bobWs.dispatch("MESSAGE_DELETE", (d) => d.id === sent.body.id && d.channel_id === guild.channelId);

    // Every dispatch has its own seq, one more than the last, per session.
    for (const client of [aliceWs, bobWs]) {
      const seqs = client.frames.filter((f) => f.op === 0).map((f) => f.s);
      assert.deepEqual(
        seqs,
        seqs.map((_, i) => i + 1),
      );
    }
    assert.ok(owner);
    await aliceWs.close();
    await bobWs.close();
  });

  it("serialises an event's d once for all its recipients, each frame with the session's own s", async () => {
    const { owner, guild, members } = await guildWithMembers(server, "once_owner", "once_a", "once_b");
    const clients = [
      await server.login(owner),
      await server.login(members[0]!),
      await server.login(members[1]!),
      await server.login(owner),
    ];
    const data = { guild_id: guild.id, marker: "serialised-once" };
    const stringify = JSON.stringify;
    let calls = 0;
    JSON.stringify = ((value: unknown, ...rest: any[]) => {
      if (value === data) calls++;
      return stringify(value, ...rest);
    }) as typeof JSON.stringify;
    try {
      server.deps.bus.publish({ type: "GUILD_UPDATE", audience: { kind: "guild", guildId: BigInt(guild.id) }, data });
      for (const c of clients) await c.dispatch("GUILD_UPDATE", (d) => d.marker === "serialised-once");
    } finally {
      JSON.stringify = stringify;
    }
    assert.equal(calls, 1, "one serialisation for four sessions");
    for (const c of clients) {
      const dispatches = c.frames.filter((f) => f.op === 0);
      const index = dispatches.findIndex((f) => f.t === "GUILD_UPDATE" && f.d.marker === "serialised-once");
      assert.equal(dispatches[index]!.s, index + 1, "its own next seq");
      await c.close();
    }
  });

  it("a member without VIEW_CHANNEL on a channel receives nothing from it", async () => {
    const { owner, guild, insider, outsider, secretId } = await guildWithHiddenChannel(server, "v");

    const insiderWs = await server.login(insider);
    const outsiderWs = await server.login(outsider);
    const readyChannels = (await outsiderWs.dispatch("READY")).d.guilds[0].channels.map((c: any) => c.id);
    assert.ok(!readyChannels.includes(secretId), "READY leaves out the hidden channel");
    assert.ok(readyChannels.includes(guild.channelId));

    const hidden = await server.request("POST", `/channels/${secretId}/messages`, {
      token: insider.token,
      body: { content: "psst" },
    });
    assert.equal(hidden.status, 200);
    await server.request("POST", `/channels/${secretId}/typing`, { token: insider.token });
    await server.request("PUT", `/channels/${secretId}/messages/${hidden.body.id}/reactions/${THUMBS}/@me`, { token: owner.token });
    await insiderWs.dispatch("MESSAGE_REACTION_ADD", (d) => d.message_id === hidden.body.id);
    // A message in a visible channel afterwards proves the outsider's socket is live and caught up.
    const open = await server.request("POST", `/channels/${guild.channelId}/messages`, {
      token: insider.token,
      body: { content: "hello all" },
    });
    await outsiderWs.dispatch("MESSAGE_CREATE", (d) => d.id === open.body.id);
    await settle(outsiderWs, "outsider");

    const leaked = outsiderWs.frames.filter((f) => f.op === 0 && JSON.stringify(f.d ?? null).includes(secretId));
    assert.deepEqual(
      leaked.map((f) => f.t),
      [],
    );
    await insiderWs.close();
    await outsiderWs.close();
  });

  it("a kicked member's sessions get GUILD_DELETE and nothing from the guild after it", async () => {
    const { owner, guild, members } = await guildWithMembers(server, "k_owner", "k_victim", "k_witness");
    const [victim, witness] = members as [(typeof members)[0], (typeof members)[0]];
    const phone = await server.login(victim);
    const laptop = await server.login(victim);
    const witnessWs = await server.login(witness);

    const kicked = await server.request("DELETE", `/guilds/${guild.id}/members/${victim.id}`, { token: owner.token });
    assert.equal(kicked.status, 204, JSON.stringify(kicked.body));
    for (const ws of [phone, laptop]) await ws.dispatch("GUILD_DELETE", (d) => d.id === guild.id);
    await witnessWs.dispatch("GUILD_MEMBER_REMOVE", (d) => d.user.id === victim.id);

    const after = await server.request("POST", `/channels/${guild.channelId}/messages`, {
      token: witness.token,
      body: { content: "gone" },
    });
    await server.request("POST", `/channels/${guild.channelId}/typing`, { token: witness.token });
    await server.request("PATCH", `/guilds/${guild.id}`, { token: owner.token, body: { name: "renamed" } });
    await witnessWs.dispatch("MESSAGE_CREATE", (d) => d.id === after.body.id);
    await witnessWs.dispatch("GUILD_UPDATE", (d) => d.name === "renamed");
    for (const ws of [phone, laptop]) {
      await settle(ws, "victim");
      const dispatches = ws.frames.filter((f) => f.op === 0);
      const index = dispatches.findIndex((f) => f.t === "GUILD_DELETE");
      assert.deepEqual(
        dispatches.slice(index + 1).map((f) => f.t),
        [],
        "nothing after GUILD_DELETE",
      );
    }
    for (const ws of [phone, laptop, witnessWs]) await ws.close();
  });

  it("a user who joins through an invite gets GUILD_CREATE and the guild's events from then on", async () => {
    const { owner, guild, inviteCode } = await guildWithMembers(server, "j_owner");
    const newcomer = await registerUser(server, "j_newcomer");
    const ws = await server.login(newcomer);
    assert.deepEqual((await ws.dispatch("READY")).d.guilds, []);
    const ownerWs = await server.login(owner);
    const joined = await server.request("POST", `/invites/${inviteCode}`, { token: newcomer.token });
    assert.equal(joined.status, 200);
    const created = await ws.dispatch("GUILD_CREATE", (d) => d.id === guild.id);
    assert.ok(created.d.properties && Array.isArray(created.d.channels) && created.d.joined_at);
    await ownerWs.dispatch("GUILD_MEMBER_ADD", (d) => d.user.id === newcomer.id);
    const hello = await server.request("POST", `/channels/${guild.channelId}/messages`, {
      token: owner.token,
      body: { content: "welcome" },
    });
    await ws.dispatch("MESSAGE_CREATE", (d) => d.id === hello.body.id);

    // A guild the user creates arrives the same way, in Fluxer's shape.
    const made = await server.request("POST", "/guilds", { token: newcomer.token, body: { name: "my own" } });
    assert.equal(made.status, 200);
    const own = await ws.dispatch("GUILD_CREATE", (d) => d.id === made.body.id);
    assert.equal(own.d.properties.name, "my own");
    assert.equal(own.d.member_count, 1);
    await ws.close();
    await ownerWs.close();
  });

  it("DMs reach their recipients only, and READY lists them in private_channels", async () => {
    const { members } = await guildWithMembers(server, "dm_owner", "dm_ann", "dm_ben", "dm_cat");
    const [ann, ben, cat] = members as [(typeof members)[0], (typeof members)[0], (typeof members)[0]];
    const opened = await server.request("POST", "/users/@me/channels", { token: ann.token, body: { recipient_id: ben.id } });
    assert.equal(opened.status, 200, JSON.stringify(opened.body));
    const benWs = await server.login(ben);
    const catWs = await server.login(cat);
    const dm = (await benWs.dispatch("READY")).d.private_channels.find((c: any) => c.id === opened.body.id);
    assert.ok(dm, "the DM is in READY");
    assert.deepEqual(
      dm.recipients.map((r: any) => r.id),
      [ann.id],
    );
    const sent = await server.request("POST", `/channels/${opened.body.id}/messages`, { token: ann.token, body: { content: "just us" } });
    assert.equal(sent.status, 200);
    await benWs.dispatch("MESSAGE_CREATE", (d) => d.id === sent.body.id);
    await settle(catWs, "cat");
    assert.ok(!catWs.seen("MESSAGE_CREATE").some((f) => f.d.id === sent.body.id));
    await benWs.close();
    await catWs.close();
  });

  it("REQUEST_GUILD_MEMBERS answers with GUILD_MEMBERS_CHUNK by query, by user_ids and with a nonce", async () => {
    const { owner, guild, members } = await guildWithMembers(server, "r_owner", "r_zed", "r_zoe", "r_amy");
    const ws = await server.login(owner);
    ws.send(8, { guild_id: guild.id, query: "r_z", limit: 10, nonce: "q1" });
    const byQuery = await ws.dispatch("GUILD_MEMBERS_CHUNK", (d) => d.nonce === "q1");
    assert.deepEqual(byQuery.d.members.map((m: any) => m.user.username).sort(), ["r_zed", "r_zoe"]);
    assert.equal(byQuery.d.guild_id, guild.id);
    assert.equal(byQuery.d.chunk_index, 0);
    assert.equal(byQuery.d.chunk_count, 1);

    ws.send(8, { guild_id: guild.id, user_ids: [members[2]!.id, "123456789012345678"], presences: true, nonce: "q2" });
    const byIds = await ws.dispatch("GUILD_MEMBERS_CHUNK", (d) => d.nonce === "q2");
    assert.deepEqual(
      byIds.d.members.map((m: any) => m.user.id),
      [members[2]!.id],
    );
    assert.deepEqual(byIds.d.not_found, ["123456789012345678"]);
    assert.ok(Array.isArray(byIds.d.presences));

    ws.send(8, { guild_id: guild.id, query: "", limit: 2, nonce: "q3" });
    assert.equal((await ws.dispatch("GUILD_MEMBERS_CHUNK", (d) => d.nonce === "q3")).d.members.length, 2);
    await ws.close();
  });

  it("LAZY_REQUEST answers with a GUILD_MEMBER_LIST_UPDATE SYNC of the range, grouped online/offline", async () => {
    const { owner, guild, members } = await guildWithMembers(server, "l_owner", "l_online", "l_offline");
    const ws = await server.login(owner);
    const online = await server.login(members[0]!);
    ws.send(14, { subscriptions: { [guild.id]: { member_list_channels: { [guild.channelId]: [[0, 99]] } } } });
    const update = await ws.dispatch("GUILD_MEMBER_LIST_UPDATE");
    assert.equal(update.d.guild_id, guild.id);
    assert.equal(update.d.member_count, 3);
    assert.deepEqual(update.d.groups, [
      { id: "online", count: 2 },
      { id: "offline", count: 1 },
    ]);
    const [sync] = update.d.ops;
    assert.equal(sync.op, "SYNC");
    assert.deepEqual(sync.range, [0, 99]);
    const shape = sync.items.map((item: any) => (item.group ? `#${item.group.id}` : item.member.user.username));
    assert.deepEqual(shape, ["#online", "l_online", "l_owner", "#offline", "l_offline"]);
    assert.equal(sync.items[1].member.presence.status, "online");

    // Discord's shape of the same request works too.
    ws.send(14, { guild_id: guild.id, channels: { [guild.channelId]: [[0, 1]] } });
    const small = await ws.dispatch("GUILD_MEMBER_LIST_UPDATE", (d) => d.ops[0].range[1] === 1);
    assert.equal(small.d.ops[0].items.length, 2);
    await ws.close();
    await online.close();
  });
});
