/** The bounds on op 8 (REQUEST_GUILD_MEMBERS) and op 14 (LAZY_REQUEST) work per session and per request. */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { newUserRecord } from "../../src/features/users/user-records.ts";
import { MEMBER_REQUEST_WINDOW_MS } from "../../src/gateway/member-requests.ts";
import type { TestUser } from "../support/harness.ts";
import type { TestGuild } from "../support/invite-world.ts";
import { settle } from "./gateway-client.ts";
import { type GatewayServer, guildWithMembers, startGatewayServer } from "./gateway-world.ts";

describe("gateway member requests", () => {
  let server: GatewayServer;
  let owner: TestUser;
  let guild: TestGuild;
  before(async () => {
    server = await startGatewayServer();
    ({ owner, guild } = await guildWithMembers(server, "mr_owner", "mr_member"));
    // 1000 more members, straight into the stores: a guild bigger than one request may return.
    const { stores, ids } = server.deps;
    for (let i = 0; i < 1000; i++) {
      const user = stores.users.create(
        newUserRecord({ id: ids.next(), username: `mr_bulk${i}`, discriminator: "0001", createdAt: Date.now() }),
      );
      stores.members.add({
        guildId: BigInt(guild.id),
        userId: user.id,
        nick: null,
        avatar: null,
        roleIds: [],
        joinedAt: Date.now(),
        communicationDisabledUntil: null,
        mute: false,
        deaf: false,
      });
    }
  });
  after(() => server.close());

  it("answers 3 REQUEST_GUILD_MEMBERS per 10 s per session and RATE_LIMITED to the rest, without closing", async () => {
    const ws = await server.login(owner);
    for (const nonce of ["a", "b", "c", "d"]) ws.send(8, { guild_id: guild.id, query: "mr_member", limit: 1, nonce });
    for (const nonce of ["a", "b", "c"]) await ws.dispatch("GUILD_MEMBERS_CHUNK", (d) => d.nonce === nonce);
    const limited = await ws.dispatch("RATE_LIMITED");
    assert.equal(limited.d.opcode, 8);
    assert.deepEqual(limited.d.meta, { guild_id: guild.id, nonce: "d" });
    assert.ok(
      limited.d.retry_after > 0 && limited.d.retry_after <= MEMBER_REQUEST_WINDOW_MS / 1000,
      `retry_after ${limited.d.retry_after}`,
    );
    await settle(ws, "owner");
    assert.deepEqual(
      ws.seen("GUILD_MEMBERS_CHUNK").map((f) => f.d.nonce),
      ["a", "b", "c"],
    );
    assert.equal(ws.seen("RATE_LIMITED").length, 1);
    // Another session has its own allowance; this one gets answers again once the window has passed.
    const other = await server.login(owner);
    other.send(8, { guild_id: guild.id, query: "mr_member", limit: 1, nonce: "other" });
    await other.dispatch("GUILD_MEMBERS_CHUNK", (d) => d.nonce === "other");
    const clock = server.deps.clock;
    server.deps.clock = () => clock() + MEMBER_REQUEST_WINDOW_MS;
    try {
      ws.send(8, { guild_id: guild.id, query: "mr_member", limit: 1, nonce: "later" });
      await ws.dispatch("GUILD_MEMBERS_CHUNK", (d) => d.nonce === "later");
    } finally {
      server.deps.clock = clock;
    }
    await ws.close();
    await other.close();
  });

  it("returns at most 1000 members for a request without a query, whatever its limit", async () => {
    const ws = await server.login(owner);
    ws.send(8, { guild_id: guild.id, query: "", limit: 0, nonce: "all" });
    ws.send(8, { guild_id: guild.id, query: "", limit: 5000, nonce: "many" });
    for (const nonce of ["all", "many"]) {
      const chunk = await ws.dispatch("GUILD_MEMBERS_CHUNK", (d) => d.nonce === nonce);
      assert.equal(chunk.d.members.length, 1000);
      assert.equal(chunk.d.chunk_count, 1);
    }
    await ws.close();
  });

  it("serves 2 member lists per LAZY_REQUEST, with 200 list items across their ranges", async () => {
    const channelIds: string[] = [guild.channelId];
    for (const name of ["lists-b", "lists-c"]) {
      const made = await server.request("POST", `/guilds/${guild.id}/channels`, { token: owner.token, body: { name, type: 0 } });
      assert.equal(made.status, 200, JSON.stringify(made.body));
      channelIds.push(made.body.id);
    }
    const [first, second, third] = channelIds as [string, string, string];
    const ws = await server.login(owner);
    ws.send(14, {
      subscriptions: {
        [guild.id]: {
          member_list_channels: {
            [first]: [
              [0, 99],
              [100, 149],
            ],
            [second]: [
              [0, 99],
              [100, 199],
            ],
            [third]: [[0, 99]],
          },
        },
      },
    });
    const one = await ws.dispatch("GUILD_MEMBER_LIST_UPDATE", (d) => d.id === first);
    const two = await ws.dispatch("GUILD_MEMBER_LIST_UPDATE", (d) => d.id === second);
    await settle(ws, "owner");
    const ranges = (update: typeof one) => update.d.ops.map((op: any) => op.range);
    assert.deepEqual(ranges(one), [
      [0, 99],
      [100, 149],
    ]);
    assert.deepEqual(ranges(two), [[0, 49]], "cut to what is left of the 200 items");
    assert.equal(one.d.member_count, 1002);
    // Over 1000 offline members the offline group is not listed (upstream's render threshold): only the owner is online.
    assert.deepEqual(one.d.groups, [{ id: "online", count: 1 }]);
    assert.equal(one.d.ops[0].items.length, 2);
    assert.equal(ws.seen("GUILD_MEMBER_LIST_UPDATE").length, 2, "no third list");
    await ws.close();
  });

  it("takes the app's scroll range (viewport plus 50 rows either side) and syncs it in spans of 100", async () => {
    const ws = await server.login(owner);
    ws.send(14, { subscriptions: { [guild.id]: { member_list_channels: { [guild.channelId]: [[30, 180]] } } } });
    const update = await ws.dispatch("GUILD_MEMBER_LIST_UPDATE");
    assert.deepEqual(
      update.d.ops.map((op: any) => [op.op, op.range]),
      [
        ["SYNC", [30, 129]],
        ["SYNC", [130, 180]],
      ],
    );
    await ws.close();
  });
});
