import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { registerUser, startTestServer, type TestServer } from "../support/harness.ts";
import { createGuild } from "../support/invite-world.ts";

describe("GET /users/:id/profile", () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  async function join(owner: { token: string }, channelId: string, user: { token: string }) {
    const invite = await server.request("POST", `/channels/${channelId}/invites`, { token: owner.token, body: {} });
    assert.equal(invite.status, 200, JSON.stringify(invite.body));
    assert.equal((await server.request("POST", `/invites/${invite.body.code}`, { token: user.token })).status, 200);
  }

  it("shows a guild mate's profile, their member entry in the asked guild, and the guilds both are in", async () => {
    const owner = await registerUser(server, "pr_owner");
    const mate = await registerUser(server, "pr_mate");
    const guild = await createGuild(server, owner, "shared");
    await join(owner, guild.channelId, mate);
    const bio = await server.request("PATCH", "/users/@me", { token: mate.token, body: { bio: "hello there", pronouns: "they/them" } });
    assert.equal(bio.status, 200);

    const res = await server.request("GET", `/users/${mate.id}/profile`, {
      token: owner.token,
      query: { guild_id: guild.id, with_mutual_guilds: "true", with_mutual_friends: "true" },
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.user.id, mate.id);
    assert.equal(res.body.user_profile.bio, "hello there");
    assert.equal(res.body.user_profile.pronouns, "they/them");
    assert.equal(res.body.guild_member.user.id, mate.id);
    assert.deepEqual(res.body.mutual_guilds, [{ id: guild.id, nick: null }]);
    assert.deepEqual(res.body.mutual_friends, []);

    const plain = await server.request("GET", `/users/${mate.id}/profile`, { token: owner.token });
    assert.equal(plain.status, 200);
    assert.ok(!("mutual_guilds" in plain.body) && !("guild_member" in plain.body), "only what was asked for");
  });

  it("refuses a stranger's profile with MISSING_ACCESS, answers your own, and 404 for nobody", async () => {
    const a = await registerUser(server, "pr_a");
    const b = await registerUser(server, "pr_b");
    const refused = await server.request("GET", `/users/${b.id}/profile`, { token: a.token });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.code, "MISSING_ACCESS");
    const own = await server.request("GET", `/users/${a.id}/profile`, { token: a.token });
    assert.equal(own.status, 200);
    assert.equal(own.body.user.id, a.id);
    const nobody = await server.request("GET", "/users/123456789012345678/profile", { token: a.token });
    assert.equal(nobody.status, 404);
    assert.equal(nobody.body.code, "UNKNOWN_USER");
  });
});
