/**
 * A member who gains or loses VIEW_CHANNEL through a role or member change gets CHANNEL_CREATE or
 * CHANNEL_DELETE for the channel (only they do), and no message of a channel they lost.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Permission } from "../../src/permissions.ts";
import { findBinary, type RunningEngine, startNats } from "../support/engines.ts";
import type { TestUser } from "../support/harness.ts";
import { type GatewayClient, settle } from "./gateway-client.ts";
import { type GatewayServer, guildWithMembers, startGatewayServer } from "./gateway-world.ts";

const VIEW = Permission.VIEW_CHANNEL.toString();

/** A guild with #secret hidden from @everyone and a "seer" role allowed in it by an overwrite. */
async function secretWorld(server: GatewayServer, prefix: string) {
  const { owner, guild, members } = await guildWithMembers(server, `${prefix}_owner`, `${prefix}_alice`, `${prefix}_bob`);
  const [alice, bob] = members as [TestUser, TestUser];
  const call = async (method: string, path: string, body?: unknown, status = 204) => {
    const response = await server.request(method, path, { token: owner.token, ...(body === undefined ? {} : { body }) });
    assert.equal(response.status, status, `${method} ${path}: ${JSON.stringify(response.body)}`);
    return response.body;
  };
  const secret = await call("POST", `/guilds/${guild.id}/channels`, { name: "secret", type: 0 }, 200);
  await call("PUT", `/channels/${secret.id}/permissions/${guild.id}`, { type: 0, allow: "0", deny: VIEW });
  const seer = await call("POST", `/guilds/${guild.id}/roles`, { name: "seer", permissions: "0" }, 200);
  await call("PUT", `/channels/${secret.id}/permissions/${seer.id}`, { type: 0, allow: VIEW, deny: "0" });
  const say = async (channelId: string, content: string) => (await call("POST", `/channels/${channelId}/messages`, { content }, 200)).id;
  return { owner, guild, alice, bob, secretId: secret.id as string, seerId: seer.id as string, call, say };
}

/** The CHANNEL_CREATE / CHANNEL_DELETE ids a client got from frame `from` on. */
const accessEvents = (ws: GatewayClient, from: number) =>
  ws.frames
    .slice(from)
    .filter((f) => f.op === 0 && (f.t === "CHANNEL_CREATE" || f.t === "CHANNEL_DELETE"))
    .map((f) => `${f.t === "CHANNEL_CREATE" ? "+" : "-"}${f.d.id}`);

function suite(name: string, options: { nats?: boolean }) {
  // As engineOrSkip: under REQUIRE_ENGINES=1 a missing nats-server fails the suite instead.
  const missing = options.nats && !findBinary(["nats-server"]) && process.env.REQUIRE_ENGINES !== "1";
  const skip = missing ? "nats-server not installed (run scripts/install-engines.sh)" : false;
  describe(name, { skip }, () => {
    let server: GatewayServer;
    let nats: RunningEngine | undefined;
    before(async () => {
      if (options.nats) nats = await startNats();
      server = await startGatewayServer(nats ? { services: { nats: { core_url: nats.url } } } : {});
    });
    after(async () => {
      await server?.close();
      await nats?.stop();
    });

    it("a role added or removed: CHANNEL_CREATE then CHANNEL_DELETE to that member only, and the messages follow", async () => {
      const w = await secretWorld(server, options.nats ? "na" : "ra");
      const [ownerWs, aliceWs, bobWs] = [await server.login(w.owner), await server.login(w.alice), await server.login(w.bob)];
      const marks = [ownerWs.frames.length, aliceWs.frames.length, bobWs.frames.length];

      await w.call("PUT", `/guilds/${w.guild.id}/members/${w.alice.id}/roles/${w.seerId}`);
      const created = await aliceWs.dispatch("CHANNEL_CREATE", (d) => d.id === w.secretId, marks[1]);
      assert.equal(created.d.name, "secret");
      assert.equal(created.d.guild_id, w.guild.id);
      const inside = await w.say(w.secretId, "for seers");
      await aliceWs.dispatch("MESSAGE_CREATE", (d) => d.id === inside);

      await w.call("DELETE", `/guilds/${w.guild.id}/members/${w.alice.id}/roles/${w.seerId}`);
      await aliceWs.dispatch("CHANNEL_DELETE", (d) => d.id === w.secretId, marks[1]);
      const hidden = await w.say(w.secretId, "no longer for alice");
      await ownerWs.dispatch("MESSAGE_CREATE", (d) => d.id === hidden);
      for (const [ws, who] of [
        [ownerWs, "owner"],
        [aliceWs, "alice"],
        [bobWs, "bob"],
      ] as const) {
        await settle(ws, who);
      }
      assert.deepEqual(accessEvents(aliceWs, marks[1]!), [`+${w.secretId}`, `-${w.secretId}`]);
      assert.equal(aliceWs.seen("MESSAGE_CREATE").filter((f) => f.d.id === hidden).length, 0, "alice lost #secret");
      assert.deepEqual(accessEvents(ownerWs, marks[0]!), [], "the owner always saw it");
      assert.deepEqual(accessEvents(bobWs, marks[2]!), [], "bob was never concerned");
      assert.equal(bobWs.seen("MESSAGE_CREATE").filter((f) => f.d.id === inside || f.d.id === hidden).length, 0);
      for (const ws of [ownerWs, aliceWs, bobWs]) await ws.close();
    });

    if (options.nats) return; // over NATS one case; the in-process bus covers the rest

    it("a member overwrite on a channel or a category: CHANNEL_CREATE / CHANNEL_DELETE instead of CHANNEL_UPDATE", async () => {
      const w = await secretWorld(server, "ow");
      const category = await w.call("POST", `/guilds/${w.guild.id}/channels`, { name: "cat", type: 4 }, 200);
      const [ownerWs, aliceWs, bobWs] = [await server.login(w.owner), await server.login(w.alice), await server.login(w.bob)];
      const marks = [ownerWs.frames.length, aliceWs.frames.length, bobWs.frames.length];

      await w.call("PUT", `/channels/${w.secretId}/permissions/${w.bob.id}`, { type: 1, allow: VIEW, deny: "0" });
      await bobWs.dispatch("CHANNEL_CREATE", (d) => d.id === w.secretId, marks[2]);
      await ownerWs.dispatch("CHANNEL_UPDATE", (d) => d.id === w.secretId, marks[0]);
      await w.call("PUT", `/channels/${category.id}/permissions/${w.bob.id}`, { type: 1, allow: "0", deny: VIEW });
      await bobWs.dispatch("CHANNEL_DELETE", (d) => d.id === category.id, marks[2]);
      await w.call("DELETE", `/channels/${w.secretId}/permissions/${w.bob.id}`);
      await bobWs.dispatch("CHANNEL_DELETE", (d) => d.id === w.secretId, marks[2]);
      const hidden = await w.say(w.secretId, "bob is out again");
      await ownerWs.dispatch("MESSAGE_CREATE", (d) => d.id === hidden);

      await settle(bobWs, "bob");
      await settle(aliceWs, "alice");
      assert.deepEqual(accessEvents(bobWs, marks[2]!), [`+${w.secretId}`, `-${category.id}`, `-${w.secretId}`]);
      assert.deepEqual(
        bobWs.frames
          .slice(marks[2])
          .filter((f) => f.t === "CHANNEL_UPDATE")
          .map((f) => f.d.id),
        [],
        "bob hears of the changes as the channels coming and going",
      );
      assert.equal(bobWs.seen("MESSAGE_CREATE").filter((f) => f.d.id === hidden).length, 0);
      assert.deepEqual(accessEvents(aliceWs, marks[1]!), []);
      assert.deepEqual(accessEvents(ownerWs, marks[0]!), []);
      for (const ws of [ownerWs, aliceWs, bobWs]) await ws.close();
    });

    it("a role's permissions edited, or the role deleted: each member who held it hears of each channel", async () => {
      const w = await secretWorld(server, "rp");
      // Guild-wide VIEW_CHANNEL on a role of bob's, with @everyone losing it.
      const viewer = await w.call("POST", `/guilds/${w.guild.id}/roles`, { name: "viewer", permissions: VIEW }, 200);
      await w.call("PUT", `/guilds/${w.guild.id}/members/${w.bob.id}/roles/${viewer.id}`);
      await w.call("PUT", `/guilds/${w.guild.id}/members/${w.alice.id}/roles/${w.seerId}`);
      const everyone = await server.request("GET", `/guilds/${w.guild.id}/roles`, { token: w.owner.token });
      const base = BigInt(everyone.body.find((r: { id: string }) => r.id === w.guild.id).permissions);
      const withoutView = (base & ~Permission.VIEW_CHANNEL).toString();
      const [ownerWs, aliceWs, bobWs] = [await server.login(w.owner), await server.login(w.alice), await server.login(w.bob)];
      const marks = [ownerWs.frames.length, aliceWs.frames.length, bobWs.frames.length];

      // Every channel but #secret is open to @everyone alone (#general, the default categories, voice).
      const listed = await server.request("GET", `/guilds/${w.guild.id}/channels`, { token: w.owner.token });
      const open = (listed.body as { id: string }[]).map((c) => c.id).filter((id) => id !== w.secretId);
      const sorted = (ids: string[]) => [...ids].sort();

      // @everyone loses VIEW_CHANNEL: alice loses the open channels (her seer overwrite keeps #secret), bob keeps all.
      await w.call("PATCH", `/guilds/${w.guild.id}/roles/${w.guild.id}`, { permissions: withoutView }, 200);
      await aliceWs.dispatch("CHANNEL_DELETE", (d) => d.id === w.guild.channelId, marks[1]);
      await settle(aliceWs, "alice");
      assert.deepEqual(sorted(accessEvents(aliceWs, marks[1]!)), sorted(open.map((id) => `-${id}`)));
      assert.deepEqual(accessEvents(bobWs, marks[2]!), []);
      // Then bob's role goes: bob loses the open channels too (#secret he never had).
      await w.call("DELETE", `/guilds/${w.guild.id}/roles/${viewer.id}`);
      await bobWs.dispatch("CHANNEL_DELETE", (d) => d.id === w.guild.channelId, marks[2]);
      await settle(bobWs, "bob");
      assert.deepEqual(sorted(accessEvents(bobWs, marks[2]!)), sorted(open.map((id) => `-${id}`)));
      // And the seer role: alice loses #secret.
      const beforeSeer = aliceWs.frames.length;
      await w.call("DELETE", `/guilds/${w.guild.id}/roles/${w.seerId}`);
      await aliceWs.dispatch("CHANNEL_DELETE", (d) => d.id === w.secretId, marks[1]);
      // @everyone gets VIEW_CHANNEL back: both see the open channels again.
      const [aliceBack, bobBack] = [aliceWs.frames.length, bobWs.frames.length];
      await w.call("PATCH", `/guilds/${w.guild.id}/roles/${w.guild.id}`, { permissions: base.toString() }, 200);
      for (const ws of [aliceWs, bobWs]) await ws.dispatch("CHANNEL_CREATE", (d) => d.id === w.guild.channelId, marks[1]);
      const general = await w.say(w.guild.channelId, "welcome back");
      for (const ws of [aliceWs, bobWs]) await ws.dispatch("MESSAGE_CREATE", (d) => d.id === general);

      await settle(ownerWs, "owner");
      await settle(aliceWs, "alice");
      await settle(bobWs, "bob");
      assert.deepEqual(accessEvents(aliceWs, beforeSeer).slice(0, 1), [`-${w.secretId}`]);
      assert.deepEqual(sorted(accessEvents(aliceWs, aliceBack)), sorted(open.map((id) => `+${id}`)));
      assert.deepEqual(sorted(accessEvents(bobWs, bobBack)), sorted(open.map((id) => `+${id}`)));
      assert.deepEqual(accessEvents(ownerWs, marks[0]!), []);
      for (const ws of [ownerWs, aliceWs, bobWs]) await ws.close();
    });
  });
}

suite("gateway channel access changes", {});
suite("gateway channel access changes over NATS", { nats: true });

describe("gateway channel access after a lost event", () => {
  let server: GatewayServer;
  const TTL_MS = 200;
  before(async () => {
    server = await startGatewayServer({ gateway: { visibility_ttl_ms: TTL_MS } });
  });
  after(() => server.close());

  it("stops delivering a channel's messages once the cached view has outlived gateway.visibility_ttl_ms", async () => {
    const w = await secretWorld(server, "tt");
    await w.call("PUT", `/guilds/${w.guild.id}/members/${w.alice.id}/roles/${w.seerId}`);
    const aliceWs = await server.login(w.alice);
    const ownerWs = await server.login(w.owner);
    const seen = await w.say(w.secretId, "cached as visible");
    await aliceWs.dispatch("MESSAGE_CREATE", (d) => d.id === seen);

    // The role leaves alice in the store, and its event is lost on the way (as NATS core may drop one).
    const member = server.deps.stores.members.get(BigInt(w.guild.id), BigInt(w.alice.id))!;
    server.deps.stores.members.update(member.guildId, member.userId, { roleIds: [] });
    await new Promise((resolve) => setTimeout(resolve, TTL_MS * 2));
    const hidden = await w.say(w.secretId, "alice must not read this");
    await ownerWs.dispatch("MESSAGE_CREATE", (d) => d.id === hidden);
    await settle(aliceWs, "alice");
    assert.equal(aliceWs.seen("MESSAGE_CREATE").filter((f) => f.d.id === hidden).length, 0);
    for (const ws of [ownerWs, aliceWs]) await ws.close();
  });

  it("still announces a change that comes after the cached view outlived its lifetime (a quiet guild)", async () => {
    const w = await secretWorld(server, "tq");
    const aliceWs = await server.login(w.alice);
    await new Promise((resolve) => setTimeout(resolve, TTL_MS * 2));
    const from = aliceWs.frames.length;
    await w.call("PUT", `/guilds/${w.guild.id}/members/${w.alice.id}/roles/${w.seerId}`);
    await aliceWs.dispatch("CHANNEL_CREATE", (d) => d.id === w.secretId, from);
    await new Promise((resolve) => setTimeout(resolve, TTL_MS * 2));
    await w.call("PUT", `/channels/${w.secretId}/permissions/${w.alice.id}`, { type: 1, allow: "0", deny: VIEW });
    await aliceWs.dispatch("CHANNEL_DELETE", (d) => d.id === w.secretId, from);
    await aliceWs.close();
  });
});
