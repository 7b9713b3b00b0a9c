import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { registerUser, startTestServer, type TestServer } from "../support/harness.ts";
import { createGuild } from "../support/invite-world.ts";

describe("user settings over REST", () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it("GET answers upstream's defaults for a new account", async () => {
    const user = await registerUser(server, "set_defaults");
    const res = await server.request("GET", "/users/@me/settings", { token: user.token });
    assert.equal(res.status, 200);
    const s = res.body;
    assert.equal(s.status, "online");
    assert.equal(s.theme, "system");
    assert.equal(s.locale, "en-US");
    assert.equal(s.custom_status, null);
    assert.equal(s.afk_timeout, 600);
    assert.equal(s.friend_source_flags, 7);
    assert.equal(s.incoming_call_flags, 8);
    assert.equal(s.group_dm_add_permission_flags, 8);
    assert.equal(s.render_spoilers, 1);
    assert.equal(s.inline_attachment_media, true);
    assert.equal(s.developer_mode, false);
    assert.equal(s.synced_preferences, "");
    assert.deepEqual(s.guild_folders, [{ id: -1, name: null, color: null, flags: 0, icon: "folder", guild_ids: [] }]);
  });

  it("PATCH stores what it is sent, answers the whole settings, and GET reads them back", async () => {
    const user = await registerUser(server, "set_patch");
    const g1 = await createGuild(server, user, "one");
    const g2 = await createGuild(server, user, "two");
    const patch = {
      status: "dnd",
      theme: "dark",
      locale: "fr",
      custom_status: { text: "heads down", emoji_name: "🔥", expires_at: "2030-01-02T03:04:05.000Z" },
      developer_mode: true,
      trusted_domains: ["example.org"],
      guild_folders: [{ id: 7, name: "Work", color: 255, guild_ids: [g2.id, g1.id] }],
    };
    const res = await server.request("PATCH", "/users/@me/settings", { token: user.token, body: patch });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.status, "dnd");
    assert.equal(res.body.theme, "dark");
    assert.equal(res.body.gif_auto_play, true, "fields not sent keep their value");
    assert.deepEqual(res.body.custom_status, {
      text: "heads down",
      expires_at: "2030-01-02T03:04:05.000Z",
      emoji_id: null,
      emoji_name: "🔥",
      emoji_animated: false,
    });
    // The uncategorised list is always kept, as upstream does; guild order within a folder is the client's.
    assert.deepEqual(res.body.guild_folders, [
      { id: -1, name: null, color: 0, flags: 0, icon: "folder", guild_ids: [] },
      { id: 7, name: "Work", color: 255, flags: 0, icon: "folder", guild_ids: [g2.id, g1.id] },
    ]);

    const again = await server.request("PATCH", "/users/@me/settings", {
      token: user.token,
      body: { theme: "light", custom_status: null },
    });
    assert.equal(again.status, 200);
    const read = await server.request("GET", "/users/@me/settings", { token: user.token });
    assert.equal(read.body.theme, "light");
    assert.equal(read.body.status, "dnd", "an earlier change survives a later one");
    assert.equal(read.body.locale, "fr");
    assert.equal(read.body.custom_status, null);
    assert.deepEqual(read.body.trusted_domains, ["example.org"]);
    assert.equal(read.body.guild_folders[1].name, "Work");

    // Another user's settings are their own.
    const other = await registerUser(server, "set_patch_other");
    assert.equal((await server.request("GET", "/users/@me/settings", { token: other.token })).body.theme, "system");
  });

  it("PATCH with bad input is 400 INVALID_FORM_BODY naming the field, and changes nothing", async () => {
    const user = await registerUser(server, "set_bad");
    const cases: [body: unknown, path: string][] = [
      [{ status: "away" }, "status"],
      [{ theme: "neon" }, "theme"],
      [{ locale: "xx-YY" }, "locale"],
      [{ afk_timeout: -1 }, "afk_timeout"],
      [{ render_spoilers: 9 }, "render_spoilers"],
      [{ guild_folders: [{ id: 1, guild_ids: ["nope"] }] }, "guild_folders.0.guild_ids.0"],
      [{ custom_status: { text: "x".repeat(129) } }, "custom_status.text"],
      [{ trusted_domains: ["*", "example.org"] }, "trusted_domains"],
      [{ gif_auto_play: "yes" }, "gif_auto_play"],
    ];
    for (const [body, path] of cases) {
      const res = await server.request("PATCH", "/users/@me/settings", { token: user.token, body });
      assert.equal(res.status, 400, `${JSON.stringify(body)} → ${res.status}`);
      assert.equal(res.body.code, "INVALID_FORM_BODY");
      assert.ok(
        res.body.errors.some((e: any) => e.path === path),
        `${JSON.stringify(body)}: ${JSON.stringify(res.body.errors)}`,
      );
    }
    const read = await server.request("GET", "/users/@me/settings", { token: user.token });
    assert.equal(read.body.status, "online");
    assert.deepEqual(read.body.trusted_domains, []);
  });

  it("needs a user session: no token is 401", async () => {
    const res = await server.request("GET", "/users/@me/settings");
    assert.equal(res.status, 401);
  });

  it("the calls the official app makes on start answer 200 with spec-valid bodies", async () => {
    const user = await registerUser(server, "set_client");
    const premium = await server.request("GET", "/premium/state", { token: user.token, query: { country_code: "de" } });
    assert.equal(premium.status, 200);
    assert.equal(premium.body.effective.self_hosted, true);
    assert.equal(premium.body.effective.premium_purchase_disabled, true, "nothing to buy here");
    assert.equal(premium.body.pricing.country_code, "DE");
    const empty: [string, unknown][] = [
      ["/users/@me/relationships", []],
      ["/users/@me/saved-messages", []],
      ["/users/@me/scheduled-messages", []],
      ["/users/@me/connections", []],
      ["/users/@me/memes", []],
      ["/users/@me/gifts", []],
      ["/users/@me/mfa/webauthn/credentials", []],
      ["/users/@me/notes", {}],
      ["/users/@me/push/subscriptions", { subscriptions: [] }],
      ["/users/@me/harvest/latest", null],
    ];
    for (const [path, body] of empty) {
      const res = await server.request("GET", path, { token: user.token });
      assert.equal(res.status, 200, `${path}: ${JSON.stringify(res.body)}`);
      assert.deepEqual(res.body, body, path);
    }
  });
});
