/**
 * Blobs in a bucket of any S3-compatible service (AWS, MinIO, Garage, Ceph, s3rver...). Uploads go
 * through lib-storage: one PUT for a small body, a multipart upload (aborted on failure) for a large
 * one, so S3 only ever holds whole objects.
 */

import { type Readable, Transform } from "node:stream";
import {
  DeleteObjectCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import {
  assertBlobKey,
  assertBlobPrefix,
  assertBlobRange,
  type BlobInfo,
  type BlobPutOptions,
  type BlobRange,
  type BlobStore,
  BlobTooLargeError,
  byteLimit,
} from "./blob-store.port.ts";

export interface S3BlobStoreOptions {
  /** e.g. `https://s3.eu-west-1.amazonaws.com` or `http://127.0.0.1:9000`; unset: AWS for the region. */
  endpoint?: string;
  region: string;
  bucket: string;
  accessKeyId?: string;
  secretAccessKey?: string;
  /** `https://host/bucket/key` instead of `https://bucket.host/key` (most self-hosted services). */
  forcePathStyle: boolean;
  /** Prepended to every key (`fluxer/`), so one bucket can hold other things too. */
  keyPrefix?: string;
}

const PART_SIZE = 8 * 1024 * 1024;
const DELETE_BATCH = 1000;

function isNotFound(error: unknown): boolean {
  if (!(error instanceof S3ServiceException)) return false;
  return error.$metadata?.httpStatusCode === 404 || error.name === "NoSuchKey" || error.name === "NotFound";
}

/** Passes on the first `count` bytes, then stops reading `source`. */
function firstBytes(count: number, source: Readable): Transform {
  let left = count;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      if (left <= 0) return callback();
      const part = chunk.subarray(0, left);
      left -= part.length;
      callback(null, part);
      if (left <= 0) {
        this.push(null);
        source.unpipe(this);
        source.destroy();
      }
    },
  });
}

/** Why a bucket did not answer, in the owner's words (the SDK's HEAD errors carry no message). */
function pingFailure(error: unknown): string {
  const status = (error as S3ServiceException | undefined)?.$metadata?.httpStatusCode;
  if (status === 404) return "no such bucket";
  if (status === 403 || status === 401) return "access denied (check s3.access_key_id and s3.secret_access_key)";
  const { code, message } = (error ?? {}) as { code?: string; message?: string };
  if (code === "ECONNREFUSED") return "connection refused";
  return message || code || (status ? `HTTP ${status}` : String(error));
}

export function createS3BlobStore(options: S3BlobStoreOptions): BlobStore {
  const { bucket } = options;
  const base = options.keyPrefix ?? "";
  // The SDK warns on every start that its releases from 2027 need Node 22; we pin a release that
  // supports Node 20 (package.json), and start-up stderr is kept to real problems.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const client = new S3Client({
    endpoint: options.endpoint,
    region: options.region,
    forcePathStyle: options.forcePathStyle,
    credentials:
      options.accessKeyId && options.secretAccessKey
        ? { accessKeyId: options.accessKeyId, secretAccessKey: options.secretAccessKey }
        : undefined,
    // A service that accepts the connection and then says nothing must not hold a request forever.
    requestHandler: { connectionTimeout: 5_000, socketTimeout: 60_000 },
    // Checksums only where S3 requires them: many compatible services reject the newer trailers.
    requestChecksumCalculation: "WHEN_REQUIRED",
    responseChecksumValidation: "WHEN_REQUIRED",
  });
  const where = options.endpoint ?? `AWS S3 (${options.region})`;
  const objectKey = (key: string) => {
    assertBlobKey(key);
    return base + key;
  };

  function infoOf(key: string, meta: { ContentLength?: number; ContentType?: string; ETag?: string; LastModified?: Date }): BlobInfo {
    return {
      key,
      size: meta.ContentLength ?? 0,
      contentType: meta.ContentType ?? null,
      etag: meta.ETag ?? `"${meta.LastModified?.getTime() ?? 0}"`,
      lastModified: meta.LastModified ?? new Date(0),
    };
  }

  async function head(key: string): Promise<BlobInfo | null> {
    try {
      return infoOf(key, await client.send(new HeadObjectCommand({ Bucket: bucket, Key: objectKey(key) })));
    } catch (error) {
      if (isNotFound(error)) return null;
      throw error;
    }
  }

  async function deleteMany(keys: readonly string[]): Promise<void> {
    await deleteObjects(keys.map(objectKey));
  }

  /** Full object keys (prefix included), in batches of the most S3 takes at once. */
  async function deleteObjects(objectKeys: readonly string[]): Promise<void> {
    const unique = [...new Set(objectKeys)];
    for (let i = 0; i < unique.length; i += DELETE_BATCH) {
      const batch = unique.slice(i, i + DELETE_BATCH);
      const result = await client.send(
        new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true } }),
      );
      const failed = result.Errors?.filter((item) => item.Code !== "NoSuchKey") ?? [];
      if (failed.length > 0)
        throw new Error(`S3 refused to delete ${failed.length} object(s): ${failed[0]?.Code} ${failed[0]?.Message ?? ""}`);
    }
  }

  async function list(prefix: string): Promise<string[]> {
    return (await listObjects(prefix)).map((key) => key.slice(base.length));
  }

  /** Full object keys under `prefix`, including any an outside tool put there with odd names. */
  async function listObjects(prefix: string): Promise<string[]> {
    assertBlobPrefix(prefix);
    const keys: string[] = [];
    let token: string | undefined;
    do {
      const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: base + prefix, ContinuationToken: token }));
      for (const item of page.Contents ?? []) if (item.Key) keys.push(item.Key);
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return keys;
  }

  return {
    async put(key: string, body: Readable, put: BlobPutOptions) {
      const Key = objectKey(key);
      let source: Readable = body;
      if (put.maxBytes !== undefined) {
        const limit = byteLimit(put.maxBytes);
        body.once("error", (error) => limit.destroy(error));
        source = body.pipe(limit);
      }
      const upload = new Upload({
        client,
        params: { Bucket: bucket, Key, Body: source, ContentType: put.contentType },
        partSize: PART_SIZE,
        queueSize: 2,
        leavePartsOnError: false,
      });
      try {
        await upload.done();
      } catch (error) {
        body.destroy();
        // lib-storage may wrap the stream's error; the caller wants to know it was the limit.
        if (source !== body && source.errored instanceof BlobTooLargeError) throw source.errored;
        throw error;
      }
      const info = await head(key);
      if (!info) throw new Error(`blob ${key} is not in the bucket right after its upload`);
      return info;
    },

    async get(key: string, range?: BlobRange) {
      if (range) {
        const info = await head(key);
        if (!info) return null;
        assertBlobRange(range, info.size);
      }
      try {
        const answer = await client.send(
          new GetObjectCommand({ Bucket: bucket, Key: objectKey(key), Range: range ? `bytes=${range.start}-${range.end}` : undefined }),
        );
        const info = infoOf(key, answer);
        // A ranged answer's Content-Length is the range's; the object's size is after the slash.
        const total = /\/(\d+)$/.exec(answer.ContentRange ?? "")?.[1];
        if (total) info.size = Number(total);
        const body = answer.Body as Readable;
        const wanted = range ? range.end - range.start + 1 : undefined;
        // Some compatible services (s3rver) answer `bytes=0-0` with the whole object: keep what was asked.
        if (wanted !== undefined && answer.ContentLength !== wanted) return { info, body: body.pipe(firstBytes(wanted, body)) };
        return { info, body };
      } catch (error) {
        if (isNotFound(error)) return null;
        throw error;
      }
    },

    head,

    async delete(key: string) {
      await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: objectKey(key) }));
    },

    deleteMany,
    list,

    async deletePrefix(prefix: string) {
      const keys = await listObjects(prefix);
      await deleteObjects(keys);
      return keys.length;
    },

    async ping() {
      try {
        await client.send(new HeadBucketCommand({ Bucket: bucket }));
      } catch (error) {
        throw new Error(`bucket ${bucket} at ${where}: ${pingFailure(error)}`);
      }
    },

    async close() {
      client.destroy();
    },
  };
}
