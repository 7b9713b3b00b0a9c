/**
 * The stored content type comes from the bytes: a recognised format corrects the declared type,
 * and a file that claims a media type its bytes do not show is kept only as a download.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import sharp from "sharp";
import { startTestServer, type TestServer } from "../support/harness.ts";
import { createMessageWorld, type MessageWorld, multipart } from "../support/message-world.ts";

describe("attachment content types", () => {
  let server: TestServer;
  let world: MessageWorld;
  let jpeg: Buffer;
  let png: Buffer;
  before(async () => {
    server = await startTestServer();
    world = await createMessageWorld(server);
    const pixels = { create: { width: 4, height: 3, channels: 3 as const, background: { r: 200, g: 10, b: 10 } } };
    jpeg = await sharp(pixels).jpeg().toBuffer();
    png = await sharp(pixels).png().toBuffer();
  });
  after(() => server.close());

  async function send(value: Buffer | string, filename: string, contentType?: string) {
    const { payload, headers } = multipart([{ name: "files[0]", value, filename, contentType }]);
    const sent = await server.request("POST", `/channels/${world.channelId}/messages`, { token: world.owner.token, payload, headers });
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    const attachment = sent.body.attachments[0];
    const served = await server.app.inject({ method: "GET", url: new URL(attachment.url).pathname });
    return { attachment, served };
  }

  it("stores a JPEG sent as application/octet-stream as image/jpeg, with its size", async () => {
    const { attachment, served } = await send(jpeg, "photo.bin", "application/octet-stream");
    assert.equal(attachment.content_type, "image/jpeg");
    assert.deepEqual([attachment.width, attachment.height], [4, 3]);
    assert.equal(served.headers["content-type"], "image/jpeg");
    assert.match(String(served.headers["content-disposition"]), /^inline/);
    assert.deepEqual(served.rawPayload, jpeg);
  });

  it("corrects a declared type the bytes contradict", async () => {
    const { attachment } = await send(png, "picture.gif", "image/gif");
    assert.equal(attachment.content_type, "image/png");
    assert.deepEqual([attachment.width, attachment.height], [4, 3]);
  });

  it("keeps HTML posing as a PNG only as a download, without dimensions", async () => {
    const { attachment, served } = await send("<html><script>alert(document.cookie)</script></html>", "cute.png", "image/png");
    assert.equal(attachment.content_type, "application/octet-stream");
    assert.equal(attachment.width ?? null, null);
    assert.equal(served.headers["content-type"], "application/octet-stream");
    assert.match(String(served.headers["content-disposition"]), /^attachment/);
  });

  it("keeps plain text as text, and an empty file as what it said", async () => {
    const text = await send("just some words", "notes.txt", "text/plain");
    assert.equal(text.attachment.content_type, "text/plain");
    const empty = await send("", "empty.txt");
    assert.equal(empty.attachment.content_type, "text/plain");
    assert.equal(empty.attachment.size, 0);
    assert.equal(empty.served.statusCode, 200);
    assert.equal(empty.served.rawPayload.length, 0);
  });
});
