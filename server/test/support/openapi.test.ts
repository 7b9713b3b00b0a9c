import assert from "node:assert/strict";
import { createConnection } from "node:net";
import { describe, test } from "node:test";
import { engineOrSkip, startRedis } from "./engines.ts";
import { inScopeOperations, matchOperation, specRoutes, validateResponse } from "./openapi.ts";

describe("openapi oracle: matchOperation", () => {
  test("the literal /users/@me wins over /users/{user_id}", () => {
    assert.equal(matchOperation("GET", "/users/@me")?.operationId, "get_current_user");
    assert.equal(matchOperation("get", "/api/v1/users/@me")?.operationId, "get_current_user");
  });

  test("/users/123 is get_user_by_id, with or without the /api prefix", () => {
    assert.equal(matchOperation("GET", "/users/123")?.operationId, "get_user_by_id");
    assert.equal(matchOperation("GET", "/api/users/123")?.template, "/users/{user_id}");
  });

  test("a literal segment wins over a parameter at the same depth", () => {
    assert.equal(matchOperation("DELETE", "/channels/1/messages/ack")?.template, "/channels/{channel_id}/messages/ack");
    assert.equal(matchOperation("DELETE", "/channels/1/messages/2")?.template, "/channels/{channel_id}/messages/{message_id}");
  });

  test("/.well-known/fluxer has no prefix and is found", () => {
    assert.equal(matchOperation("GET", "/.well-known/fluxer")?.operationId, "get_well_known_fluxer");
  });

  test("every spec template matches its own operation", () => {
    for (const { method, template } of specRoutes()) {
      const concrete = template.replace(/\{[^}]+\}/g, "1");
      assert.equal(matchOperation(method, concrete)?.template, template, `${method} ${template}`);
    }
  });

  test("in-scope operations exclude the hosted-billing tags", () => {
    const inScope = inScopeOperations();
    assert.ok(inScope.length > 0 && inScope.length < specRoutes().length);
    for (const op of inScope) {
      assert.ok(!op.tags.some((tag) => ["Premium", "Billing", "Donations", "Gifts"].includes(tag)));
    }
  });
});

describe("openapi oracle: validateResponse", () => {
  test("an Error body passes for an undocumented 404", () => {
    const result = validateResponse({
      method: "GET",
      path: "/users/123",
      status: 404,
      body: { code: "UNKNOWN_USER", message: "Unknown user" },
    });
    assert.deepEqual(result, { ok: true, operationId: "get_user_by_id", documented: false });
  });

  test("an Error body with a numeric code fails", () => {
    const result = validateResponse({
      method: "GET",
      path: "/users/123",
      status: 404,
      body: { code: 10013, message: "Unknown user" },
    });
    assert.equal(result.ok, false);
    assert.match(result.ok ? "" : result.error, /get_user_by_id.*\/code must be string/);
  });

  test("a /.well-known/fluxer 200 missing required keys fails", () => {
    const result = validateResponse({
      method: "GET",
      path: "/.well-known/fluxer",
      status: 200,
      body: { api_code_version: 1 },
    });
    assert.equal(result.ok, false);
    assert.match(result.ok ? "" : result.error, /get_well_known_fluxer.*must have required property 'endpoints'/);
  });

  test("a raw body is checked for its content type and parsed", () => {
    const notJson = validateResponse({
      method: "GET",
      path: "/users/1",
      status: 404,
      body: "<html></html>",
      contentType: "text/html",
    });
    assert.equal(notJson.ok, false);
    const json = validateResponse({
      method: "GET",
      path: "/users/1",
      status: 404,
      body: '{"code":"UNKNOWN_USER","message":"Unknown user"}',
      contentType: "application/json; charset=utf-8",
    });
    assert.equal(json.ok, true);
  });

  test("an undocumented 2xx fails", () => {
    const result = validateResponse({ method: "GET", path: "/users/@me", status: 201, body: {} });
    assert.equal(result.ok, false);
    assert.match(result.ok ? "" : result.error, /get_current_user.*not documented/);
  });

  test("a route that is not in the spec fails", () => {
    const result = validateResponse({ method: "GET", path: "/api/v1/no/such/route", status: 200, body: {} });
    assert.equal(result.ok, false);
    assert.match(result.ok ? "" : result.error, /matches no operation/);
  });
});

describe("engines", () => {
  test("a private redis answers PING on loopback and stops", async (t) => {
    if (!engineOrSkip("redis", t)) return;
    const redis = await startRedis();
    try {
      assert.equal(redis.url, `redis://127.0.0.1:${redis.port}`);
      const reply = await new Promise<string>((resolve, reject) => {
        const socket = createConnection({ host: "127.0.0.1", port: redis.port });
        socket.once("error", reject);
        socket.once("connect", () => socket.write("*1\r\n$4\r\nPING\r\n"));
        socket.once("data", (chunk) => {
          socket.destroy();
          resolve(chunk.toString("utf8"));
        });
      });
      assert.equal(reply, "+PONG\r\n");
    } finally {
      await redis.stop();
    }
    // Stopped means gone: a new connection is refused.
    await assert.rejects(
      new Promise((resolve, reject) => {
        const socket = createConnection({ host: "127.0.0.1", port: redis.port });
        socket.once("connect", () => {
          socket.destroy();
          resolve(undefined);
        });
        socket.once("error", reject);
      }),
    );
  });
});
