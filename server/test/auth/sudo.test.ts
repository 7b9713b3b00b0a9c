/** Logging out other sessions needs the password, every time: missing or wrong, a form error on `password`. */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { registerUser, startTestServer, type TestServer } from "../support/harness.ts";

describe("session logout sudo verification", () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it("refuses to log out other sessions without the right password, and does it with it", async () => {
    const user = await registerUser(server, "sudo_sessions");
    const second = await server.request("POST", "/auth/login", { body: { email: user.email, password: user.password } });
    assert.equal(second.status, 200);
    const sessions = await server.request("GET", "/auth/sessions", { token: user.token });
    const other = sessions.body.find((s: { current: boolean }) => !s.current);
    const logout = (body: Record<string, unknown>) => server.request("POST", "/auth/sessions/logout", { token: user.token, body });
    for (const body of [{ session_id_hashes: [other.id_hash] }, { session_id_hashes: [other.id_hash], password: "not-the-password" }]) {
      const refused = await logout(body);
      assert.equal(refused.status, 400, JSON.stringify(body));
      assert.equal(refused.body.code, "INVALID_FORM_BODY");
      assert.deepEqual(
        refused.body.errors.map((error: { path: string }) => error.path),
        ["password"],
      );
    }
    assert.equal((await server.request("GET", "/users/@me", { token: second.body.token })).status, 200, "the other session lives on");
    assert.equal((await logout({ session_id_hashes: [other.id_hash], password: user.password })).status, 204);
    assert.equal((await server.request("GET", "/users/@me", { token: second.body.token })).status, 401);
  });
});
