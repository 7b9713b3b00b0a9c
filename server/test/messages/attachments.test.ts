import assert from "node:assert/strict";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { Permission } from "../../src/permissions.ts";
import { startTestServer, type TestServer, type TestUser } from "../support/harness.ts";
import { addChannel, addMember, createMessageWorld, type MessageWorld, multipart, setOverwrite } from "../support/message-world.ts";

/** A 3×2 PNG header (enough for its size) and some bytes. */
const PNG = Buffer.concat([
  Buffer.from("89504e470d0a1a0a0000000d49484452000000030000000208060000", "hex"),
  Buffer.from("the rest of a picture"),
]);

/** Every file under the attachments folder, in-flight uploads included. */
function filesOnDisk(server: TestServer): string[] {
  const root = join(server.deps.dataDir, "attachments");
  if (!existsSync(root)) return [];
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

describe("attachments", () => {
  let server: TestServer;
  let world: MessageWorld;
  let member: TestUser;
  before(async () => {
    server = await startTestServer({ limits: { max_attachment_bytes: 1024 } });
    world = await createMessageWorld(server);
    member = await addMember(server, world);
  });
  after(() => server.close());

  const upload = (user: TestUser, channelId: string, parts: Parameters<typeof multipart>[0]) => {
    const { payload, headers } = multipart(parts);
    return server.request("POST", `/channels/${channelId}/messages`, { token: user.token, payload, headers });
  };

  /** GET on the media origin (outside /api, so straight through inject). */
  const fetchMedia = (url: string) => server.app.inject({ method: "GET", url: new URL(url).pathname });

  it("takes payload_json with files[n], stores the file, and serves the same bytes at the attachment URL", async () => {
    const sent = await upload(member, world.channelId, [
      {
        name: "payload_json",
        value: JSON.stringify({ content: "a picture", nonce: "n-1", attachments: [{ id: 0, description: "three by two" }] }),
      },
      { name: "files[0]", value: PNG, filename: "../My Picture!.png", contentType: "image/png" },
    ]);
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    assert.equal(sent.body.content, "a picture");
    assert.equal(sent.body.nonce, "n-1");
    const [attachment] = sent.body.attachments;
    assert.equal(attachment.filename, "My_Picture_.png");
    assert.equal(attachment.description, "three by two");
    assert.equal(attachment.size, PNG.length);
    assert.equal(attachment.content_type, "image/png");
    assert.deepEqual([attachment.width, attachment.height], [3, 2]);
    assert.equal(attachment.proxy_url, attachment.url);
    assert.match(attachment.url, new RegExp(`^https?://[^/]+/media/attachments/${world.channelId}/${attachment.id}/My_Picture_\\.png$`));

    const served = await fetchMedia(attachment.url);
    assert.equal(served.statusCode, 200);
    assert.equal(served.headers["content-type"], "image/png");
    assert.deepEqual(served.rawPayload, PNG);
    assert.equal(filesOnDisk(server).filter((path) => path.includes(".incoming")).length, 0);

    // Another member sees the attachment in the history.
    const history = await server.request("GET", `/channels/${world.channelId}/messages`, { token: world.owner.token, query: { limit: 1 } });
    assert.equal(history.body[0].attachments[0].url, attachment.url);
  });

  it("takes plain multipart fields, and serves risky types as downloads", async () => {
    const sent = await upload(member, world.channelId, [
      { name: "content", value: "plain fields" },
      { name: "tts", value: "false" },
      { name: "file", value: "<script>alert(1)</script>", filename: "page.html", contentType: "text/html" },
    ]);
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    assert.equal(sent.body.content, "plain fields");
    const served = await fetchMedia(sent.body.attachments[0].url);
    assert.equal(served.statusCode, 200);
    assert.equal(served.headers["content-type"], "application/octet-stream");
    assert.match(String(served.headers["content-disposition"]), /^attachment/);
    assert.equal(served.headers["x-content-type-options"], "nosniff");
  });

  it("sends a file without any text", async () => {
    const sent = await upload(member, world.channelId, [{ name: "files[0]", value: PNG, filename: "only.png", contentType: "image/png" }]);
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    assert.equal(sent.body.content, "");
    assert.equal(sent.body.attachments.length, 1);
  });

  it("refuses an oversized file with 413 FILE_SIZE_TOO_LARGE and leaves nothing behind", async () => {
    const before = filesOnDisk(server);
    const messages = server.deps.stores.messages.list(BigInt(world.channelId), { limit: 100 }).length;
    const sent = await upload(member, world.channelId, [
      { name: "payload_json", value: JSON.stringify({ content: "big" }) },
      { name: "files[0]", value: PNG, filename: "small.png", contentType: "image/png" },
      { name: "files[1]", value: Buffer.alloc(4096, 1), filename: "big.bin" },
    ]);
    assert.equal(sent.status, 413);
    assert.equal(sent.body.code, "FILE_SIZE_TOO_LARGE");
    assert.deepEqual(filesOnDisk(server), before);
    assert.equal(server.deps.stores.messages.list(BigInt(world.channelId), { limit: 100 }).length, messages);
  });

  it("leaves nothing behind when the request is refused after the upload", async () => {
    const before = filesOnDisk(server);
    const noFiles = await addChannel(server, world, { name: "no-files" });
    await setOverwrite(server, world, noFiles, { id: world.guildId, type: 0, deny: Permission.ATTACH_FILES });
    const refused = await upload(member, noFiles, [
      { name: "payload_json", value: JSON.stringify({ content: "here" }) },
      { name: "files[0]", value: PNG, filename: "p.png", contentType: "image/png" },
    ]);
    assert.equal(refused.status, 403);
    assert.equal(refused.body.code, "MISSING_PERMISSIONS");
    const badJson = await upload(member, world.channelId, [
      { name: "payload_json", value: "{not json" },
      { name: "files[0]", value: PNG, filename: "p.png", contentType: "image/png" },
    ]);
    assert.equal(badJson.status, 400);
    assert.equal(badJson.body.code, "INVALID_FORM_BODY");
    const badField = await upload(member, world.channelId, [
      { name: "payload_json", value: JSON.stringify({ content: 7 }) },
      { name: "files[0]", value: PNG, filename: "p.png", contentType: "image/png" },
    ]);
    assert.equal(badField.status, 400);
    assert.equal(badField.body.errors[0].path, "content");
    const orphanMeta = await upload(member, world.channelId, [
      { name: "payload_json", value: JSON.stringify({ content: "x", attachments: [{ id: 3, filename: "missing.png" }] }) },
      { name: "files[0]", value: PNG, filename: "p.png", contentType: "image/png" },
    ]);
    assert.equal(orphanMeta.status, 400);
    assert.deepEqual(filesOnDisk(server), before);
  });

  it("removes the files with their message, and stops serving them", async () => {
    const sent = await upload(member, world.channelId, [{ name: "files[0]", value: PNG, filename: "temp.png", contentType: "image/png" }]);
    const url = sent.body.attachments[0].url;
    assert.equal((await fetchMedia(url)).statusCode, 200);
    const deleted = await server.request("DELETE", `/channels/${world.channelId}/messages/${sent.body.id}`, { token: member.token });
    assert.equal(deleted.status, 204);
    const after = await fetchMedia(url);
    assert.equal(after.statusCode, 404);
    assert.ok(!filesOnDisk(server).some((path) => path.includes(sent.body.attachments[0].id)));
    const wrongName = await fetchMedia(url.replace("temp.png", "other.png"));
    assert.equal(wrongName.statusCode, 404);
  });
});
