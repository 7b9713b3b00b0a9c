import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startTestServer, type TestServer } from "../support/harness.ts";

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

function pngSize(bytes: Buffer) {
  assert.deepEqual(bytes.subarray(0, 8), PNG_SIGNATURE, "a PNG file");
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe("the static CDN at /static", () => {
  let server: TestServer;
  const get = (url: string) => server.app.inject({ method: "GET", url });
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it("is where discovery points clients", async () => {
    const response = await server.request("GET", "/.well-known/fluxer");
    assert.equal(response.body.endpoints.static_cdn, "http://127.0.0.1:8080/static");
  });

  it("serves the six default avatars the client picks by user id mod 6, as 512px PNGs cached long and open to any origin", async () => {
    const bodies = new Set<string>();
    for (let index = 0; index < 6; index++) {
      const response = await get(`/static/avatars/${index}.png`);
      assert.equal(response.statusCode, 200);
      assert.equal(response.headers["content-type"], "image/png");
      assert.deepEqual(pngSize(response.rawPayload), { width: 512, height: 512 });
      assert.match(String(response.headers["cache-control"]), /^public, max-age=\d{7,}/);
      assert.equal(response.headers["access-control-allow-origin"], "*");
      assert.equal(response.headers["x-content-type-options"], "nosniff");
      bodies.add(response.rawPayload.toString("base64"));
    }
    assert.equal(bodies.size, 6, "each avatar differs");
    const again = await get("/static/avatars/3.png");
    assert.equal(again.statusCode, 200);
    assert.equal((await get("/static/avatars/6.png")).statusCode, 404);
  });

  it("serves the favicon set the web app and its manifest link to", async () => {
    for (const [file, size] of [
      ["favicon-16x16.png", 16],
      ["favicon-32x32.png", 32],
      ["apple-touch-icon.png", 180],
      ["android-chrome-192x192.png", 192],
      ["android-chrome-512x512.png", 512],
      ["mstile-150x150.png", 150],
    ] as const) {
      const response = await get(`/static/web/${file}`);
      assert.equal(response.statusCode, 200, file);
      assert.equal(response.headers["content-type"], "image/png");
      assert.deepEqual(pngSize(response.rawPayload), { width: size, height: size }, file);
    }
    const ico = await get("/static/web/favicon.ico");
    assert.equal(ico.statusCode, 200);
    assert.equal(ico.headers["content-type"], "image/x-icon");
    assert.deepEqual([...ico.rawPayload.subarray(0, 6)], [0, 0, 1, 0, 3, 0], "an icon file with three images");
    const svg = await get("/static/web/icon.svg");
    assert.equal(svg.headers["content-type"], "image/svg+xml");
    assert.match(svg.body, /^<svg /);
  });

  it("serves a font stylesheet declaring the families the client asks for, every file it names, and the font's license", async () => {
    const css = await get("/static/fonts/ibm-plex.css?v=3");
    assert.equal(css.statusCode, 200);
    assert.equal(css.headers["content-type"], "text/css; charset=utf-8");
    for (const family of ["Fluxer Sans", "Fluxer Mono", "IBM Plex Sans", "IBM Plex Mono"]) {
      assert.ok(css.body.includes(`font-family: '${family}';`), family);
    }
    const files = [...new Set([...css.body.matchAll(/url\('\.\/([^']+)'\)/g)].map((match) => match[1]))];
    assert.ok(files.length >= 20, `the stylesheet names its files (${files.length})`);
    for (const file of files) {
      const font = await get(`/static/fonts/${file}`);
      assert.equal(font.statusCode, 200, file);
      assert.equal(font.headers["content-type"], "font/woff2", file);
      assert.equal(font.headers["cache-control"], "public, max-age=31536000, immutable", file);
      assert.equal(font.headers["access-control-allow-origin"], "*", file);
      assert.equal(font.rawPayload.subarray(0, 4).toString("latin1"), "wOF2", file);
    }
    for (const pkg of ["ibm-plex-sans", "ibm-plex-mono"]) {
      const license = await get(`/static/fonts/${pkg}/LICENSE`);
      assert.equal(license.statusCode, 200);
      assert.match(license.body, /SIL Open Font License/);
    }
  });

  it("answers 404 for unknown files and never leaves its folders", async () => {
    for (const url of [
      "/static/nothing.png",
      "/static/avatars/..%2F..%2Fpackage.json",
      "/static/fonts/ibm-plex-sans/..%2F..%2F..%2Fpackage.json",
      "/static/fonts/ibm-plex-sans/%2E%2E/package.json",
      "/static/fonts/ibm-plex-sans/../LICENSE.txt",
      "/static/fonts/ibm-plex-sans/missing.woff2",
      "/static/fonts/ibm-plex-sans/ibm-plex-sans-latin-wght-normal.woff",
      "/static/web/favicon.gif",
    ]) {
      const response = await get(url);
      assert.equal(response.statusCode, 404, url);
      assert.equal(typeof response.json().code, "string", url);
    }
  });
});
