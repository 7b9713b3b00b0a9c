/**
 * Attachments on an S3-compatible bucket (a real s3rver on loopback), through the real app: the bytes
 * go to the bucket and come back whole and ranged; deleting the message, or its channel, deletes the
 * objects; a delete that fails while S3 is down is queued and done once S3 answers again, even
 * after a restart.
 */
import assert from "node:assert/strict";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import type { BlobStore } from "../../src/blobs/blob-store.port.ts";
import { createS3BlobStore } from "../../src/blobs/s3.blob-store.ts";
import { startTestServer, type TestServer } from "../support/harness.ts";
import { addChannel, createMessageWorld, type MessageWorld, multipart } from "../support/message-world.ts";
import { type RunningS3, startS3 } from "../support/s3.ts";

const BYTES = Buffer.from(Array.from({ length: 3000 }, (_, i) => i % 251));

describe("attachments on S3", () => {
  let s3: RunningS3;
  let server: TestServer;
  let world: MessageWorld;
  let bucket: BlobStore;
  before(async () => {
    s3 = await startS3();
    server = await startTestServer({ s3: s3.config("fluxer/") });
    world = await createMessageWorld(server);
    // A second client on the bucket, to see what the app stored there.
    const config = s3.config();
    bucket = createS3BlobStore({
      endpoint: config.endpoint,
      region: "us-east-1",
      bucket: s3.bucket,
      accessKeyId: s3.accessKeyId,
      secretAccessKey: s3.secretAccessKey,
      forcePathStyle: true,
    });
  });
  after(async () => {
    await server?.close();
    await bucket?.close();
    await s3?.stop();
  });

  async function send(channelId: string, filename: string) {
    const { payload, headers } = multipart([
      { name: "payload_json", value: JSON.stringify({ content: "on s3" }) },
      { name: "files[0]", value: BYTES, filename, contentType: "application/octet-stream" },
    ]);
    const sent = await server.request("POST", `/channels/${channelId}/messages`, { token: world.owner.token, payload, headers });
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    const attachment = sent.body.attachments[0];
    return { messageId: sent.body.id as string, attachment, key: `fluxer/attachments/${channelId}/${attachment.id}/${filename}` };
  }
  const fetchMedia = (url: string, headers: Record<string, string> = {}) =>
    server.app.inject({ method: "GET", url: new URL(url).pathname, headers });

  it("stores the upload in the bucket, not on disk, and serves it whole, ranged and conditionally", async () => {
    const { attachment, key } = await send(world.channelId, "data.bin");
    assert.equal(attachment.size, BYTES.length);
    const stored = await bucket.head(key);
    assert.equal(stored?.size, BYTES.length, "the object is in the bucket under the key prefix");
    const local = join(server.deps.dataDir, "attachments");
    const localFiles = existsSync(local) ? readdirSync(local, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()) : [];
    assert.deepEqual(localFiles, [], "nothing stays on local disk, not even in .incoming");

    const whole = await fetchMedia(attachment.url);
    assert.equal(whole.statusCode, 200);
    assert.deepEqual(whole.rawPayload, BYTES);
    assert.equal(whole.headers["content-disposition"], 'attachment; filename="data.bin"');
    const etag = String(whole.headers.etag);

    const ranged = await fetchMedia(attachment.url, { range: "bytes=100-199" });
    assert.equal(ranged.statusCode, 206);
    assert.equal(ranged.headers["content-range"], `bytes 100-199/${BYTES.length}`);
    assert.deepEqual(ranged.rawPayload, BYTES.subarray(100, 200));
    const first = await fetchMedia(attachment.url, { range: "bytes=0-0" });
    assert.deepEqual(first.rawPayload, BYTES.subarray(0, 1));

    const cached = await fetchMedia(attachment.url, { "if-none-match": etag });
    assert.equal(cached.statusCode, 304);
    assert.equal(cached.rawPayload.length, 0);
  });

  it("deletes the object with its message, and a channel's objects with the channel", async () => {
    const one = await send(world.channelId, "one.bin");
    const deleted = await server.request("DELETE", `/channels/${world.channelId}/messages/${one.messageId}`, { token: world.owner.token });
    assert.equal(deleted.status, 204);
    assert.equal(await bucket.head(one.key), null);
    assert.equal((await fetchMedia(one.attachment.url)).statusCode, 404);

    const channelId = await addChannel(server, world, { name: "doomed" });
    const doomed = [await send(channelId, "a.bin"), await send(channelId, "b.bin")];
    const kept = await send(world.channelId, "kept.bin");
    const gone = await server.request("DELETE", `/channels/${channelId}`, { token: world.owner.token });
    assert.equal(gone.status, 204);
    for (const { key } of doomed) assert.equal(await bucket.head(key), null, `${key} is gone`);
    assert.deepEqual(await bucket.list(`fluxer/attachments/${channelId}/`), []);
    assert.ok(await bucket.head(kept.key), "another channel's object stays");
    assert.equal(server.deps.stores.blobDeletions.count(), 0, "nothing waits in the retry queue");
  });

  it("retries a delete that failed while S3 was down, and drains the queue at the next start", async () => {
    const lost = await send(world.channelId, "lost.bin");
    await s3.stop({ keepFiles: true });
    try {
      const deleted = await server.request("DELETE", `/channels/${world.channelId}/messages/${lost.messageId}`, {
        token: world.owner.token,
      });
      assert.equal(deleted.status, 204, "the message goes even while its file cannot");
      assert.equal(server.deps.stores.blobDeletions.count(), 1, "the failed delete is queued");
    } finally {
      s3 = await startS3({ port: s3.port, directory: s3.directory });
    }
    assert.ok(await bucket.head(lost.key), "the object is still in the bucket");
    // Not due yet: an ordinary drain leaves it for later.
    assert.deepEqual(await server.deps.blobCleanup.drain(), { done: 0, failed: 0 });
    // A restart drains everything: the same database and files, a new app.
    await server.app.close();
    await server.deps.close();
    const restarted = await startTestServerOn(server, s3);
    try {
      await restarted.deps.blobCleanup.drain(); // runs after the start-up drain
      assert.equal(await bucket.head(lost.key), null, "the queued delete happened");
      assert.equal(restarted.deps.stores.blobDeletions.count(), 0);
    } finally {
      await restarted.close();
    }
  });
});

/** A new app on a closed test server's database and folders. */
async function startTestServerOn(old: TestServer, s3: RunningS3) {
  const { buildApp } = await import("../../src/app.ts");
  const { createDeps } = await import("../../src/deps.ts");
  const { testConfig } = await import("../support/harness.ts");
  const deps = await createDeps(testConfig(old.dir, { s3: s3.config("fluxer/") }));
  const app = await buildApp(deps);
  await app.ready();
  return {
    deps,
    async close() {
      await app.close();
      await deps.close();
    },
  };
}
