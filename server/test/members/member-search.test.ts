import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Permission } from "../../src/permissions.ts";
import { createGuild, createRole, grantRole, joinGuild } from "../support/guild-fixture.ts";
import { registerUser, startTestServer, type TestServer, type TestUser } from "../support/harness.ts";

describe("guild member search", () => {
  let server: TestServer;
  let owner: TestUser;
  let alice: TestUser;
  let alina: TestUser;
  let bob: TestUser;
  let guildId: string;
  let roleId: string;

  const search = (body: Record<string, unknown>, as: TestUser = owner) =>
    server.request("POST", `/guilds/${guildId}/members-search`, { token: as.token, body });

  before(async () => {
    server = await startTestServer();
    owner = await registerUser(server, "searchowner");
    alice = await registerUser(server, "alice");
    alina = await registerUser(server, "alina");
    bob = await registerUser(server, "bob");
    guildId = await createGuild(server, owner);
    for (const user of [alice, alina, bob]) joinGuild(server, guildId, user);
    roleId = (await createRole(server, owner, guildId, { name: "Kickers", permissions: Permission.KICK_MEMBERS.toString() })).id;
    await grantRole(server, owner, guildId, alina.id, roleId);
    await server.request("PATCH", `/guilds/${guildId}/members/${bob.id}`, { token: owner.token, body: { nick: "Alibaba" } });
  });
  after(() => server.close());

  it("finds members by username, global name or nick, in Fluxer's response shape", async () => {
    const found = await search({ query: "ali" });
    assert.equal(found.status, 200);
    assert.equal(found.body.guild_id, guildId);
    assert.equal(found.body.indexing, false);
    assert.equal(found.body.total_result_count, 3);
    assert.equal(found.body.page_result_count, 3);
    const ids = found.body.members.map((m: { user_id: string }) => m.user_id).sort();
    assert.deepEqual(ids, [alice.id, alina.id, bob.id].sort());
    const hit = found.body.members.find((m: { user_id: string }) => m.user_id === bob.id);
    assert.equal(hit.id, `${guildId}:${bob.id}`);
    assert.equal(hit.nickname, "Alibaba");
    assert.equal(hit.username, "bob");
    assert.equal(hit.is_bot, false);
    assert.equal(typeof hit.joined_at, "number");
    assert.deepEqual(hit.supplemental, { join_source_type: null, source_invite_code: null, inviter_id: null });
  });

  it("filters by role, pages with limit and offset, and sorts by join time", async () => {
    const byRole = await search({ role_ids: [roleId] });
    assert.deepEqual(
      byRole.body.members.map((m: { user_id: string }) => m.user_id),
      [alina.id],
    );
    assert.deepEqual(byRole.body.members[0].role_ids, [roleId]);
    const all = await search({ sort_by: "joinedAt", sort_order: "asc", limit: 2 });
    assert.equal(all.body.total_result_count, 4);
    assert.equal(all.body.page_result_count, 2);
    assert.equal(all.body.members[0].user_id, owner.id, "the owner joined first");
    const next = await search({ sort_by: "joinedAt", sort_order: "asc", limit: 2, offset: 2 });
    const pages = [...all.body.members, ...next.body.members].map((m: { user_id: string }) => m.user_id);
    assert.deepEqual([...pages].sort(), [owner.id, alice.id, alina.id, bob.id].sort(), "two pages cover everyone once");
    const future = await search({ joined_at_gte: Math.floor(Date.now() / 1000) + 3600 });
    assert.equal(future.body.total_result_count, 0);
    assert.equal((await search({ is_bot: true })).body.total_result_count, 0);
  });

  it("needs one of the member-management permissions", async () => {
    const denied = await search({ query: "a" }, alice);
    assert.equal(denied.status, 403);
    assert.equal(denied.body.code, "MISSING_PERMISSIONS");
    const kicker = await search({ query: "bob" }, alina);
    assert.equal(kicker.status, 200);
    assert.equal(kicker.body.members[0].user_id, bob.id);
  });

  it("answers bad bodies with form errors", async () => {
    const bad = await search({ limit: 0, query: "x".repeat(101), role_ids: ["nope"] });
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body.errors.map((e: { path: string }) => e.path).sort(), ["limit", "query", "role_ids.0"]);
  });
});
