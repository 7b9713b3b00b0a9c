import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startTestServer, type TestServer } from "../support/harness.ts";

describe("discovery under the API base", () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ domain: { base_domain: "chat.example.test", public_scheme: "https", public_port: 443 } });
  });
  after(() => server.close());

  it("serves the same document at /api/v1/.well-known/fluxer and /api/.well-known/fluxer as at the origin root", async () => {
    const root = await server.request("GET", "/.well-known/fluxer");
    assert.equal(root.status, 200);
    for (const path of ["/api/v1/.well-known/fluxer", "/api/.well-known/fluxer"]) {
      const response = await server.request("GET", path);
      assert.equal(response.status, 200, path);
      assert.equal(response.headers["access-control-allow-origin"], "*", path);
      assert.deepEqual(response.body, root.body, path);
      assert.equal(response.body.endpoints.api, "https://chat.example.test/api", path);
    }
  });
});
