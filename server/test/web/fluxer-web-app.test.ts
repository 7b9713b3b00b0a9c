import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { runInNewContext } from "node:vm";
import { buildApp } from "../../src/app.ts";
import { ConfigError } from "../../src/config.ts";
import { createDeps } from "../../src/deps.ts";
import { type GatewayServer, startGatewayServer } from "../gateway/gateway-world.ts";
import { startTestServer, testConfig } from "../support/harness.ts";

const INLINE_SCRIPT = "window.__inlineRan = true;";
const APP_JS = 'console.log("fake fluxer app");';

/** A tiny stand-in for an official Fluxer web build, with the placeholders upstream's page server fills in. */
function writeFakeBuild(root: string): string {
  const dir = join(root, "fluxer-web");
  mkdirSync(join(dir, "assets"), { recursive: true });
  writeFileSync(
    join(dir, "index.html"),
    `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Fluxer</title>
<link rel="stylesheet" href="{{STATIC_CDN_ENDPOINT}}/fonts/ibm-plex.css?v=3">
<link rel="icon" type="image/png" sizes="32x32" href="https://fluxerstatic.com/web/favicon-32x32.png">
<!--{{FLUXER_BOOTSTRAP}}-->
<script nonce="{{CSP_NONCE_PLACEHOLDER}}">${INLINE_SCRIPT}</script>
<script defer src="/assets/app-0123456789abcdef.js"></script>
</head>
<body><div id="root"></div></body>
</html>
`,
  );
  writeFileSync(join(dir, "assets", "app-0123456789abcdef.js"), APP_JS);
  writeFileSync(join(dir, "manifest.json"), JSON.stringify({ icons: [{ src: "{{STATIC_CDN_ENDPOINT}}/web/android-chrome-192x192.png" }] }));
  writeFileSync(join(dir, "sw.js"), "self.addEventListener('fetch', () => {});");
  writeFileSync(join(dir, ".env"), "SECRET=inside");
  writeFileSync(join(root, "outside.txt"), "SECRET=outside");
  return dir;
}

describe("an official Fluxer web build served at /", () => {
  let root: string;
  let server: GatewayServer;
  let origin: string;
  const get = (url: string) => server.app.inject({ method: "GET", url });

  before(async () => {
    root = mkdtempSync(join(tmpdir(), "fluxer-web-"));
    server = await startGatewayServer({ web: { fluxer_app_dir: writeFakeBuild(root) } });
    origin = `http://127.0.0.1:${server.port}`;
  });
  after(async () => {
    await server.close();
    rmSync(root, { recursive: true, force: true });
  });

  it("serves index.html with the bootstrap as the first script in <head> and the placeholders filled in", async () => {
    const response = await get("/");
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers["content-type"], "text/html; charset=utf-8");
    assert.equal(response.headers["cache-control"], "no-cache");
    const head = response.body.slice(response.body.indexOf("<head>"), response.body.indexOf("</head>"));
    assert.match(head, /^<head>\s*<script src="\/__fluxer_bootstrap\.js"><\/script>/);
    assert.ok(head.includes(`href="${origin}/static/fonts/ibm-plex.css?v=3"`), "the static CDN placeholder is ours");
    assert.ok(head.includes(`href="${origin}/static/web/favicon-32x32.png"`), "upstream's CDN host is replaced");
    assert.doesNotMatch(response.body, /\{\{|fluxerstatic\.com|nonce=/);
    assert.ok(response.body.includes(`<script>${INLINE_SCRIPT}</script>`), "the build's own inline script stays");
  });

  it("sends a CSP that allows its own scripts and inline ones by hash only, this origin and the gateway, plus hardening headers", async () => {
    const response = await get("/");
    const csp = String(response.headers["content-security-policy"]);
    const directive = (name: string) => csp.split("; ").find((part) => part.startsWith(`${name} `)) ?? "";
    const hash = `'sha256-${createHash("sha256").update(INLINE_SCRIPT).digest("base64")}'`;
    assert.ok(directive("script-src").split(" ").includes(hash), csp);
    assert.ok(directive("script-src").split(" ").includes("'self'"), csp);
    for (const loose of ["'unsafe-inline'", "'unsafe-eval'", "*", "data:"])
      assert.ok(!directive("script-src").split(" ").includes(loose), csp);
    assert.deepEqual(directive("connect-src").split(" ").slice(1), ["'self'", `ws://127.0.0.1:${server.port}`]);
    assert.equal(directive("default-src"), "default-src 'self'");
    assert.equal(directive("object-src"), "object-src 'none'");
    assert.equal(directive("frame-ancestors"), "frame-ancestors 'none'");
    assert.equal(response.headers["x-content-type-options"], "nosniff");
    assert.equal(response.headers["referrer-policy"], "strict-origin-when-cross-origin");
  });

  it("answers every client-side route with the same page (history fallback)", async () => {
    const index = (await get("/")).body;
    for (const path of ["/channels/@me", "/channels/1234567890/987654321", "/login", "/invite/AbCdEf", "/index.html"]) {
      const response = await get(path);
      assert.equal(response.statusCode, 200, path);
      assert.equal(response.headers["content-type"], "text/html; charset=utf-8", path);
      assert.equal(response.body, index, path);
      assert.ok(response.headers["content-security-policy"], path);
    }
  });

  it("serves the bootstrap the app reads before it starts: channel, API base and this instance's discovery document", async () => {
    const response = await get("/__fluxer_bootstrap.js");
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers["content-type"], "application/javascript; charset=utf-8");
    assert.equal(response.headers["cache-control"], "no-cache");
    const context: { window: Record<string, any> } = { window: {} };
    runInNewContext(response.body, context);
    const bootstrap = context.window.__FLUXER_BOOTSTRAP__;
    const discovery = (await server.request("GET", "/.well-known/fluxer")).body;
    assert.deepEqual(JSON.parse(JSON.stringify(bootstrap)), {
      config: { releaseChannel: "stable", bootstrapApiEndpoint: `${origin}/api`, bootstrapApiPublicEndpoint: `${origin}/api` },
      instance: discovery,
      geoip: { countryCode: null, regionCode: null, latitude: null, longitude: null, ageRestrictedGeos: [], ageBlockedGeos: [] },
    });
    assert.equal(context.window.__FLUXER_CONFIG__.PUBLIC_BOOTSTRAP_API_ENDPOINT, `${origin}/api`);
  });

  it("serves hashed assets for good, other files revalidated, templated files filled in", async () => {
    const asset = await get("/assets/app-0123456789abcdef.js");
    assert.equal(asset.statusCode, 200);
    assert.equal(asset.body, APP_JS);
    assert.match(String(asset.headers["content-type"]), /^(application|text)\/javascript/);
    assert.equal(asset.headers["cache-control"], "public, max-age=31536000, immutable");
    assert.equal(asset.headers["x-content-type-options"], "nosniff");
    const worker = await get("/sw.js");
    assert.equal(worker.statusCode, 200);
    assert.equal(worker.headers["cache-control"], "no-cache");
    const manifest = await get("/manifest.json");
    assert.equal(manifest.headers["cache-control"], "no-cache");
    assert.equal(JSON.parse(manifest.body).icons[0].src, `${origin}/static/web/android-chrome-192x192.png`);
  });

  it("answers 404 for missing files and never serves hidden files or anything outside the build folder", async () => {
    for (const url of [
      "/assets/missing-0123456789abcdef.js",
      "/assets/nothing",
      "/missing.css",
      "/.env",
      "/..%2Foutside.txt",
      "/assets/..%2F..%2Foutside.txt",
    ]) {
      const response = await get(url);
      assert.equal(response.statusCode, 404, url);
      assert.doesNotMatch(response.body, /SECRET/, url);
    }
    const traversal = await get("/..%2F..%2F..%2Fetc%2Fpasswd");
    assert.doesNotMatch(traversal.body, /root:/);
  });

  it("leaves the server's own paths as they were: API, discovery, health, media, static and the gateway", async () => {
    const api404 = await server.request("GET", "/api/v1/no/such/route");
    assert.equal(api404.status, 404);
    assert.equal(typeof api404.body.code, "string");
    assert.equal((await server.request("GET", "/api/v1/gateway/bot")).status, 401);
    assert.equal((await server.request("GET", "/.well-known/fluxer")).status, 200);
    assert.equal((await server.request("GET", "/api/v1/.well-known/fluxer")).status, 200);
    assert.equal((await server.request("GET", "/_health")).status, 200);
    const media = await get("/media/attachments/1/2/x.png");
    assert.equal(media.statusCode, 404);
    assert.equal(typeof media.json().code, "string");
    assert.equal((await get("/static/avatars/0.png")).headers["content-type"], "image/png");
    assert.equal((await get("/static/nothing")).statusCode, 404);
    for (const path of ["/gateway", "/.well-known/other", "/_nothing"]) assert.equal(typeof (await get(path)).json().code, "string", path);
    const client = await server.connect();
    const hello = await client.next((frame) => frame.op === 10, "HELLO");
    assert.equal(typeof hello.d.heartbeat_interval, "number");
    await client.close();
  });
});

describe("web.fluxer_app_dir", () => {
  it("when unset, / is our own client and no Fluxer bootstrap is served", async () => {
    const server = await startTestServer({ web: { client_dir: join(mkdtempSync(join(tmpdir(), "fluxer-no-client-")), "none") } });
    try {
      for (const path of ["/", "/channels/@me"]) {
        const page = await server.app.inject({ method: "GET", url: path });
        assert.equal(page.statusCode, 200, path);
        assert.doesNotMatch(page.body, /__fluxer_bootstrap/, path);
      }
      assert.equal((await server.app.inject({ method: "GET", url: "/__fluxer_bootstrap.js" })).statusCode, 404);
    } finally {
      await server.close();
    }
  });

  it("points the page and its CSP at an outside static CDN when the owner sets one", async () => {
    const root = mkdtempSync(join(tmpdir(), "fluxer-web-cdn-"));
    const server = await startTestServer({
      web: { fluxer_app_dir: writeFakeBuild(root) },
      domain: { static_cdn_domain: "cdn.example.test" },
    });
    try {
      const response = await server.app.inject({ method: "GET", url: "/login" });
      assert.ok(response.body.includes('href="https://cdn.example.test/fonts/ibm-plex.css?v=3"'));
      const csp = String(response.headers["content-security-policy"]);
      for (const name of ["img-src", "font-src", "style-src"]) {
        const directive = csp.split("; ").find((part) => part.startsWith(`${name} `)) ?? "";
        assert.ok(directive.split(" ").includes("https://cdn.example.test"), `${name}: ${csp}`);
      }
      assert.ok(!(csp.split("; ").find((part) => part.startsWith("script-src ")) ?? "").includes("cdn.example.test"), "no scripts from it");
    } finally {
      await server.close();
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("stops the start with an error naming the folder when it is missing, not a folder, or holds no index.html", async () => {
    const dir = mkdtempSync(join(tmpdir(), "fluxer-web-bad-"));
    writeFileSync(join(dir, "a-file"), "x");
    mkdirSync(join(dir, "empty"));
    try {
      for (const [folder, why] of [
        [join(dir, "missing"), /no such folder/],
        [join(dir, "a-file"), /not a folder/],
        [join(dir, "empty"), /no readable index\.html/],
      ] as const) {
        const deps = await createDeps(testConfig(dir, { web: { fluxer_app_dir: folder } }));
        try {
          await assert.rejects(buildApp(deps), (error: Error) => {
            assert.ok(error instanceof ConfigError, String(error));
            assert.ok(error.message.includes(folder), error.message);
            assert.match(error.message, why);
            return true;
          });
        } finally {
          await deps.close();
        }
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
