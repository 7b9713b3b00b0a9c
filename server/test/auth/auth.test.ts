import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { registerUser, startTestServer, type TestServer } from "../support/harness.ts";

describe("accounts and sessions", () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it("makes the first account the instance administrator, and only the first", async () => {
    const owner = await registerUser(server, "owner");
    const second = await registerUser(server, "second");
    const me = await server.request("GET", "/users/@me", { token: owner.token });
    assert.equal(me.status, 200);
    assert.deepEqual(me.body.acls, ["admin"]);
    assert.equal(me.body.email, "owner@example.test");
    const other = await server.request("GET", "/users/@me", { token: second.token });
    assert.deepEqual(other.body.acls, []);
  });

  it("logs in with email and password and lists the sessions, marking the current one", async () => {
    const user = await registerUser(server, "lister");
    const login = await server.request("POST", "/auth/login", { body: { email: user.email, password: user.password } });
    assert.equal(login.status, 200);
    assert.match(login.body.token, /^flx_[0-9A-Za-z]{36}$/);
    assert.equal(login.body.user_id, user.id);
    const sessions = await server.request("GET", "/auth/sessions", { token: login.body.token });
    assert.equal(sessions.status, 200);
    assert.equal(sessions.body.length, 2);
    assert.equal(sessions.body.filter((s: { current: boolean }) => s.current).length, 1);
  });

  it("refuses a wrong password with a form error and no token", async () => {
    const user = await registerUser(server, "wrongpw");
    const login = await server.request("POST", "/auth/login", { body: { email: user.email, password: "not-the-password" } });
    assert.equal(login.status, 400);
    assert.equal(login.body.code, "INVALID_FORM_BODY");
    assert.equal(login.body.token, undefined);
  });

  it("ends a session on logout, and the token stops working", async () => {
    const user = await registerUser(server, "leaver");
    assert.equal((await server.request("POST", "/auth/logout", { token: user.token })).status, 204);
    const me = await server.request("GET", "/users/@me", { token: user.token });
    assert.equal(me.status, 401);
    assert.equal(me.body.code, "UNAUTHORIZED");
  });

  it("logs out other sessions by their hash", async () => {
    const user = await registerUser(server, "multi");
    const second = await server.request("POST", "/auth/login", { body: { email: user.email, password: user.password } });
    const sessions = await server.request("GET", "/auth/sessions", { token: user.token });
    const other = sessions.body.find((s: { current: boolean }) => !s.current);
    const out = await server.request("POST", "/auth/sessions/logout", {
      token: user.token,
      body: { session_id_hashes: [other.id_hash], password: user.password },
    });
    assert.equal(out.status, 204);
    assert.equal((await server.request("GET", "/users/@me", { token: second.body.token })).status, 401);
    assert.equal((await server.request("GET", "/users/@me", { token: user.token })).status, 200);
  });

  it("rejects a duplicate email and bad fields with one error item per field", async () => {
    await registerUser(server, "dupe");
    const again = await server.request("POST", "/auth/register", { body: { email: "dupe@example.test", password: "long-enough-pw" } });
    assert.equal(again.status, 400);
    assert.equal(again.body.errors[0].path, "email");
    const bad = await server.request("POST", "/auth/register", {
      body: { email: "not-an-email", password: "short", username: "bad name!" },
    });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.code, "INVALID_FORM_BODY");
    assert.deepEqual(bad.body.errors.map((e: { path: string }) => e.path).sort(), ["email", "password", "username"]);
  });

  it("answers malformed JSON with INVALID_FORM_BODY", async () => {
    const response = await server.request("POST", "/auth/login", { payload: "{not json", headers: { "content-type": "application/json" } });
    assert.equal(response.status, 400);
    assert.equal(response.body.code, "INVALID_FORM_BODY");
  });
});

describe("users", () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it("updates the profile, and a tag change needs the password", async () => {
    const user = await registerUser(server, "profiler");
    const patched = await server.request("PATCH", "/users/@me", { token: user.token, body: { global_name: "Pro Filer", bio: "hi" } });
    assert.equal(patched.status, 200);
    assert.equal(patched.body.global_name, "Pro Filer");
    const noPassword = await server.request("PATCH", "/users/@me", { token: user.token, body: { username: "renamed" } });
    assert.equal(noPassword.status, 400);
    const renamed = await server.request("PATCH", "/users/@me", {
      token: user.token,
      body: { username: "renamed", password: user.password },
    });
    assert.equal(renamed.status, 200);
    assert.equal(renamed.body.username, "renamed");
    const seen = await server.request("GET", `/users/${user.id}`, { token: user.token });
    assert.equal(seen.status, 200);
    assert.equal(seen.body.username, "renamed");
    assert.equal(seen.body.email, undefined);
  });

  it("answers unknown and malformed user ids with 404 and 400", async () => {
    const user = await registerUser(server, "looker");
    const unknown = await server.request("GET", "/users/123456789012345678", { token: user.token });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.code, "UNKNOWN_USER");
    const malformed = await server.request("GET", "/users/not-a-snowflake", { token: user.token });
    assert.equal(malformed.status, 400);
    assert.equal(malformed.body.errors[0].path, "user_id");
  });
});

describe("password change", () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it("logs out every other session and keeps the one that changed it", async () => {
    const user = await registerUser(server, "rotator");
    const laptop = await server.request("POST", "/auth/login", { body: { email: user.email, password: user.password } });
    const changed = await server.request("PATCH", "/users/@me", {
      token: user.token,
      body: { password: user.password, new_password: "a-brand-new-secret" },
    });
    assert.equal(changed.status, 200);
    assert.equal((await server.request("GET", "/users/@me", { token: laptop.body.token })).status, 401);
    assert.equal((await server.request("GET", "/users/@me", { token: user.token })).status, 200);
    const relogin = await server.request("POST", "/auth/login", { body: { email: user.email, password: "a-brand-new-secret" } });
    assert.equal(relogin.status, 200);
    const old = await server.request("POST", "/auth/login", { body: { email: user.email, password: user.password } });
    assert.equal(old.status, 400);
  });
});
