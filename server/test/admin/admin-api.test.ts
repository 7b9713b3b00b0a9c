// The host's admin API (`Authorization: Admin <key>`) and claim-before-anything-else registration.
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { registerUser, startTestServer, type TestServer } from "../support/harness.ts";

const KEY = "an-admin-key-only-the-host-knows-0123456789";
const admin = { authorization: `Admin ${KEY}` };
const owner = { email: "owner@example.test", username: "owner", password: "owner-password-1", community_name: "Home" };
const newcomer = { email: "newcomer@example.test", username: "newcomer", password: "newcomer-password" };

describe("admin API without a configured key", () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it("does not exist, whatever the caller sends", async () => {
    const claim = await server.request("POST", "/_appliance/admin/claim", { headers: { authorization: "Admin anything" }, body: owner });
    assert.equal(claim.status, 404);
    const figures = await server.request("GET", "/_appliance/admin/instance", { headers: { authorization: "Admin anything" } });
    assert.equal(figures.status, 404);
  });

  it("leaves registration as it was: open, first user admin", async () => {
    const user = await registerUser(server, "solo");
    const me = await server.request("GET", "/users/@me", { token: user.token });
    assert.equal(me.status, 200);
  });
});

describe("admin API with a key, registration under require_claim", () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ instance: { admin_api_key: KEY, require_claim: true } });
  });
  after(() => server.close());

  it("refuses a missing, foreign or wrong-scheme key with 401", async () => {
    for (const authorization of [undefined, "Admin wrong-key-wrong-key-wrong-key", `Bot ${KEY}`, KEY]) {
      const response = await server.request("GET", "/_appliance/admin/instance", { headers: authorization ? { authorization } : {} });
      assert.equal(response.status, 401, String(authorization));
      assert.equal(response.body.code, "UNAUTHORIZED");
    }
  });

  it("refuses every registration before the claim, with REGISTRATION_CLOSED", async () => {
    const response = await server.request("POST", "/auth/register", { body: newcomer });
    assert.equal(response.status, 403);
    assert.equal(response.body.code, "REGISTRATION_CLOSED");
    const figures = await server.request("GET", "/_appliance/admin/instance", { headers: admin });
    assert.equal(figures.status, 200);
    assert.deepEqual(figures.body, {
      claimed: false,
      owner_id: null,
      users: 0,
      bots: 0,
      guilds: 0,
      messages: 0,
      gateway: { connections: 0, sessions: 0 },
    });
  });

  it("has no owner's invite before the claim", async () => {
    const invite = await server.request("POST", "/_appliance/admin/invite", { headers: admin });
    assert.equal(invite.status, 409);
    assert.equal(invite.body.code, "CONFLICT");
  });

  it("rejects a malformed claim with INVALID_FORM_BODY and claims nothing", async () => {
    const response = await server.request("POST", "/_appliance/admin/claim", { headers: admin, body: { ...owner, community_name: "" } });
    assert.equal(response.status, 400);
    assert.equal(response.body.code, "INVALID_FORM_BODY");
    assert.ok(response.body.errors.some((error: { path: string }) => error.path === "community_name"));
    const figures = await server.request("GET", "/_appliance/admin/instance", { headers: admin });
    assert.equal(figures.body.claimed, false);
  });

  it("lets exactly one of several parallel claims win", async () => {
    const claims = await Promise.all(
      [0, 1, 2, 3, 4].map((n) =>
        server.request("POST", "/_appliance/admin/claim", {
          headers: admin,
          body: { ...owner, email: `owner${n}@example.test`, community_name: `Home ${n}` },
        }),
      ),
    );
    const statuses = claims.map((claim) => claim.status).sort();
    assert.deepEqual(statuses, [200, 409, 409, 409, 409]);
    const winner = claims.find((claim) => claim.status === 200)!;
    assert.equal(winner.body.user.username, "owner");
    for (const lost of claims.filter((claim) => claim.status === 409)) assert.equal(lost.body.code, "CONFLICT");

    const figures = await server.request("GET", "/_appliance/admin/instance", { headers: admin });
    assert.equal(figures.body.claimed, true);
    assert.equal(figures.body.owner_id, winner.body.user.id);
    assert.equal(figures.body.users, 1);
    assert.equal(figures.body.guilds, 1);

    // The owner signs in, is the instance administrator and owns the named community.
    const index = claims.indexOf(winner);
    const login = await server.request("POST", "/auth/login", { body: { email: `owner${index}@example.test`, password: owner.password } });
    assert.equal(login.status, 200);
    const guilds = await server.request("GET", "/users/@me/guilds", { token: login.body.token });
    assert.deepEqual(
      guilds.body.map((guild: { id: string; name: string; owner_id: string }) => [guild.id, guild.name, guild.owner_id]),
      [[winner.body.guild_id, `Home ${index}`, winner.body.user.id]],
    );
    assert.ok(server.deps.stores.users.get(BigInt(winner.body.user.id))?.acls.includes("admin"));
  });

  it("gives the host one permanent invite to the owner's community, the same when asked again", async () => {
    const first = await server.request("POST", "/_appliance/admin/invite", { headers: admin });
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.equal(first.body.max_age, 0);
    const again = await server.request("POST", "/_appliance/admin/invite", { headers: admin });
    assert.equal(again.body.code, first.body.code);
    const preview = await server.request("GET", `/invites/${first.body.code}`);
    assert.equal(preview.status, 200);
    assert.match(preview.body.guild.name, /^Home \d$/);
    assert.equal(preview.body.channel.name, "general");
    assert.equal((await server.request("POST", "/_appliance/admin/invite")).status, 401, "only with the key");
  });

  it("refuses a second claim afterwards", async () => {
    const again = await server.request("POST", "/_appliance/admin/claim", {
      headers: admin,
      body: { ...owner, email: "late@example.test" },
    });
    assert.equal(again.status, 409);
  });

  it("opens registration after the claim, without making the newcomer an administrator", async () => {
    const response = await server.request("POST", "/auth/register", { body: newcomer });
    assert.equal(response.status, 200, JSON.stringify(response.body));
    assert.deepEqual(server.deps.stores.users.get(BigInt(response.body.user_id))?.acls, []);
    const figures = await server.request("GET", "/_appliance/admin/instance", { headers: admin });
    assert.equal(figures.body.users, 2);
  });
});

describe("a claim on an instance where people registered already", () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ instance: { admin_api_key: KEY } });
  });
  after(() => server.close());

  it("refuses an email that is taken, and the instance stays unclaimed", async () => {
    const early = await registerUser(server, "early");
    const taken = await server.request("POST", "/_appliance/admin/claim", { headers: admin, body: { ...owner, email: early.email } });
    assert.equal(taken.status, 400);
    assert.equal(taken.body.errors[0].code, "EMAIL_ALREADY_REGISTERED");
    const figures = await server.request("GET", "/_appliance/admin/instance", { headers: admin });
    assert.equal(figures.body.claimed, false);
    assert.equal(figures.body.guilds, 0);
    const claim = await server.request("POST", "/_appliance/admin/claim", { headers: admin, body: owner });
    assert.equal(claim.status, 200, JSON.stringify(claim.body));
  });
});
