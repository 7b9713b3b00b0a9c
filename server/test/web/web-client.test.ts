import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { startTestServer, type TestServer } from "../support/harness.ts";

const indexHtml = '<!doctype html><html><head><script type="module" src="/assets/index-abc123.js"></script></head><body></body></html>';

describe("web client serving", () => {
  let server: TestServer;
  let clientDir: string;

  before(async () => {
    clientDir = mkdtempSync(join(tmpdir(), "fluxer-client-"));
    mkdirSync(join(clientDir, "assets"));
    writeFileSync(join(clientDir, "index.html"), indexHtml);
    writeFileSync(join(clientDir, "assets", "index-abc123.js"), "console.log('client');");
    writeFileSync(join(clientDir, "assets", "index-abc123.css"), "body{margin:0}");
    server = await startTestServer({ web: { client_dir: clientDir } });
  });
  after(async () => {
    await server.close();
    rmSync(clientDir, { recursive: true, force: true });
  });

  const get = (url: string) => server.app.inject({ method: "GET", url });

  it("serves index.html at / with no-cache and strict security headers", async () => {
    const response = await get("/");
    assert.equal(response.statusCode, 200);
    assert.equal(response.body, indexHtml);
    assert.match(String(response.headers["content-type"]), /^text\/html/);
    assert.equal(response.headers["cache-control"], "no-cache");
    assert.equal(response.headers["x-content-type-options"], "nosniff");
    assert.equal(response.headers["referrer-policy"], "no-referrer");
    const csp = String(response.headers["content-security-policy"]);
    assert.match(csp, /script-src 'self'(;|$)/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
    assert.match(csp, /connect-src 'self' http:\/\/127\.0\.0\.1:8080 ws:\/\/127\.0\.0\.1:8080\/gateway(;|$)/);
  });

  it("falls back to index.html for the client's own routes", async () => {
    for (const url of ["/login", "/register", "/channels/123/456", "/channels/@me", "/invite/abcDEF12"]) {
      const response = await get(url);
      assert.equal(response.statusCode, 200, url);
      assert.equal(response.body, indexHtml, url);
    }
  });

  it("serves hashed assets as immutable with their content type", async () => {
    const js = await get("/assets/index-abc123.js");
    assert.equal(js.statusCode, 200);
    assert.equal(js.body, "console.log('client');");
    assert.match(String(js.headers["content-type"]), /^text\/javascript/);
    assert.equal(js.headers["cache-control"], "public, max-age=31536000, immutable");
    assert.equal(js.headers["x-content-type-options"], "nosniff");
    const css = await get("/assets/index-abc123.css");
    assert.match(String(css.headers["content-type"]), /^text\/css/);
  });

  it("answers 404 for missing assets and never leaves the folder", async () => {
    assert.equal((await get("/assets/nope.js")).statusCode, 404);
    assert.equal((await get("/assets/../index.html")).statusCode, 404);
    assert.equal((await get("/assets/%2e%2e/%2e%2e/package.json")).statusCode, 404);
  });

  it("keeps the API, discovery and unknown routes as they were", async () => {
    const wellKnown = await get("/.well-known/fluxer");
    assert.equal(wellKnown.statusCode, 200);
    assert.equal(wellKnown.json().api_code_version, 1);
    const api = await get("/api/v1/users/@me");
    assert.equal(api.statusCode, 401);
    assert.equal(api.json().code, "UNAUTHORIZED");
    assert.equal((await get("/api/v1/nothing-here")).statusCode, 404);
    assert.equal((await get("/not-a-client-route")).statusCode, 404);
  });
});

describe("web client serving without a build", () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ web: { client_dir: join(tmpdir(), "fluxer-no-client-here") } });
  });
  after(() => server.close());

  it("answers / with a page saying how to build the client", async () => {
    const response = await server.app.inject({ method: "GET", url: "/" });
    assert.equal(response.statusCode, 200);
    assert.match(response.body, /npm run build/);
    assert.equal(response.headers["cache-control"], "no-cache");
  });
});
