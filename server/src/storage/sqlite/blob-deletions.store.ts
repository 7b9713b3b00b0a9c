import type { BlobDeletionStore, QueuedBlobDeletion } from "../ports.ts";
import type { SqliteDatabase } from "./database.ts";
import type { Row } from "./mapping.ts";

function toQueued(row: Row): QueuedBlobDeletion {
  return { id: Number(row.id), kind: row.kind === "prefix" ? "prefix" : "key", target: String(row.target), attempts: Number(row.attempts) };
}

export function createSqliteBlobDeletionStore(db: SqliteDatabase): BlobDeletionStore {
  const insert = db.prepare("INSERT INTO blob_deletions (kind, target, next_attempt_at) VALUES (?, ?, ?) RETURNING id");
  const due = db.prepare("SELECT * FROM blob_deletions WHERE next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?");
  const remove = db.prepare("DELETE FROM blob_deletions WHERE id = ?");
  const retry = db.prepare("UPDATE blob_deletions SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE id = ?");
  const count = db.prepare("SELECT count(*) AS n FROM blob_deletions");
  return {
    enqueue: db.transaction((targets, dueAt: number) =>
      targets.map((target: { kind: string; target: string }) => Number((insert.get(target.kind, target.target, dueAt) as Row).id)),
    ) as BlobDeletionStore["enqueue"],
    due: (now, limit) => (due.all(now, limit) as Row[]).map(toQueued),
    done: db.transaction((ids: readonly number[]) => {
      for (const id of ids) remove.run(id);
    }),
    retryLater: (id, nextAttemptAt, error) => void retry.run(nextAttemptAt, error.slice(0, 500), id),
    count: () => Number((count.get() as Row).n),
  };
}
