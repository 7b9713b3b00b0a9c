/**
 * The behaviour every BlobStore adapter must show, run for real on each (a temp folder, a real
 * S3-compatible server on loopback). Keys are fresh per test so tests never see each other's objects.
 */
import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { Readable } from "node:stream";
import { buffer } from "node:stream/consumers";
import { after, describe, it } from "node:test";
import { BlobKeyError, BlobRangeError, type BlobStore, BlobTooLargeError } from "../blob-store.port.ts";

export interface BlobContractOptions {
  makeStore(): Promise<BlobStore>;
  /** Files or uploads an adapter keeps while writing (temp files, open multipart uploads); must be none when idle. */
  leftovers?(): Promise<number>;
  /**
   * Why the backend itself cannot promise that concurrent writes of one key leave one whole object
   * (a test stand-in's limit, not the adapter's); the case is then skipped with this reason.
   */
  nonAtomicOverwrites?: string;
}

/** A body that arrives in small chunks, as from a socket. */
function chunked(bytes: Buffer, size = 64 * 1024): Readable {
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
  return Readable.from(chunks);
}

export function blobStoreContract(name: string, options: BlobContractOptions): void {
  describe(`BlobStore contract: ${name}`, () => {
    let store: BlobStore | undefined;
    let count = 0;
    const prefix = () => `contract/${process.pid}-${Date.now()}-${++count}/`;
    after(async () => {
      await store?.close();
    });
    const blobs = async () => {
      store ??= await options.makeStore();
      return store;
    };
    const read = async (s: BlobStore, key: string, range?: { start: number; end: number }) => {
      const found = await s.get(key, range);
      assert.ok(found, `${key} is there`);
      return { info: found.info, bytes: await buffer(found.body) };
    };

    it("answers ping", async () => {
      await (await blobs()).ping();
    });

    it("round-trips binary, empty and multi-megabyte bodies byte for byte", async () => {
      const s = await blobs();
      const p = prefix();
      const cases: [string, Buffer][] = [
        ["binary.bin", Buffer.from([0, 255, 1, 254, 0, 0, 10, 13, 0x80])],
        ["empty.txt", Buffer.alloc(0)],
        ["large.bin", randomBytes(9 * 1024 * 1024 + 123)],
      ];
      for (const [file, bytes] of cases) {
        const put = await s.put(p + file, chunked(bytes), { contentType: "application/x-test" });
        assert.equal(put.size, bytes.length);
        assert.equal(put.key, p + file);
        const got = await read(s, p + file);
        assert.equal(got.bytes.length, bytes.length, file);
        assert.ok(got.bytes.equals(bytes), `${file} comes back unchanged`);
        const head = await s.head(p + file);
        assert.equal(head?.size, bytes.length);
        assert.ok(head?.contentType === null || head?.contentType === "application/x-test", `content type ${head?.contentType}`);
        assert.equal(head?.etag, got.info.etag);
        assert.match(head?.etag ?? "", /^".+"$/);
      }
    });

    it("gives ranges, with the whole object's size", async () => {
      const s = await blobs();
      const key = `${prefix()}range.bin`;
      const bytes = randomBytes(5000);
      await s.put(key, chunked(bytes, 700), { contentType: "application/octet-stream" });
      for (const [start, end] of [
        [0, 0],
        [10, 19],
        [4990, 4999],
        [0, 4999],
      ] as const) {
        const got = await read(s, key, { start, end });
        assert.ok(got.bytes.equals(bytes.subarray(start, end + 1)), `bytes ${start}-${end}`);
        assert.equal(got.info.size, 5000);
      }
      await assert.rejects(s.get(key, { start: 5000, end: 5000 }), BlobRangeError);
      await assert.rejects(s.get(key, { start: 20, end: 10 }), BlobRangeError);
    });

    it("answers null for a key that is not there, and lists nothing under an unknown prefix", async () => {
      const s = await blobs();
      const p = prefix();
      assert.equal(await s.get(`${p}missing`), null);
      assert.equal(await s.get(`${p}missing`, { start: 0, end: 1 }), null);
      assert.equal(await s.head(`${p}missing`), null);
      assert.deepEqual(await s.list(p), []);
    });

    it("replaces an object and gives the new one a new etag", async () => {
      const s = await blobs();
      const key = `${prefix()}replace.txt`;
      const first = await s.put(key, Readable.from([Buffer.from("first version")]), { contentType: "text/plain" });
      const second = await s.put(key, Readable.from([Buffer.from("second, longer version")]), { contentType: "text/plain" });
      assert.notEqual(first.etag, second.etag);
      assert.equal((await read(s, key)).bytes.toString(), "second, longer version");
    });

    it("deletes idempotently, one or many", async () => {
      const s = await blobs();
      const p = prefix();
      for (const file of ["a", "b", "c"]) await s.put(p + file, Readable.from([Buffer.from(file)]), { contentType: "text/plain" });
      await s.delete(`${p}a`);
      await s.delete(`${p}a`);
      await s.delete(`${p}never-was`);
      assert.equal(await s.head(`${p}a`), null);
      await s.deleteMany([`${p}b`, `${p}b`, `${p}never-was`]);
      assert.equal(await s.head(`${p}b`), null);
      assert.deepEqual(await s.list(p), [`${p}c`]);
      await s.deleteMany([]);
    });

    it("lists and deletes by prefix, leaving other prefixes alone", async () => {
      const s = await blobs();
      const p = prefix();
      const doomed = [`${p}doomed/1/x.txt`, `${p}doomed/2/y.txt`, `${p}doomed/z.txt`];
      const kept = [`${p}doomed-not/1.txt`, `${p}kept/1.txt`];
      for (const key of [...doomed, ...kept]) await s.put(key, Readable.from([Buffer.from(key)]), { contentType: "text/plain" });
      assert.deepEqual((await s.list(`${p}doomed/`)).sort(), doomed.sort());
      assert.equal(await s.deletePrefix(`${p}doomed/`), 3);
      assert.deepEqual(await s.list(`${p}doomed/`), []);
      for (const key of doomed) assert.equal(await s.head(key), null);
      assert.deepEqual((await s.list(p)).sort(), kept.sort());
      assert.equal(await s.deletePrefix(`${p}doomed/`), 0);
    });

    it("refuses a body over the size limit and keeps nothing of it, nor harms the object already there", async () => {
      const s = await blobs();
      const p = prefix();
      const tooBig = randomBytes(300 * 1024);
      await assert.rejects(
        s.put(`${p}big.bin`, chunked(tooBig), { contentType: "application/octet-stream", maxBytes: 100_000 }),
        BlobTooLargeError,
      );
      assert.equal(await s.head(`${p}big.bin`), null);
      assert.deepEqual(await s.list(p), []);
      // Exactly at the limit is fine; one more byte over an existing object leaves the old bytes.
      const fits = randomBytes(1000);
      await s.put(`${p}fits.bin`, chunked(fits), { contentType: "application/octet-stream", maxBytes: 1000 });
      await assert.rejects(
        s.put(`${p}fits.bin`, chunked(randomBytes(1001)), { contentType: "application/octet-stream", maxBytes: 1000 }),
        BlobTooLargeError,
      );
      assert.ok((await read(s, `${p}fits.bin`)).bytes.equals(fits));
      if (options.leftovers) assert.equal(await options.leftovers(), 0, "no temp file or open upload stays behind");
    });

    it("ends concurrent puts of one key with one whole object", async (t) => {
      if (options.nonAtomicOverwrites) return t.skip(options.nonAtomicOverwrites);
      const s = await blobs();
      const key = `${prefix()}race.bin`;
      const bodies = Array.from({ length: 6 }, (_, i) => Buffer.alloc(256 * 1024 + i * 1000, i + 1));
      await Promise.all(bodies.map((bytes) => s.put(key, chunked(bytes, 16 * 1024), { contentType: "application/octet-stream" })));
      const { bytes } = await read(s, key);
      assert.ok(
        bodies.some((body) => body.equals(bytes)),
        "the object is exactly one of the bodies, not a mix",
      );
      if (options.leftovers) assert.equal(await options.leftovers(), 0);
    });

    it("refuses keys and prefixes that are not plain path segments", async () => {
      const s = await blobs();
      const bad = [
        "",
        "/abs",
        "a//b",
        "../x",
        "a/../b",
        "a/./b",
        ".hidden",
        "a/.tmp/b",
        "a\\b",
        "a b",
        "é",
        "a\0b",
        "a/",
        "x".repeat(2000),
      ];
      for (const key of bad) {
        await assert.rejects(
          s.put(key, Readable.from([Buffer.from("x")]), { contentType: "text/plain" }),
          BlobKeyError,
          JSON.stringify(key),
        );
        await assert.rejects(s.get(key), BlobKeyError);
        await assert.rejects(s.head(key), BlobKeyError);
        await assert.rejects(s.delete(key), BlobKeyError);
      }
      for (const bad of ["", "/", "a", "../", "a/../"]) {
        await assert.rejects(s.list(bad), BlobKeyError, JSON.stringify(bad));
        await assert.rejects(s.deletePrefix(bad), BlobKeyError);
      }
      await assert.rejects(s.deleteMany(["fine", "../not"]), BlobKeyError);
      // What attachments use: ids and a sanitised name with dots, dashes and underscores.
      const key = `${prefix()}123/456/My_Picture-1.final.png`;
      await s.put(key, Readable.from([Buffer.from("ok")]), { contentType: "image/png" });
      assert.equal((await read(s, key)).bytes.toString(), "ok");
    });
  });
}
