/** Picks the blob store from the config: S3 when a bucket is set, else files under the data folder. */
import type { Config } from "../config.ts";
import { StartupError } from "../startup-checks.ts";
import type { BlobStore } from "./blob-store.port.ts";
import { createDiskBlobStore } from "./disk.blob-store.ts";
import { createS3BlobStore } from "./s3.blob-store.ts";

export function createBlobStore(config: Config, dataDir: string): BlobStore {
  const s3 = config.s3;
  if (!s3.bucket) return createDiskBlobStore(dataDir);
  if (Boolean(s3.access_key_id) !== Boolean(s3.secret_access_key)) {
    throw new StartupError("s3.access_key_id and s3.secret_access_key go together: set both or neither");
  }
  return createS3BlobStore({
    endpoint: s3.endpoint,
    region: s3.region,
    bucket: s3.bucket,
    accessKeyId: s3.access_key_id,
    secretAccessKey: s3.secret_access_key,
    forcePathStyle: s3.force_path_style,
    keyPrefix: s3.key_prefix,
  });
}
