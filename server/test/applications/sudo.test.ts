/**
 * Sudo verification: deleting an application and resetting its bot token or client secret need the
 * owner's password, every time. Missing or wrong, it is a form error on `password` and nothing changes.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { type ApiResponse, registerUser, startTestServer, type TestServer, type TestUser } from "../support/harness.ts";

function assertPasswordError(response: ApiResponse, what: string) {
  assert.equal(response.status, 400, `${what}: ${JSON.stringify(response.body)}`);
  assert.equal(response.body.code, "INVALID_FORM_BODY", what);
  assert.deepEqual(
    response.body.errors.map((error: { path: string }) => error.path),
    ["password"],
    what,
  );
}

describe("application sudo verification", () => {
  let server: TestServer;
  let owner: TestUser;
  let app: { id: string; client_secret: string; bot: { token: string } };
  before(async () => {
    server = await startTestServer();
    owner = await registerUser(server, "sudo_owner");
    const created = await server.request("POST", "/oauth2/applications", { token: owner.token, body: { name: "sudo bot" } });
    assert.equal(created.status, 200);
    app = created.body;
  });
  after(() => server.close());

  const botWorks = async (token: string) => (await server.request("GET", "/users/@me", { token: `Bot ${token}` })).status === 200;

  it("refuses each sensitive action without the password or with a wrong one, changing nothing", async () => {
    const actions = [
      ["POST", `/oauth2/applications/${app.id}/bot/reset-token`],
      ["POST", `/oauth2/applications/${app.id}/client-secret/reset`],
      ["DELETE", `/oauth2/applications/${app.id}`],
    ] as const;
    for (const [method, path] of actions) {
      assertPasswordError(await server.request(method, path, { token: owner.token, body: {} }), `${method} ${path} without a password`);
      assertPasswordError(await server.request(method, path, { token: owner.token }), `${method} ${path} without a body`);
      const wrong = await server.request(method, path, { token: owner.token, body: { password: "not-the-password" } });
      assertPasswordError(wrong, `${method} ${path} with a wrong password`);
    }
    assert.ok(await botWorks(app.bot.token), "the bot token still works");
    assert.equal((await server.request("GET", `/oauth2/applications/${app.id}`, { token: owner.token })).status, 200, "still there");
  });

  it("does each with the password", async () => {
    const body = { password: owner.password };
    const reset = await server.request("POST", `/oauth2/applications/${app.id}/bot/reset-token`, { token: owner.token, body });
    assert.equal(reset.status, 200);
    assert.ok(!(await botWorks(app.bot.token)));
    const secret = await server.request("POST", `/oauth2/applications/${app.id}/client-secret/reset`, { token: owner.token, body });
    assert.equal(secret.status, 200);
    assert.notEqual(secret.body.client_secret, app.client_secret);
    assert.equal((await server.request("DELETE", `/oauth2/applications/${app.id}`, { token: owner.token, body })).status, 204);
    assert.equal((await server.request("GET", `/oauth2/applications/${app.id}`, { token: owner.token })).status, 404);
  });
});
