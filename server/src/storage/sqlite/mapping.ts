import type Database from "better-sqlite3";
/** Small conversions between SQLite values (bigints under safeIntegers) and domain records. */

export type Row = Record<string, unknown>;

export const int = (value: unknown): number => (value === null || value === undefined ? 0 : Number(value));
export const intOrNull = (value: unknown): number | null => (value === null || value === undefined ? null : Number(value));
export const big = (value: unknown): bigint => BigInt(value as bigint | number);
export const bigOrNull = (value: unknown): bigint | null =>
  value === null || value === undefined ? null : BigInt(value as bigint | number);
export const bool = (value: unknown): boolean => Boolean(Number(value ?? 0));
export const text = (value: unknown): string => String(value ?? "");
export const textOrNull = (value: unknown): string | null => (value === null || value === undefined ? null : String(value));
export const flag = (value: boolean | undefined): number => (value ? 1 : 0);

/** JSON that may hold snowflakes: bigints are written as decimal strings. */
export const toJson = (value: unknown): string =>
  JSON.stringify(value, (_key, inner) => (typeof inner === "bigint" ? inner.toString() : inner));

export const idList = (value: unknown): bigint[] => (JSON.parse(text(value) || "[]") as string[]).map((id) => BigInt(id));
export const stringList = (value: unknown): string[] => JSON.parse(text(value) || "[]") as string[];

/** Builds `SET a = @a, b = @b` for the keys of a patch that map to columns, and the bound values. */
export function setClause(
  patch: Record<string, unknown>,
  columns: Record<string, string>,
  encode: (key: string, value: unknown) => unknown = plain,
) {
  const parts: string[] = [];
  const values: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(patch)) {
    const column = columns[key];
    if (!column || value === undefined) continue;
    parts.push(`${column} = @${column}`);
    values[column] = encode(key, value);
  }
  return { sql: parts.join(", "), values };
}

function plain(_key: string, value: unknown): unknown {
  if (typeof value === "boolean") return value ? 1 : 0;
  if (Array.isArray(value)) return toJson(value);
  return value;
}

/** Prepares each distinct SQL text once (dynamic patches produce a handful of shapes). */
export function statementCache(db: Database.Database): (sql: string) => Database.Statement {
  const cache = new Map<string, Database.Statement>();
  return (sql: string) => {
    let statement = cache.get(sql);
    if (!statement) {
      statement = db.prepare(sql);
      cache.set(sql, statement);
    }
    return statement;
  };
}
