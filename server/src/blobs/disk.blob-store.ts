/**
 * Blobs as plain files under one folder: `<root>/<key>`. A write goes to `<root>/.tmp/` and is
 * renamed into place once whole, so a reader sees the old object or the new one, never a part.
 * Folders left empty by a delete are removed up to the root.
 */
import { randomUUID } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { mkdir, readdir, rename, rm, rmdir, stat } from "node:fs/promises";
import { dirname, join, relative, resolve, sep } from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import {
  assertBlobKey,
  assertBlobPrefix,
  assertBlobRange,
  type BlobInfo,
  type BlobPutOptions,
  type BlobRange,
  type BlobStore,
  byteLimit,
} from "./blob-store.port.ts";

const TEMP_FOLDER = ".tmp";

export function createDiskBlobStore(rootDir: string): BlobStore {
  const root = resolve(rootDir);
  const temp = join(root, TEMP_FOLDER);

  /** The file of a key; keys are validated, and the check below is a second fence. */
  function pathOf(key: string): string {
    assertBlobKey(key);
    const path = resolve(root, key);
    if (!path.startsWith(root + sep)) throw new Error(`blob key escapes the store: ${key}`);
    return path;
  }

  async function infoOf(key: string, path: string): Promise<BlobInfo | null> {
    const info = await stat(path).catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT" || error.code === "ENOTDIR") return null;
      throw error;
    });
    if (!info?.isFile()) return null;
    return {
      key,
      size: info.size,
      contentType: null,
      // Every put renames a new file into place: a new inode, so a new tag even within one mtime tick.
      etag: `"${info.ino.toString(16)}-${info.size.toString(16)}-${Math.round(info.mtimeMs).toString(16)}"`,
      lastModified: info.mtime,
    };
  }

  /** Removes empty folders from `folder` up towards the root; one that holds something stops it. */
  async function pruneFrom(folder: string): Promise<void> {
    for (let current = folder; current.startsWith(root + sep); current = dirname(current)) {
      try {
        await rmdir(current);
      } catch {
        return;
      }
    }
  }

  /** Moves the finished temp file into place; a concurrent prune may remove the folder in between. */
  async function place(tempPath: string, path: string): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      await mkdir(dirname(path), { recursive: true });
      try {
        await rename(tempPath, path);
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "ENOENT" || attempt >= 5) throw error;
      }
    }
  }

  async function removeFile(key: string): Promise<void> {
    const path = pathOf(key);
    await rm(path, { force: true });
    await pruneFrom(dirname(path));
  }

  /** Every file under `folder`, as keys; dot-folders (ours and uploads in flight) are not blobs. */
  async function walk(folder: string): Promise<string[]> {
    const entries = await readdir(folder, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT" || error.code === "ENOTDIR") return [];
      throw error;
    });
    const keys: string[] = [];
    for (const entry of entries) {
      if (entry.name.startsWith(".")) continue;
      const path = join(folder, entry.name);
      if (entry.isDirectory()) keys.push(...(await walk(path)));
      else if (entry.isFile()) keys.push(relative(root, path).split(sep).join("/"));
    }
    return keys;
  }

  return {
    async put(key: string, body: Readable, options: BlobPutOptions) {
      const path = pathOf(key);
      await mkdir(temp, { recursive: true });
      const tempPath = join(temp, randomUUID());
      try {
        const limit = options.maxBytes === undefined ? [] : [byteLimit(options.maxBytes)];
        await pipeline([body, ...limit, createWriteStream(tempPath, { flags: "wx" })]);
        await place(tempPath, path);
      } catch (error) {
        await rm(tempPath, { force: true });
        throw error;
      }
      const info = await infoOf(key, path);
      if (!info) throw new Error(`blob ${key} vanished right after it was written`);
      return { ...info, contentType: options.contentType };
    },

    async get(key: string, range?: BlobRange) {
      const path = pathOf(key);
      const info = await infoOf(key, path);
      if (!info) return null;
      if (range) assertBlobRange(range, info.size);
      // Opened before answering, so a delete right after still streams the bytes it had.
      const stream = createReadStream(path, range ?? {});
      const opened = await new Promise<boolean>((resolveOpen, reject) => {
        stream.once("open", () => resolveOpen(true));
        stream.once("error", (error: NodeJS.ErrnoException) => (error.code === "ENOENT" ? resolveOpen(false) : reject(error)));
      });
      return opened ? { info, body: stream } : null;
    },

    head: async (key: string) => infoOf(key, pathOf(key)),

    delete: removeFile,

    async deleteMany(keys: readonly string[]) {
      keys.forEach(assertBlobKey);
      for (const key of new Set(keys)) await removeFile(key);
    },

    async list(prefix: string) {
      assertBlobPrefix(prefix);
      return walk(join(root, prefix));
    },

    async deletePrefix(prefix: string) {
      assertBlobPrefix(prefix);
      const keys = await walk(join(root, prefix));
      // Paths as found (a file put there by hand may not be a valid key); all are under the prefix.
      for (const key of keys) await rm(join(root, ...key.split("/")), { force: true });
      const folder = join(root, prefix);
      // Folders emptied here go; one with an upload landing in it stays.
      await removeEmptyFolders(folder);
      await pruneFrom(dirname(folder));
      return keys.length;
    },

    async ping() {
      await mkdir(temp, { recursive: true });
    },

    async close() {},
  };
}

async function removeEmptyFolders(folder: string): Promise<void> {
  const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) if (entry.isDirectory()) await removeEmptyFolders(join(folder, entry.name));
  await rmdir(folder).catch(() => undefined);
}
