import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Permission } from "../../src/permissions.ts";
import { createRole, grantRole, joinGuild, recordEvents } from "../support/guild-fixture.ts";
import { registerUser, startTestServer, type TestServer, type TestUser } from "../support/harness.ts";

describe("guild settings and vanity URL", () => {
  let server: TestServer;
  let owner: TestUser;
  let member: TestUser;
  let manager: TestUser;
  let guild: { id: string; channels: { id: string; name: string; type: number }[] };
  const channel = (name: string) => guild.channels.find((c) => c.name === name)?.id as string;

  before(async () => {
    server = await startTestServer();
    owner = await registerUser(server, "settingsowner");
    member = await registerUser(server, "settingsmember");
    manager = await registerUser(server, "settingsmanager");
    guild = (await server.request("POST", "/guilds", { token: owner.token, body: { name: "Settings" } })).body;
    joinGuild(server, guild.id, member);
    joinGuild(server, guild.id, manager);
    const role = await createRole(server, owner, guild.id, { name: "managers", permissions: Permission.MANAGE_GUILD.toString() });
    await grantRole(server, owner, guild.id, manager.id, role.id);
  });
  after(() => server.close());

  it("updates settings for a member with MANAGE_GUILD, audits it and tells the guild", async () => {
    const recorder = recordEvents(server);
    const response = await server.request("PATCH", `/guilds/${guild.id}`, {
      token: manager.token,
      headers: { "x-audit-log-reason": "spring%20cleaning" },
      body: {
        name: "Renamed",
        afk_channel_id: channel("General"),
        afk_timeout: 900,
        verification_level: 2,
        default_message_notifications: 1,
        explicit_content_filter: 2,
        system_channel_flags: 1,
        features: ["ANIMATED_ICON", "ANIMATED_BANNER", "BANNER", "INVITE_SPLASH", "VANITY_URL", "INVITES_DISABLED"],
      },
    });
    assert.equal(response.status, 200, JSON.stringify(response.body));
    await recorder.settle();
    recorder.stop();
    assert.equal(response.body.name, "Renamed");
    assert.equal(response.body.afk_channel_id, channel("General"));
    assert.equal(response.body.afk_timeout, 900);
    assert.ok(response.body.features.includes("INVITES_DISABLED"));
    const seen = await server.request("GET", `/guilds/${guild.id}`, { token: member.token });
    assert.equal(seen.body.name, "Renamed");
    assert.equal(seen.body.verification_level, 2);
    assert.equal(recorder.of("GUILD_UPDATE")[0]?.audience.kind, "guild");
    const audit = await server.request("GET", `/guilds/${guild.id}/audit-logs`, { token: owner.token, query: { action_type: 1 } });
    const entry = audit.body.audit_log_entries[0];
    assert.equal(entry.user_id, manager.id);
    assert.equal(entry.reason, "spring cleaning");
    const name = entry.changes.find((c: { key: string }) => c.key === "name");
    assert.deepEqual(name, { key: "name", old_value: "Settings", new_value: "Renamed" });
    assert.deepEqual(
      entry.changes.find((c: { key: string }) => c.key === "afk_channel_id"),
      { key: "afk_channel_id", old_value: null, new_value: channel("General") },
    );
  });

  it("refuses a member without MANAGE_GUILD and writes nothing", async () => {
    const response = await server.request("PATCH", `/guilds/${guild.id}`, { token: member.token, body: { name: "Hijacked" } });
    assert.equal(response.status, 403);
    assert.equal(response.body.code, "MISSING_PERMISSIONS");
    const seen = await server.request("GET", `/guilds/${guild.id}`, { token: member.token });
    assert.notEqual(seen.body.name, "Hijacked");
  });

  it("checks channel settings, value ranges and features, one error per field", async () => {
    const other = (await server.request("POST", "/guilds", { token: owner.token, body: { name: "Other" } })).body;
    const foreign = await server.request("PATCH", `/guilds/${guild.id}`, {
      token: owner.token,
      body: { system_channel_id: other.system_channel_id },
    });
    assert.equal(foreign.status, 400);
    assert.equal(foreign.body.errors[0].path, "system_channel_id");
    const notVoice = await server.request("PATCH", `/guilds/${guild.id}`, {
      token: owner.token,
      body: { afk_channel_id: channel("general") },
    });
    assert.equal(notVoice.status, 400);
    assert.equal(notVoice.body.errors[0].path, "afk_channel_id");
    const ranges = await server.request("PATCH", `/guilds/${guild.id}`, {
      token: owner.token,
      body: { afk_timeout: 5, verification_level: 9, name: "" },
    });
    assert.equal(ranges.status, 400);
    assert.deepEqual(ranges.body.errors.map((e: { path: string }) => e.path).sort(), ["afk_timeout", "name", "verification_level"]);
    const feature = await server.request("PATCH", `/guilds/${guild.id}`, { token: owner.token, body: { features: ["VERIFIED"] } });
    assert.equal(feature.status, 400);
    assert.equal(feature.body.errors[0].path, "features");
    const icon = await server.request("PATCH", `/guilds/${guild.id}`, { token: owner.token, body: { icon: "data:image/png;base64,AAAA" } });
    assert.equal(icon.status, 400);
    assert.equal(icon.body.errors[0].path, "icon");
    const cleared = await server.request("PATCH", `/guilds/${guild.id}`, { token: owner.token, body: { system_channel_id: null } });
    assert.equal(cleared.status, 200);
    assert.equal(cleared.body.system_channel_id, null);
    const unknown = await server.request("PATCH", "/guilds/123456789012345678", { token: owner.token, body: { name: "x" } });
    assert.equal(unknown.status, 404);
  });

  it("tightens text channel names when flexible names are switched off", async () => {
    const on = await server.request("PATCH", `/guilds/${guild.id}`, {
      token: owner.token,
      body: { features: ["ANIMATED_ICON", "ANIMATED_BANNER", "BANNER", "INVITE_SPLASH", "VANITY_URL", "TEXT_CHANNEL_FLEXIBLE_NAMES"] },
    });
    assert.equal(on.status, 200);
    const made = await server.request("POST", `/guilds/${guild.id}/channels`, { token: owner.token, body: { name: "Big News!" } });
    assert.equal(made.body.name, "Big News!");
    const off = await server.request("PATCH", `/guilds/${guild.id}`, { token: owner.token, body: { features: [] } });
    assert.equal(off.status, 200);
    assert.ok(off.body.features.includes("BANNER"), "features that are not toggleable stay");
    assert.equal((await server.request("GET", `/channels/${made.body.id}`, { token: owner.token })).body.name, "big-news");
  });

  it("sets, reads and clears a vanity URL; codes are unique", async () => {
    const empty = await server.request("GET", `/guilds/${guild.id}/vanity-url`, { token: manager.token });
    assert.equal(empty.status, 200);
    assert.deepEqual(empty.body, { code: null, uses: 0 });
    const set = await server.request("PATCH", `/guilds/${guild.id}/vanity-url`, { token: manager.token, body: { code: "Home-Base" } });
    assert.equal(set.status, 200);
    assert.deepEqual(set.body, { code: "home-base" });
    assert.equal((await server.request("GET", `/guilds/${guild.id}`, { token: member.token })).body.vanity_url_code, "home-base");
    const other = (await server.request("POST", "/guilds", { token: member.token, body: { name: "Rival" } })).body;
    const taken = await server.request("PATCH", `/guilds/${other.id}/vanity-url`, { token: member.token, body: { code: "home-base" } });
    assert.equal(taken.status, 400);
    assert.equal(taken.body.code, "INVALID_FORM_BODY");
    assert.equal(taken.body.errors[0].path, "code");
    const malformed = await server.request("PATCH", `/guilds/${other.id}/vanity-url`, { token: member.token, body: { code: "-no-" } });
    assert.equal(malformed.status, 400);
    const denied = await server.request("GET", `/guilds/${guild.id}/vanity-url`, { token: member.token });
    assert.equal(denied.status, 403);
    const deniedPatch = await server.request("PATCH", `/guilds/${guild.id}/vanity-url`, { token: member.token, body: { code: "mine" } });
    assert.equal(deniedPatch.status, 403);
    const cleared = await server.request("PATCH", `/guilds/${guild.id}/vanity-url`, { token: manager.token, body: { code: null } });
    assert.deepEqual(cleared.body, { code: null });
    const freed = await server.request("PATCH", `/guilds/${other.id}/vanity-url`, { token: member.token, body: { code: "home-base" } });
    assert.equal(freed.status, 200);
    const audit = await server.request("GET", `/guilds/${guild.id}/audit-logs`, {
      token: owner.token,
      query: { action_type: 1, limit: 2 },
    });
    assert.deepEqual(audit.body.audit_log_entries[0].changes, [{ key: "vanity_url_code", old_value: "home-base", new_value: null }]);
  });
});
