import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { after, before, describe, it } from "node:test";
import { registerUser } from "../support/harness.ts";
import { settle } from "./gateway-client.ts";
import { type GatewayServer, guildWithMembers, startGatewayServer } from "./gateway-world.ts";

describe("gateway: user settings, READY fields and SESSIONS_REPLACE", () => {
  let server: GatewayServer;
  before(async () => {
    server = await startGatewayServer({ gateway: { resume_window_ms: 300 } });
  });
  after(() => server.close());

  const patchSettings = async (token: string, body: unknown) => {
    const res = await server.request("PATCH", "/users/@me/settings", { token, body });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body;
  };

  it("READY carries the stored settings and auth_session_id_hash, the id hash GET /auth/sessions lists", async () => {
    const user = await registerUser(server, "rs_user");
    await patchSettings(user.token, { theme: "coal", locale: "de", developer_mode: true });
    const client = await server.login(user);
    const ready = (await client.dispatch("READY")).d;
    assert.equal(ready.user_settings.theme, "coal");
    assert.equal(ready.user_settings.locale, "de");
    assert.equal(ready.user_settings.status, "online");
    const expected = createHash("sha256").update(user.token).digest("base64url");
    assert.equal(ready.auth_session_id_hash, expected);
    const sessions = await server.request("GET", "/auth/sessions", { token: user.token });
    assert.equal(sessions.status, 200);
    assert.ok(
      sessions.body.some((s: any) => s.id_hash === ready.auth_session_id_hash),
      "the app finds its own session in the list",
    );
    assert.deepEqual(ready.user_guild_settings, []);
    assert.deepEqual(ready.notes, {});
    assert.deepEqual(ready.pinned_dms, []);
    assert.deepEqual(ready.favorite_memes, []);
    await client.close();
  });

  it("a PATCH reaches every session of the user as USER_SETTINGS_UPDATE, and nobody else", async () => {
    const { owner, members } = await guildWithMembers(server, "us_owner", "us_user");
    const user = members[0]!;
    const first = await server.login(user);
    const second = await server.login(user);
    const stranger = await server.login(owner);
    const body = await patchSettings(user.token, { theme: "light", message_display_compact: true });
    for (const ws of [first, second]) {
      const update = await ws.dispatch("USER_SETTINGS_UPDATE");
      assert.deepEqual(update.d, body);
    }
    await settle(stranger, "owner");
    assert.equal(stranger.seen("USER_SETTINGS_UPDATE").length, 0, "settings are private");
    await Promise.all([first.close(), second.close(), stranger.close()]);
  });

  it("IDENTIFY without presence takes the stored status, which other members see", async () => {
    const { owner, guild, members } = await guildWithMembers(server, "ps_owner", "ps_user");
    const user = members[0]!;
    await patchSettings(user.token, { status: "dnd", custom_status: { text: "focus" } });
    const ownerWs = await server.login(owner);
    const userWs = await server.login(user);
    const seen = await ownerWs.dispatch("PRESENCE_UPDATE", (d) => d.user.id === user.id);
    assert.equal(seen.d.status, "dnd");
    assert.equal(seen.d.guild_id, guild.id);
    assert.equal(seen.d.custom_status.text, "focus");
    const later = await server.login(owner);
    const presences = (await later.dispatch("READY")).d.guilds[0].presences;
    assert.equal(presences.find((p: any) => p.user.id === user.id)?.status, "dnd");
    await Promise.all([ownerWs.close(), userWs.close(), later.close()]);
  });

  it("the official app's IDENTIFY as online gives way to a stored status that is not", async () => {
    const { owner, members } = await guildWithMembers(server, "po_owner", "po_user");
    const user = members[0]!;
    await patchSettings(user.token, { status: "idle" });
    const ownerWs = await server.login(owner);
    const userWs = await server.login(user, { presence: { status: "online", afk: false } });
    const seen = await ownerWs.dispatch("PRESENCE_UPDATE", (d) => d.user.id === user.id);
    assert.equal(seen.d.status, "idle");
    await Promise.all([ownerWs.close(), userWs.close()]);
  });

  it("status invisible through settings hides the user; a visible status brings them back", async () => {
    const { owner, members } = await guildWithMembers(server, "pi_owner", "pi_user");
    const user = members[0]!;
    const ownerWs = await server.login(owner);
    const userWs = await server.login(user);
    await ownerWs.dispatch("PRESENCE_UPDATE", (d) => d.user.id === user.id && d.status === "online");
    await patchSettings(user.token, { status: "invisible" });
    await ownerWs.dispatch("PRESENCE_UPDATE", (d) => d.user.id === user.id && d.status === "offline");
    await patchSettings(user.token, { status: "dnd" });
    await ownerWs.dispatch("PRESENCE_UPDATE", (d) => d.user.id === user.id && d.status === "dnd");
    await Promise.all([ownerWs.close(), userWs.close()]);
  });

  it("SESSIONS_REPLACE tells the other sessions when one starts and when one ends", async () => {
    const user = await registerUser(server, "sr_user");
    const first = await server.login(user);
    const firstId = (await first.dispatch("READY")).d.session_id;
    const second = await server.login(user);
    const secondReady = (await second.dispatch("READY")).d;
    assert.deepEqual(secondReady.sessions.map((s: any) => s.session_id).sort(), [firstId, secondReady.session_id].sort());

    const started = await first.dispatch("SESSIONS_REPLACE");
    const ids = started.d.map((s: any) => s.session_id);
    assert.equal(ids[0], "all", "upstream's aggregate entry comes first");
    assert.deepEqual(ids.slice(1).sort(), [firstId, secondReady.session_id].sort());
    const mine = started.d.find((s: any) => s.session_id === secondReady.session_id);
    assert.deepEqual(mine.client_info, { os: "linux", client: "test", version: 0 });
    assert.equal(mine.status, "online");
    assert.equal(mine.active, true);
    await settle(second, "second");
    assert.equal(second.seen("SESSIONS_REPLACE").length, 0, "the new session has READY's list instead");

    // An op 3 that changes the status lists the sessions again, to every one of them.
    first.send(3, { status: "idle", afk: true });
    for (const ws of [first, second]) {
      const changed = await ws.dispatch("SESSIONS_REPLACE", (d) => d[0].status === "idle");
      assert.equal(changed.d.length, 3);
      assert.equal(changed.d[0].afk, true);
    }

    // A session ends once its socket is gone and the resume window has passed.
    second.drop();
    const ended = await first.dispatch("SESSIONS_REPLACE", (d) => d.length === 2);
    assert.deepEqual(
      ended.d.map((s: any) => s.session_id),
      ["all", firstId],
    );
    await first.close();
  });
});
