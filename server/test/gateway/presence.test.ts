import assert from "node:assert/strict";
import { after, describe, it, type TestContext } from "node:test";
import type { ConfigInput } from "../../src/config.ts";
import { engineOrSkip, type RunningEngine, startRedis } from "../support/engines.ts";
import { settle } from "./gateway-client.ts";
import { type GatewayServer, guildWithMembers, startGatewayServer } from "./gateway-world.ts";

/** The same presence behaviour on whichever key-value store the server is given. */
function presenceSuite(name: string, kvConfig: (t: TestContext) => Promise<ConfigInput | null>) {
  describe(`presence on ${name}`, () => {
    let server: GatewayServer | undefined;
    const ready = async (t: TestContext): Promise<GatewayServer | null> => {
      if (server) return server;
      const extra = await kvConfig(t);
      if (extra === null) return null; // skipped (or failed under REQUIRE_ENGINES)
      server = await startGatewayServer({ ...extra, gateway: { resume_window_ms: 600 } });
      return server;
    };
    after(() => server?.close());

    it("op 3 reaches members of shared guilds as PRESENCE_UPDATE; invisible shows offline; READY lists who is online", async (t) => {
      const s = await ready(t);
      if (!s) return;
      const { owner, guild, members } = await guildWithMembers(s, `${name}_p_owner`, `${name}_p_friend`);
      const friend = members[0]!;
      const ownerWs = await s.login(owner);
      const friendWs = await s.login(friend);
      const online = await ownerWs.dispatch("PRESENCE_UPDATE", (d) => d.user.id === friend.id && d.status === "online");
      assert.equal(online.d.guild_id, guild.id);

      friendWs.send(3, { status: "dnd", afk: false, custom_status: { text: "busy" } });
      const dnd = await ownerWs.dispatch("PRESENCE_UPDATE", (d) => d.user.id === friend.id && d.status === "dnd");
      assert.deepEqual(dnd.d.custom_status, { text: "busy", expires_at: null, emoji_id: null, emoji_name: null, emoji_animated: false });

      // A third session of the owner sees the friend in READY's guild presences.
      const later = await s.login(owner);
      const g = (await later.dispatch("READY")).d.guilds[0];
      assert.ok(g.presences.some((p: any) => p.user.id === friend.id && p.status === "dnd"));
      assert.ok(g.online_count >= 2);
      await later.close();

      friendWs.send(3, { status: "invisible", afk: false });
      const hidden = await ownerWs.dispatch("PRESENCE_UPDATE", (d) => d.user.id === friend.id && d.status === "offline");
      assert.equal(hidden.d.custom_status, null, "nothing of an invisible user shows");
      await settle(ownerWs, "owner");
      assert.ok(!ownerWs.seen("PRESENCE_UPDATE").some((f) => f.d.status === "invisible"), "invisible is never on the wire");

      friendWs.send(3, { status: "bogus" });
      assert.equal((await friendWs.closed).code, 4002, "an invalid status is a decode error");
      await ownerWs.close();
    });

    it("a dropped user goes offline once the resume window has passed", async (t) => {
      const s = await ready(t);
      if (!s) return;
      const { owner, members } = await guildWithMembers(s, `${name}_o_owner`, `${name}_o_leaver`);
      const leaver = members[0]!;
      const ownerWs = await s.login(owner);
      const leaverWs = await s.login(leaver);
      await ownerWs.dispatch("PRESENCE_UPDATE", (d) => d.user.id === leaver.id && d.status === "online");
      leaverWs.drop();
      await ownerWs.dispatch("PRESENCE_UPDATE", (d) => d.user.id === leaver.id && d.status === "offline");
      // Offline comes with the end of the session (the window has passed), not with the drop.
      assert.equal(s.app.gateway.stats().sessions, 1, "only the owner's session is left");
      await ownerWs.close();
    });
  });
}

presenceSuite("memory", async () => ({}));

let redis: RunningEngine | undefined;
presenceSuite("redis", async (t) => {
  if (!engineOrSkip("redis", t)) return null;
  redis ??= await startRedis();
  return { internal: { kv: redis.url } };
});
after(() => redis?.stop());
