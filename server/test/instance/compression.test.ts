import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { gunzipSync } from "node:zlib";
import { startTestServer, type TestServer } from "../support/harness.ts";

describe("response compression", () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it("compresses a response over 1 KB for a client that accepts gzip", async () => {
    const response = await server.app.inject({ method: "GET", url: "/.well-known/fluxer", headers: { "accept-encoding": "gzip" } });
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers["content-encoding"], "gzip");
    const document = JSON.parse(gunzipSync(response.rawPayload).toString("utf8"));
    assert.equal(document.api_code_version, 1);
    assert.ok(JSON.stringify(document).length > 1024);
  });

  it("leaves small responses and clients that do not ask uncompressed", async () => {
    const small = await server.app.inject({ method: "GET", url: "/_health", headers: { "accept-encoding": "gzip" } });
    assert.equal(small.headers["content-encoding"], undefined);
    const plain = await server.app.inject({ method: "GET", url: "/.well-known/fluxer" });
    assert.equal(plain.headers["content-encoding"], undefined);
    assert.equal(JSON.parse(plain.body).api_code_version, 1);
  });
});
