import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startTestServer, type TestServer } from "../support/harness.ts";

describe("discovery and health", () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ domain: { base_domain: "chat.example.test", public_scheme: "https", public_port: 443 } });
  });
  after(() => server.close());

  it("serves /.well-known/fluxer at the origin root with this instance's endpoints", async () => {
    const response = await server.request("GET", "/.well-known/fluxer");
    assert.equal(response.status, 200);
    assert.equal(response.headers["access-control-allow-origin"], "*");
    assert.equal(response.body.api_code_version, 1);
    assert.equal(response.body.endpoints.api, "https://chat.example.test/api");
    assert.equal(response.body.endpoints.gateway, "wss://chat.example.test/gateway");
    for (const url of Object.values(response.body.endpoints) as string[]) assert.match(url, /^(https|wss):\/\/chat\.example\.test(\/|$)/);
  });

  it("answers health, readiness and liveness", async () => {
    for (const path of ["/_health", "/_ready", "/_live"]) assert.equal((await server.request("GET", path)).status, 200);
  });

  it("says a Fluxer route that is not built yet is disabled, and an unknown route is not found", async () => {
    const disabled = await server.request("GET", "/users/@me/entrance-sounds", { token: "x" });
    assert.equal(disabled.status, 403);
    assert.equal(disabled.body.code, "FEATURE_TEMPORARILY_DISABLED");
    const missing = await server.request("GET", "/api/v1/no/such/route");
    assert.equal(missing.status, 404);
  });
});
