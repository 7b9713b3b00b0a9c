/**
 * Op 14 member lists as the Fluxer app asks for and renders them: the frames it sends, a SYNC with
 * its groups and counts, and the updates that keep the list right as members join, come online,
 * get a hoisted role and leave. The ops are applied here the way the app's MemberSidebarStore
 * applies them, and the resulting rows compared with the list a user should see.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Permission } from "../../src/permissions.ts";
import type { TestUser } from "../support/harness.ts";
import { registerUser } from "../support/harness.ts";
import type { TestGuild } from "../support/invite-world.ts";
import { type GatewayClient, type GatewayFrame, settle } from "./gateway-client.ts";
import { type GatewayServer, guildWithHiddenChannel, startGatewayServer } from "./gateway-world.ts";

/** The app's member-list state for one list: rows by index, plus the header it was last sent. */
class ClientList {
  rows = new Map<number, any>();
  groups: { id: string; count: number }[] = [];
  memberCount = 0;
  onlineCount = 0;

  apply(d: any): void {
    for (const op of d.ops) {
      if (op.op === "SYNC") {
        const [start, end] = op.range;
        for (let i = start; i <= end; i++) this.rows.delete(i);
        for (const [i, item] of (op.items as any[]).entries()) this.rows.set(start + i, item);
      } else if (op.op === "INSERT") {
        this.rows = new Map([...this.rows].map(([i, row]) => [i >= op.index ? i + 1 : i, row]));
        this.rows.set(op.index, op.item);
      } else if (op.op === "UPDATE") {
        this.rows.set(op.index, op.item);
      } else if (op.op === "DELETE") {
        this.rows = new Map([...this.rows].filter(([i]) => i !== op.index).map(([i, row]) => [i > op.index ? i - 1 : i, row]));
      } else if (op.op === "INVALIDATE") {
        for (let i = op.range[0]; i <= op.range[1]; i++) this.rows.delete(i);
      }
    }
    this.groups = d.groups;
    this.memberCount = d.member_count;
    this.onlineCount = d.online_count;
    // The app keeps only the rows its group layout has room for.
    const shown = this.groups.filter((g) => g.count > 0);
    const total = shown.length > 0 ? shown.reduce((n, g) => n + g.count + 1, 0) : this.memberCount;
    for (const i of [...this.rows.keys()]) if (i >= total) this.rows.delete(i);
  }

  /** The rows in order, e.g. `["# online 2", "alice online", ...]`; a missing row shows as "?". */
  render(): string[] {
    const total = Math.max(-1, ...this.rows.keys()) + 1;
    return Array.from({ length: total }, (_, i) => {
      const row = this.rows.get(i);
      if (!row) return "?";
      if (row.group) return `# ${row.group.id} ${row.group.count}`;
      return `${row.member.nick ?? row.member.user.username} ${row.member.presence.status}`;
    });
  }
}

const LIST_UPDATE = "GUILD_MEMBER_LIST_UPDATE";

/** What the app sends when a guild is selected and its member list shown. */
function subscribeLikeTheApp(ws: GatewayClient, guildId: string, channelId: string, ranges: [number, number][] = [[0, 99]]) {
  ws.send(14, { subscriptions: { [guildId]: { active: true, sync: true } } });
  ws.send(14, { subscriptions: { [guildId]: { member_list_channels: { [channelId]: ranges } } } });
}

/**
 * Applies every list update for `channelId` from frame `from` on until the list reads `expected`
 * (fails on the socket's wait timeout, showing what it read last). Returns the next frame index.
 */
async function listBecomes(ws: GatewayClient, list: ClientList, channelId: string, from: number, expected: string[]): Promise<number> {
  let index = from;
  for (;;) {
    let frame: GatewayFrame;
    try {
      frame = await ws.next((f) => f.op === 0 && f.t === LIST_UPDATE && f.d.id === channelId, LIST_UPDATE, index);
    } catch (error) {
      assert.deepEqual(list.render(), expected, `the list never became what was expected (${(error as Error).message})`);
      throw error;
    }
    index = ws.frames.indexOf(frame) + 1;
    list.apply(frame.d);
    if (JSON.stringify(list.render()) === JSON.stringify(expected)) return index;
  }
}

describe("gateway member lists (op 14)", () => {
  let server: GatewayServer;
  let owner: TestUser;
  let insider: TestUser;
  let outsider: TestUser;
  let guild: TestGuild;
  let secretId: string;
  let modsId: string;
  before(async () => {
    // A short resume window: a closed socket's user goes offline soon (lists then show it).
    server = await startGatewayServer({ gateway: { resume_window_ms: 300 } });
    ({ owner, insider, outsider, guild, secretId } = await guildWithHiddenChannel(server, "ml"));
    const mods = await server.request("POST", `/guilds/${guild.id}/roles`, { token: owner.token, body: { name: "Mods", hoist: true } });
    assert.equal(mods.status, 200, JSON.stringify(mods.body));
    modsId = mods.body.id;
    const given = await server.request("PUT", `/guilds/${guild.id}/members/${insider.id}/roles/${modsId}`, { token: owner.token });
    assert.equal(given.status, 204, JSON.stringify(given.body));
  });
  after(() => server.close());

  it("answers the app's op 14 with a SYNC: hoisted role group, online, offline, and the counts", async () => {
    const insiderWs = await server.login(insider);
    const ws = await server.login(owner);
    subscribeLikeTheApp(ws, guild.id, guild.channelId);
    const update = await ws.dispatch(LIST_UPDATE);
    assert.equal(update.d.guild_id, guild.id);
    assert.equal(update.d.id, guild.channelId, "the list id is the channel id, as upstream's");
    assert.equal(update.d.member_count, 3);
    assert.equal(update.d.online_count, 2);
    assert.deepEqual(update.d.groups, [
      { id: modsId, count: 1 },
      { id: "online", count: 1 },
      { id: "offline", count: 1 },
    ]);
    assert.equal(update.d.ops.length, 1);
    assert.equal(update.d.ops[0].op, "SYNC");
    assert.deepEqual(update.d.ops[0].range, [0, 99]);
    const list = new ClientList();
    list.apply(update.d);
    assert.deepEqual(list.render(), [
      `# ${modsId} 1`,
      "ml_insider online",
      "# online 1",
      "ml_owner online",
      "# offline 1",
      "ml_outsider offline",
    ]);
    // Each member item is a full guild member, with the presence the app shows.
    const item = update.d.ops[0].items[1].member;
    assert.equal(item.user.id, insider.id);
    assert.deepEqual(item.roles, [modsId]);
    assert.equal(item.presence.status, "online");
    assert.equal(item.presence.guild_id, guild.id);
    await ws.close();
    await insiderWs.close();
  });

  it("lists only members who can see the channel, and gives nothing to one who cannot", async () => {
    const ws = await server.login(owner);
    subscribeLikeTheApp(ws, guild.id, secretId);
    const list = new ClientList();
    await listBecomes(ws, list, secretId, 0, ["# online 1", "ml_owner online", "# offline 1", "ml_insider offline"]);
    assert.equal(list.memberCount, 2);

    const outsiderWs = await server.login(outsider);
    subscribeLikeTheApp(outsiderWs, guild.id, secretId);
    await settle(outsiderWs, "outsider");
    assert.equal(outsiderWs.seen(LIST_UPDATE).length, 0);
    await outsiderWs.close();
    await ws.close();
  });

  it("keeps a subscribed list right as a member joins, comes online, gets a hoisted role, and leaves", async () => {
    const ws = await server.login(owner);
    subscribeLikeTheApp(ws, guild.id, guild.channelId);
    const list = new ClientList();
    // The insider (hoisted role, but offline) is under offline: roles group online members only.
    let from = await listBecomes(ws, list, guild.channelId, 0, [
      "# online 1",
      "ml_owner online",
      "# offline 2",
      "ml_insider offline",
      "ml_outsider offline",
    ]);

    // Joins (offline: not connected yet).
    const invite = await server.request("POST", `/channels/${guild.channelId}/invites`, { token: owner.token, body: { max_age: 0 } });
    const newcomer = await registerUser(server, "ml_newcomer");
    const joined = await server.request("POST", `/invites/${invite.body.code}`, { token: newcomer.token });
    assert.equal(joined.status, 200, JSON.stringify(joined.body));
    from = await listBecomes(ws, list, guild.channelId, from, [
      "# online 1",
      "ml_owner online",
      "# offline 3",
      "ml_insider offline",
      "ml_newcomer offline",
      "ml_outsider offline",
    ]);

    // Comes online, then goes idle.
    const newcomerWs = await server.login(newcomer);
    from = await listBecomes(ws, list, guild.channelId, from, [
      "# online 2",
      "ml_newcomer online",
      "ml_owner online",
      "# offline 2",
      "ml_insider offline",
      "ml_outsider offline",
    ]);
    newcomerWs.send(3, { status: "idle", afk: true, custom_status: null });
    from = await listBecomes(ws, list, guild.channelId, from, [
      "# online 2",
      "ml_newcomer idle",
      "ml_owner online",
      "# offline 2",
      "ml_insider offline",
      "ml_outsider offline",
    ]);

    // A nickname re-sorts them within the group.
    const nick = await server.request("PATCH", `/guilds/${guild.id}/members/@me`, { token: newcomer.token, body: { nick: "zz_new" } });
    assert.equal(nick.status, 200, JSON.stringify(nick.body));
    from = await listBecomes(ws, list, guild.channelId, from, [
      "# online 2",
      "ml_owner online",
      "zz_new idle",
      "# offline 2",
      "ml_insider offline",
      "ml_outsider offline",
    ]);

    // Gets the hoisted role: moves into its group.
    const given = await server.request("PUT", `/guilds/${guild.id}/members/${newcomer.id}/roles/${modsId}`, { token: owner.token });
    assert.equal(given.status, 204);
    from = await listBecomes(ws, list, guild.channelId, from, [
      `# ${modsId} 1`,
      "zz_new idle",
      "# online 1",
      "ml_owner online",
      "# offline 2",
      "ml_insider offline",
      "ml_outsider offline",
    ]);

    // Leaves.
    const left = await server.request("DELETE", `/users/@me/guilds/${guild.id}`, { token: newcomer.token });
    assert.equal(left.status, 204, JSON.stringify(left.body));
    await listBecomes(ws, list, guild.channelId, from, [
      "# online 1",
      "ml_owner online",
      "# offline 2",
      "ml_insider offline",
      "ml_outsider offline",
    ]);
    assert.equal(list.memberCount, 3);
    assert.equal(list.onlineCount, 1);
    await newcomerWs.close();
    await ws.close();
  });

  it("follows the channel's audience: a member let in by an overwrite joins its list", async () => {
    const ws = await server.login(owner);
    subscribeLikeTheApp(ws, guild.id, secretId);
    const list = new ClientList();
    const from = await listBecomes(ws, list, secretId, 0, ["# online 1", "ml_owner online", "# offline 1", "ml_insider offline"]);
    const allowed = await server.request("PUT", `/channels/${secretId}/permissions/${outsider.id}`, {
      token: owner.token,
      body: { type: 1, allow: Permission.VIEW_CHANNEL.toString(), deny: "0" },
    });
    assert.equal(allowed.status, 204, JSON.stringify(allowed.body));
    try {
      await listBecomes(ws, list, secretId, from, [
        "# online 1",
        "ml_owner online",
        "# offline 2",
        "ml_insider offline",
        "ml_outsider offline",
      ]);
    } finally {
      const denied = await server.request("PUT", `/channels/${secretId}/permissions/${outsider.id}`, {
        token: owner.token,
        body: { type: 1, allow: "0", deny: Permission.VIEW_CHANNEL.toString() },
      });
      assert.equal(denied.status, 204);
    }
    await ws.close();
  });

  it("regroups when a role stops or starts being hoisted", async () => {
    const insiderWs = await server.login(insider);
    const ws = await server.login(owner);
    subscribeLikeTheApp(ws, guild.id, guild.channelId);
    const list = new ClientList();
    const grouped = [`# ${modsId} 1`, "ml_insider online", "# online 1", "ml_owner online", "# offline 1", "ml_outsider offline"];
    let from = await listBecomes(ws, list, guild.channelId, 0, grouped);
    const hoist = (value: boolean) =>
      server.request("PATCH", `/guilds/${guild.id}/roles/${modsId}`, { token: owner.token, body: { hoist: value } });
    try {
      assert.equal((await hoist(false)).status, 200);
      from = await listBecomes(ws, list, guild.channelId, from, [
        "# online 2",
        "ml_insider online",
        "ml_owner online",
        "# offline 1",
        "ml_outsider offline",
      ]);
    } finally {
      assert.equal((await hoist(true)).status, 200);
    }
    await listBecomes(ws, list, guild.channelId, from, grouped);
    await ws.close();
    await insiderWs.close();
  });

  it("sends nothing more once the list is left (no ranges)", async () => {
    const ws = await server.login(owner);
    const watching = await server.login(owner); // still subscribed: shows the change is one a list gets
    for (const client of [ws, watching]) {
      subscribeLikeTheApp(client, guild.id, guild.channelId);
      await client.dispatch(LIST_UPDATE);
    }
    ws.send(14, { subscriptions: { [guild.id]: { member_list_channels: { [guild.channelId]: [] } } } });
    await settle(ws, "owner");
    const seen = ws.seen(LIST_UPDATE).length;
    // A nickname the list would show (re-sorted and re-sent) goes only to the session still watching.
    const nick = (value: string | null) =>
      server.request("PATCH", `/guilds/${guild.id}/members/@me`, { token: outsider.token, body: { nick: value } });
    try {
      assert.equal((await nick("aa_outsider")).status, 200);
      await watching.dispatch(LIST_UPDATE, (d) => JSON.stringify(d.ops).includes("aa_outsider"));
      await ws.dispatch("GUILD_MEMBER_UPDATE", (d) => d.nick === "aa_outsider");
      await settle(ws, "owner");
      assert.equal(ws.seen(LIST_UPDATE).length, seen);
    } finally {
      assert.equal((await nick(null)).status, 200);
    }
    await watching.close();
    await ws.close();
  });
});
