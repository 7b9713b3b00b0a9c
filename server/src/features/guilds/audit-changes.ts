/**
 * Audit log `changes` from two wire-shaped snapshots of the same object. Values are the wire values
 * (ids as strings). The spec's old/new value is a oneOf that an empty array matches twice, so an
 * empty array is left out, as is an absent or null side of a create or delete.
 */
import type { AuditLogEntry } from "../../storage/records.ts";

type Change = NonNullable<AuditLogEntry["changes"]>[number];
type Snapshot = Record<string, unknown>;

const isEmptyArray = (value: unknown) => Array.isArray(value) && value.length === 0;
/** Null says something on an update (a field was cleared), nothing on a create or delete. */
const shown = (value: unknown, nullMeans: boolean) => value !== undefined && !isEmptyArray(value) && (nullMeans || value !== null);
const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);

/** One change per key whose value differs; `before` null means created, `after` null means deleted. */
export function auditChanges(before: Snapshot | null, after: Snapshot | null, keys: readonly string[]): Change[] {
  const update = before !== null && after !== null;
  const changes: Change[] = [];
  for (const key of keys) {
    const oldValue = before?.[key];
    const newValue = after?.[key];
    if (same(oldValue, newValue)) continue;
    const change: Change = { key };
    if (before && shown(oldValue, update)) change.old_value = oldValue;
    if (after && shown(newValue, update)) change.new_value = newValue;
    if ("old_value" in change || "new_value" in change) changes.push(change);
  }
  return changes;
}

/** `changes` for audit.record: null instead of an empty list. */
export const changesOrNull = (changes: Change[]): Change[] | null => (changes.length > 0 ? changes : null);
