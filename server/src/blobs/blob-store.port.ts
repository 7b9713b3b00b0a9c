/**
 * The blob store port: the bytes of uploads (attachments today; avatars, emoji and stickers next),
 * streamed in and out. A folder on local disk by default, any S3-compatible service when the owner
 * configures one. Keys are `/`-separated paths of plain segments; services never see the layout.
 */

import type { Readable } from "node:stream";
import { Transform, type TransformCallback } from "node:stream";

export interface BlobInfo {
  key: string;
  size: number;
  /** The type given to `put`, or null where the adapter does not keep it (disk: callers keep it in their record). */
  contentType: string | null;
  /** A strong validator for conditional requests, quoted as in an HTTP `ETag`. */
  etag: string;
  lastModified: Date;
}

/** Inclusive byte offsets, as in an HTTP `Range`: `0 <= start <= end < size`. */
export interface BlobRange {
  start: number;
  end: number;
}

export interface BlobPutOptions {
  contentType: string;
  /** The body may not be longer; a longer one is refused with `BlobTooLargeError` and nothing is stored. */
  maxBytes?: number;
}

export interface BlobStore {
  /** Stores the whole body under `key` (replacing an older object only once complete). */
  put(key: string, body: Readable, options: BlobPutOptions): Promise<BlobInfo>;
  /** The object (or the range of it), or null when there is none. A range past the end is a `BlobRangeError`. */
  get(key: string, range?: BlobRange): Promise<{ info: BlobInfo; body: Readable } | null>;
  head(key: string): Promise<BlobInfo | null>;
  /** Removes the object; removing one that does not exist is not an error. */
  delete(key: string): Promise<void>;
  deleteMany(keys: readonly string[]): Promise<void>;
  /** Keys under `prefix` (which ends with `/`), in no promised order. */
  list(prefix: string): Promise<string[]>;
  /** Removes every object under `prefix` (which ends with `/`); returns how many there were. */
  deletePrefix(prefix: string): Promise<number>;
  /** Resolves when the store answers right now (readiness); rejects with why not. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export class BlobTooLargeError extends Error {
  constructor(readonly maxBytes: number) {
    super(`The upload is larger than ${maxBytes} bytes`);
    this.name = "BlobTooLargeError";
  }
}

export class BlobKeyError extends TypeError {
  constructor(key: string) {
    super(`Not a valid blob key: ${JSON.stringify(key.slice(0, 200))}`);
    this.name = "BlobKeyError";
  }
}

export class BlobRangeError extends RangeError {
  constructor(range: BlobRange, size: number) {
    super(`Range ${range.start}-${range.end} is outside an object of ${size} bytes`);
    this.name = "BlobRangeError";
  }
}

// One path segment: ASCII letters, digits, `._-`, never starting with a dot (so no `..`, and the
// adapters' own dot-folders such as `.tmp` can never be named by a key).
const SEGMENT = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,254}$/;
const MAX_KEY_LENGTH = 1024;

/** Throws `BlobKeyError` unless `key` is plain segments joined by `/`. */
export function assertBlobKey(key: string): void {
  if (typeof key !== "string" || key.length === 0 || key.length > MAX_KEY_LENGTH) throw new BlobKeyError(String(key));
  if (!key.split("/").every((segment) => SEGMENT.test(segment))) throw new BlobKeyError(key);
}

/** Throws `BlobKeyError` unless `prefix` is a valid key followed by `/` (never the whole store). */
export function assertBlobPrefix(prefix: string): void {
  if (typeof prefix !== "string" || !prefix.endsWith("/")) throw new BlobKeyError(String(prefix));
  assertBlobKey(prefix.slice(0, -1));
}

export function assertBlobRange(range: BlobRange, size: number): void {
  const ok = Number.isSafeInteger(range.start) && Number.isSafeInteger(range.end) && range.start >= 0;
  if (!ok || range.start > range.end || range.end >= size) throw new BlobRangeError(range, size);
}

/** Passes bytes through and fails with `BlobTooLargeError` as soon as more than `maxBytes` went by. */
export function byteLimit(maxBytes: number): Transform {
  let seen = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback: TransformCallback) {
      seen += chunk.length;
      if (seen > maxBytes) callback(new BlobTooLargeError(maxBytes));
      else callback(null, chunk);
    },
  });
}
