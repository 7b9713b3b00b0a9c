/**
 * Downloading an attachment as a browser or a media player does: byte ranges (one range, suffix,
 * open-ended, unsatisfiable), conditional requests (ETag, Last-Modified, If-Range), HEAD, and a
 * disposition that never serves an upload's HTML or SVG inline.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startTestServer, type TestServer } from "../support/harness.ts";
import { createMessageWorld, type MessageWorld, multipart } from "../support/message-world.ts";

/** An MP4 (its `ftyp` box, so the bytes prove the type) padded to 1000 bytes. */
const BYTES = Buffer.concat([
  Buffer.from("000000186674797069736f6d0000020069736f6d69736f32", "hex"),
  Buffer.from(Array.from({ length: 976 }, (_, i) => (i * 7) % 256)),
]);

describe("attachment downloads", () => {
  let server: TestServer;
  let world: MessageWorld;
  let url: string;
  before(async () => {
    server = await startTestServer();
    world = await createMessageWorld(server);
    url = await upload("clip.mp4", BYTES, "video/mp4");
  });
  after(() => server.close());

  async function upload(filename: string, value: Buffer | string, contentType: string): Promise<string> {
    const { payload, headers } = multipart([{ name: "files[0]", value, filename, contentType }]);
    const sent = await server.request("POST", `/channels/${world.channelId}/messages`, { token: world.owner.token, payload, headers });
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    return new URL(sent.body.attachments[0].url).pathname;
  }
  const get = (headers: Record<string, string> = {}, method: "GET" | "HEAD" = "GET", path = url) =>
    server.app.inject({ method, url: path, headers });

  it("serves the whole file with validators and says it takes ranges", async () => {
    const whole = await get();
    assert.equal(whole.statusCode, 200);
    assert.deepEqual(whole.rawPayload, BYTES);
    assert.equal(whole.headers["content-type"], "video/mp4");
    assert.equal(whole.headers["content-length"], String(BYTES.length));
    assert.equal(whole.headers["accept-ranges"], "bytes");
    assert.match(String(whole.headers.etag), /^".+"$/);
    assert.ok(Date.parse(String(whole.headers["last-modified"])) > 0);
    assert.equal(whole.headers["content-disposition"], 'inline; filename="clip.mp4"');
  });

  it("answers HEAD with the headers and no body", async () => {
    const head = await get({}, "HEAD");
    assert.equal(head.statusCode, 200);
    assert.equal(head.headers["content-length"], String(BYTES.length));
    assert.equal(head.rawPayload.length, 0);
  });

  it("serves one range, a suffix and an open end as 206 with Content-Range", async () => {
    const cases: [string, number, number][] = [
      ["bytes=0-99", 0, 99],
      ["bytes=990-", 990, 999],
      ["bytes=-10", 990, 999],
      ["bytes=500-5000", 500, 999],
      ["bytes=-5000", 0, 999],
    ];
    for (const [range, start, end] of cases) {
      const partial = await get({ range });
      assert.equal(partial.statusCode, 206, range);
      assert.equal(partial.headers["content-range"], `bytes ${start}-${end}/1000`, range);
      assert.equal(partial.headers["content-length"], String(end - start + 1));
      assert.deepEqual(partial.rawPayload, BYTES.subarray(start, end + 1), range);
    }
  });

  it("answers 416 to a range past the end, and the whole file to ranges it does not read", async () => {
    for (const range of ["bytes=1000-", "bytes=5000-6000", "bytes=-0"]) {
      const refused = await get({ range });
      assert.equal(refused.statusCode, 416, range);
      assert.equal(refused.headers["content-range"], "bytes */1000");
    }
    for (const range of ["bytes=0-1,5-6", "items=0-1", "bytes=9-2"]) {
      const whole = await get({ range });
      assert.equal(whole.statusCode, 200, range);
      assert.equal(whole.rawPayload.length, 1000);
    }
  });

  it("answers 304 to a matching If-None-Match or a later If-Modified-Since", async () => {
    const { headers } = await get();
    const etag = String(headers.etag);
    for (const condition of [{ "if-none-match": etag }, { "if-none-match": `"other", W/${etag}` }, { "if-none-match": "*" }]) {
      const cached = await get(condition);
      assert.equal(cached.statusCode, 304, JSON.stringify(condition));
      assert.equal(cached.rawPayload.length, 0);
    }
    assert.equal((await get({ "if-none-match": '"other"' })).statusCode, 200);
    assert.equal((await get({ "if-modified-since": String(headers["last-modified"]) })).statusCode, 304);
    assert.equal((await get({ "if-modified-since": new Date(Date.now() - 86_400_000).toUTCString() })).statusCode, 200);
  });

  it("honours a range only while If-Range still matches", async () => {
    const etag = String((await get()).headers.etag);
    assert.equal((await get({ range: "bytes=0-9", "if-range": etag })).statusCode, 206);
    const changed = await get({ range: "bytes=0-9", "if-range": '"an older version"' });
    assert.equal(changed.statusCode, 200);
    assert.equal(changed.rawPayload.length, 1000);
  });

  it("sends HTML and SVG as downloads, never inline, even when ranged", async () => {
    for (const [name, type] of [
      ["page.html", "text/html"],
      ["logo.svg", "image/svg+xml"],
    ]) {
      const path = await upload(name as string, "<svg onload=alert(1)></svg><script>alert(1)</script>", type as string);
      for (const headers of [{}, { range: "bytes=0-4" }] as Record<string, string>[]) {
        const served = await get(headers, "GET", path);
        assert.equal(served.headers["content-type"], "application/octet-stream");
        assert.equal(served.headers["content-disposition"], `attachment; filename="${name}"`);
        assert.equal(served.headers["x-content-type-options"], "nosniff");
        assert.match(String(served.headers["content-security-policy"]), /sandbox/);
      }
    }
  });
});
