/** The behaviour every BlobDeletionStore backend must show. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { type MakeStores, useStores } from "./fixtures.ts";

export function blobDeletionStoreContract(makeStores: MakeStores): void {
  describe("BlobDeletionStore contract", () => {
    const stores = useStores(makeStores);

    it("queues targets, hands out the due ones oldest first, and forgets the done ones", () => {
      const queue = stores().blobDeletions;
      const ids = queue.enqueue(
        [
          { kind: "key", target: "attachments/1/2/a.txt" },
          { kind: "prefix", target: "attachments/3/" },
        ],
        1000,
      );
      const [later] = queue.enqueue([{ kind: "key", target: "attachments/9/9/late.txt" }], 5000);
      assert.equal(ids.length, 2);
      assert.equal(queue.count(), 3);
      assert.deepEqual(queue.due(999, 10), []);
      const due = queue.due(1000, 10);
      assert.deepEqual(
        due.map((entry) => [entry.id, entry.kind, entry.target, entry.attempts]),
        [
          [ids[0], "key", "attachments/1/2/a.txt", 0],
          [ids[1], "prefix", "attachments/3/", 0],
        ],
      );
      assert.equal(queue.due(10_000, 1).length, 1, "the limit holds");
      queue.done(ids);
      assert.deepEqual(
        queue.due(10_000, 10).map((entry) => entry.id),
        [later],
      );
      assert.equal(queue.count(), 1);
    });

    it("counts failed attempts and makes the entry due again later", () => {
      const queue = stores().blobDeletions;
      const [id] = queue.enqueue([{ kind: "key", target: "attachments/5/6/b.txt" }], 100);
      queue.retryLater(id as number, 2000, "connection refused");
      assert.deepEqual(queue.due(1999, 10), []);
      const [entry] = queue.due(2000, 10);
      assert.equal(entry?.id, id);
      assert.equal(entry?.attempts, 1);
      queue.done([id as number]);
    });
  });
}
