-- Blobs (uploaded files) whose records are gone but whose bytes could not be deleted yet: the
-- blob deletion queue retries them with a growing delay, at start and periodically.
CREATE TABLE blob_deletions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  kind TEXT NOT NULL CHECK (kind IN ('key', 'prefix')),
  target TEXT NOT NULL,
  attempts INTEGER NOT NULL DEFAULT 0,
  next_attempt_at INTEGER NOT NULL,
  last_error TEXT
);
CREATE INDEX blob_deletions_due ON blob_deletions (next_attempt_at);
