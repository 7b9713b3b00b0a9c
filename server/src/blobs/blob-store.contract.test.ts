/** Runs the blob contract on a folder and on a real S3-compatible server (s3rver) on loopback. */
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe } from "node:test";
import { type RunningS3, startS3 } from "../../test/support/s3.ts";
import { blobStoreContract } from "./contract/blob-store.contract.ts";
import { createDiskBlobStore } from "./disk.blob-store.ts";
import { createS3BlobStore } from "./s3.blob-store.ts";

describe("disk", () => {
  const root = mkdtempSync(join(tmpdir(), "fluxer-blobs-"));
  after(() => rmSync(root, { recursive: true, force: true }));
  blobStoreContract("disk", {
    makeStore: async () => createDiskBlobStore(root),
    leftovers: async () => readdirSync(join(root, ".tmp")).length,
  });
});

describe("s3 (s3rver)", () => {
  let s3: RunningS3 | undefined;
  before(async () => {
    s3 = await startS3();
  });
  after(() => s3?.stop());
  blobStoreContract("s3", {
    makeStore: async () => {
      const running = s3 as RunningS3;
      return createS3BlobStore({
        endpoint: running.endpoint,
        region: "us-east-1",
        bucket: running.bucket,
        accessKeyId: running.accessKeyId,
        secretAccessKey: running.secretAccessKey,
        forcePathStyle: true,
        keyPrefix: "instance-a/",
      });
    },
    // Real S3 replaces an object atomically (last writer wins); s3rver writes the object file in place,
    // so parallel PUTs of one key can interleave on its disk (seen in CI).
    nonAtomicOverwrites: "s3rver writes objects in place: concurrent PUTs of one key can interleave (real S3 is atomic)",
  });
});
