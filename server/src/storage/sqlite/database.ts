/** Opens the SQLite file with our pragmas and brings its schema up to date. Only storage/sqlite imports the driver. */
import { mkdirSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import Database from "better-sqlite3";
import type { Config } from "../../config.ts";

export type SqliteDatabase = Database.Database;
type Pragmas = Config["database"]["sqlite_pragmas"];

const MIGRATIONS_DIR = join(dirname(fileURLToPath(import.meta.url)), "migrations");

export function openSqlite(path: string, pragmas: Pragmas): SqliteDatabase {
  if (path !== ":memory:") mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  db.defaultSafeIntegers(true); // snowflakes exceed 2^53: every integer comes back as a bigint
  db.pragma(`busy_timeout = ${pragmas.busy_timeout}`);
  db.pragma(`journal_mode = ${pragmas.journal_mode}`);
  db.pragma(`synchronous = ${pragmas.synchronous}`);
  db.pragma(`cache_size = ${pragmas.cache_size}`);
  db.pragma(`wal_autocheckpoint = ${pragmas.wal_autocheckpoint}`);
  db.pragma(`mmap_size = ${pragmas.mmap_size}`);
  db.pragma("foreign_keys = ON");
  migrate(db);
  return db;
}

/** Throws unless the database answers and carries every migration this build knows. */
export function checkSchema(db: SqliteDatabase): void {
  if (!db.open) throw new Error("the database is closed");
  const current = Number(db.pragma("user_version", { simple: true }));
  const latest = Math.max(0, ...migrationFiles().map((name) => Number.parseInt(name.slice(0, 3), 10)));
  if (current < latest) throw new Error(`the schema is at version ${current}, this build needs ${latest}`);
}

function migrationFiles(): string[] {
  return readdirSync(MIGRATIONS_DIR)
    .filter((name) => /^\d{3}-[\w-]+\.sql$/.test(name))
    .sort();
}

/** Applies numbered `NNN-name.sql` files above the database's user_version, each in its own transaction. */
export function migrate(db: SqliteDatabase): number {
  const current = Number(db.pragma("user_version", { simple: true }));
  const files = migrationFiles();
  let version = current;
  for (const name of files) {
    const number = Number.parseInt(name.slice(0, 3), 10);
    if (number <= current) continue;
    const sql = readFileSync(join(MIGRATIONS_DIR, name), "utf8");
    db.transaction(() => {
      db.exec(sql);
      db.pragma(`user_version = ${number}`);
    })();
    version = number;
  }
  return version;
}
