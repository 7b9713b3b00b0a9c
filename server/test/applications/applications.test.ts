import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { registerUser, startTestServer, type TestServer, type TestUser } from "../support/harness.ts";

async function createApp(server: TestServer, owner: TestUser, name: string, extra: Record<string, unknown> = {}) {
  const created = await server.request("POST", "/oauth2/applications", { token: owner.token, body: { name, ...extra } });
  assert.equal(created.status, 200, JSON.stringify(created.body));
  return created.body as { id: string; client_secret: string; bot: { id: string; token: string; username: string } };
}

describe("applications", () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it("creates an application with a bot whose token is shown once and works", async () => {
    const owner = await registerUser(server, "app_owner");
    const created = await createApp(server, owner, "My Cool Bot!", { redirect_uris: ["https://example.test/cb"] });
    assert.equal(created.bot.username, "My_Cool_Bot");
    assert.match(created.bot.token, new RegExp(`^${created.id}\\.[0-9A-Za-z]{48}$`));
    assert.ok(created.client_secret.length >= 32);

    const fetched = await server.request("GET", `/oauth2/applications/${created.id}`, { token: owner.token });
    assert.equal(fetched.status, 200);
    assert.equal(fetched.body.bot.token, undefined, "the token is never shown again");
    assert.equal(fetched.body.client_secret, undefined);
    assert.deepEqual(fetched.body.redirect_uris, ["https://example.test/cb"]);

    const listed = await server.request("GET", "/users/@me/applications", { token: owner.token });
    assert.equal(listed.status, 200);
    assert.deepEqual(
      listed.body.map((a: { id: string }) => a.id),
      [created.id],
    );
    const viaMe = await server.request("GET", "/oauth2/applications/@me", { token: owner.token });
    assert.equal(viaMe.status, 200);
    assert.equal(viaMe.body.length, 1);

    const bot = `Bot ${created.bot.token}`;
    const me = await server.request("GET", "/users/@me", { token: bot });
    assert.equal(me.status, 200);
    assert.equal(me.body.bot, true);
    assert.equal(me.body.id, created.bot.id);
    const gateway = await server.request("GET", "/gateway/bot", { token: bot });
    assert.equal(gateway.status, 200);
    assert.equal(gateway.body.shards, 1);
    assert.equal(gateway.body.url.includes("?"), false);
    const ownApp = await server.request("GET", "/applications/@me", { token: bot });
    assert.equal(ownApp.status, 200);
    assert.equal(ownApp.body.id, created.id);
    assert.equal(ownApp.body.owner.id, owner.id);
    assert.match(ownApp.body.verify_key, /^[0-9a-f]{64}$/);
    const ownAppOauth = await server.request("GET", "/oauth2/applications/@me", { token: bot });
    assert.equal(ownAppOauth.status, 200);
    assert.equal(ownAppOauth.body.id, created.id);

    // Session-only routes refuse bots.
    const refused = await server.request("POST", "/oauth2/applications", { token: bot, body: { name: "nested" } });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.code, "BOT_USER_AUTH_ENDPOINT_ACCESS_DENIED");
    const userOnMe = await server.request("GET", "/applications/@me", { token: owner.token });
    assert.equal(userOnMe.status, 401);
  });

  it("updates the application and its bot profile", async () => {
    const owner = await registerUser(server, "app_editor");
    const created = await createApp(server, owner, "editor bot");
    const patched = await server.request("PATCH", `/oauth2/applications/${created.id}`, {
      token: owner.token,
      body: { name: "Renamed", bot_public: false, redirect_uris: ["https://example.test/next"] },
    });
    assert.equal(patched.status, 200);
    assert.equal(patched.body.name, "Renamed");
    assert.equal(patched.body.bot_public, false);

    const profile = await server.request("PATCH", `/oauth2/applications/${created.id}/bot`, {
      token: owner.token,
      body: { username: "helper_bot", bio: "I help", bot_flags: 16 },
    });
    assert.equal(profile.status, 200);
    assert.equal(profile.body.username, "helper_bot");
    assert.equal(profile.body.bio, "I help");
    assert.equal(profile.body.flags, 16);
    const seen = await server.request("GET", `/users/${created.bot.id}`, { token: owner.token });
    assert.equal(seen.body.username, "helper_bot");

    const badImage = await server.request("PATCH", `/oauth2/applications/${created.id}/bot`, {
      token: owner.token,
      body: { username: "bad name" },
    });
    assert.equal(badImage.status, 400);
    assert.equal(badImage.body.errors[0].path, "username");

    const publicView = await server.request("GET", `/oauth2/applications/${created.id}/public`);
    assert.equal(publicView.status, 200);
    assert.equal(publicView.body.name, "Renamed");
    assert.equal(publicView.body.bot.username, "helper_bot");
    assert.equal(publicView.body.bot.token, undefined);
    const withViewer = await server.request("GET", `/oauth2/applications/${created.id}/public`, { token: owner.token });
    assert.equal(withViewer.body.current_user.id, owner.id);
  });

  it("resets the bot token (the old one stops working) and the client secret", async () => {
    const owner = await registerUser(server, "app_resetter");
    const created = await createApp(server, owner, "reset bot");
    const wrong = await server.request("POST", `/oauth2/applications/${created.id}/bot/reset-token`, {
      token: owner.token,
      body: { password: "not-the-password" },
    });
    assert.equal(wrong.status, 400);
    assert.equal(wrong.body.errors[0].path, "password");
    assert.equal((await server.request("GET", "/users/@me", { token: `Bot ${created.bot.token}` })).status, 200);

    const reset = await server.request("POST", `/oauth2/applications/${created.id}/bot/reset-token`, {
      token: owner.token,
      body: { password: owner.password },
    });
    assert.equal(reset.status, 200);
    assert.notEqual(reset.body.token, created.bot.token);
    assert.equal(reset.body.bot.id, created.bot.id);
    assert.equal((await server.request("GET", "/users/@me", { token: `Bot ${created.bot.token}` })).status, 401);
    assert.equal((await server.request("GET", "/users/@me", { token: `Bot ${reset.body.token}` })).status, 200);

    const secret = await server.request("POST", `/oauth2/applications/${created.id}/client-secret/reset`, {
      token: owner.token,
      body: { password: owner.password },
    });
    assert.equal(secret.status, 200);
    assert.ok(secret.body.client_secret);
    assert.notEqual(secret.body.client_secret, created.client_secret);
  });

  it("lets only the owner see, change or delete an application", async () => {
    const owner = await registerUser(server, "app_keeper");
    const other = await registerUser(server, "app_snoop");
    const created = await createApp(server, owner, "private bot");
    for (const [method, path, body] of [
      ["GET", `/oauth2/applications/${created.id}`, undefined],
      ["PATCH", `/oauth2/applications/${created.id}`, { name: "mine now" }],
      ["PATCH", `/oauth2/applications/${created.id}/bot`, { bio: "x" }],
      ["POST", `/oauth2/applications/${created.id}/bot/reset-token`, {}],
      ["DELETE", `/oauth2/applications/${created.id}`, {}],
    ] as const) {
      const response = await server.request(method, path, { token: other.token, body });
      assert.equal(response.status, 403, `${method} ${path}`);
      assert.equal(response.body.code, "APPLICATION_NOT_OWNED");
    }
    const unknown = await server.request("GET", "/oauth2/applications/123456789012345678", { token: owner.token });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.code, "UNKNOWN_APPLICATION");
    assert.equal((await server.request("GET", "/oauth2/applications/123456789012345678/public")).status, 404);
    const malformed = await server.request("GET", "/oauth2/applications/not-an-id", { token: owner.token });
    assert.equal(malformed.status, 400);
    const noName = await server.request("POST", "/oauth2/applications", { token: owner.token, body: { redirect_uris: ["nope"] } });
    assert.equal(noName.status, 400);
    assert.deepEqual(noName.body.errors.map((e: { path: string }) => e.path).sort(), ["name", "redirect_uris.0"]);

    const deleted = await server.request("DELETE", `/oauth2/applications/${created.id}`, {
      token: owner.token,
      body: { password: owner.password },
    });
    assert.equal(deleted.status, 204);
    assert.equal((await server.request("GET", `/oauth2/applications/${created.id}`, { token: owner.token })).status, 404);
    assert.equal((await server.request("GET", "/users/@me", { token: `Bot ${created.bot.token}` })).status, 401);
  });
});
