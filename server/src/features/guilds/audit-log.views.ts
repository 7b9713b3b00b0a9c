/** Audit log entries on the wire (GuildAuditLogEntryResponse): empty parts are left out, as the spec allows. */
import type { AuditLogEntry } from "../../storage/records.ts";

type Change = NonNullable<AuditLogEntry["changes"]>[number];

const isIdObject = (item: unknown): item is { id: string } =>
  typeof item === "object" && item !== null && typeof (item as { id?: unknown }).id === "string";

/**
 * A change value in one of the spec's shapes (string, number, boolean, null, a non-empty list of
 * strings or of numbers, or {added, removed}), or undefined. Discord-style role lists
 * (`[{id, name}]`) become their ids; anything else is left out rather than break the response.
 */
function wireValue(value: unknown): unknown {
  if (value === null || ["string", "number", "boolean"].includes(typeof value)) return value;
  if (Array.isArray(value)) {
    if (value.length === 0) return undefined;
    if (value.every((item) => typeof item === "string") || value.every((item) => typeof item === "number")) return value;
    if (value.every(isIdObject)) return value.map((item) => item.id);
    return undefined;
  }
  const set = value as { added?: unknown; removed?: unknown } | undefined;
  if (set && Array.isArray(set.added) && Array.isArray(set.removed)) return value;
  return undefined;
}

function toChangeView(change: Change): Change | null {
  const view: Change = { key: change.key };
  const oldValue = wireValue(change.old_value);
  const newValue = wireValue(change.new_value);
  if (oldValue !== undefined) view.old_value = oldValue;
  if (newValue !== undefined) view.new_value = newValue;
  return "old_value" in view || "new_value" in view ? view : null;
}

/** The spec's option fields and their types; other writers' values are coerced to them, unknown keys pass. */
const OPTION_TYPES: Record<string, "string" | "number" | "boolean"> = {
  channel_id: "string",
  count: "number",
  delete_member_days: "string",
  id: "string",
  integration_type: "number",
  message_id: "string",
  members_removed: "number",
  role_name: "string",
  type: "number",
  inviter_id: "string",
  max_age: "number",
  max_uses: "number",
  temporary: "boolean",
  uses: "number",
};

function toOptionsView(options: Record<string, unknown>): Record<string, unknown> {
  const view: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(options)) {
    const type = OPTION_TYPES[key];
    if (!type || typeof value === type) view[key] = value;
    else if (type === "string" && (typeof value === "number" || typeof value === "bigint")) view[key] = String(value);
    else if (type === "number" && typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value)))
      view[key] = Number(value);
  }
  return view;
}

export function toAuditLogEntryView(entry: AuditLogEntry) {
  const changes = (entry.changes ?? []).map(toChangeView).filter((change): change is Change => change !== null);
  return {
    id: entry.id.toString(),
    action_type: entry.actionType,
    user_id: entry.userId === null ? null : entry.userId.toString(),
    target_id: entry.targetId === null ? null : entry.targetId.toString(),
    ...(entry.reason !== null ? { reason: entry.reason } : {}),
    ...(entry.options !== null ? { options: toOptionsView(entry.options) } : {}),
    ...(changes.length > 0 ? { changes } : {}),
  };
}
