/** The SQL of MemberStore.searchPage: filters over `members m JOIN users u`, and the orderings. */
import type { GuildId } from "../../ids.ts";
import type { MemberSearchQuery } from "../ports.ts";
import { flag } from "./mapping.ts";

const NAME_MATCH = ["lower(u.username)", "lower(coalesce(u.global_name, ''))", "lower(coalesce(m.nick, ''))"];

/** The WHERE clause of a member search over `members m JOIN users u`, with its named values. */
export function memberSearchWhere(guildId: GuildId, query: MemberSearchQuery) {
  const where = ["m.guild_id = @guildId"];
  const values: Record<string, unknown> = { guildId };
  const text = query.text?.trim().toLowerCase();
  if (text) {
    values.text = text;
    const byName = NAME_MATCH.map((column) => `instr(${column}, @text) > 0`);
    if (/^\d{1,20}$/.test(text) && BigInt(text) < 1n << 63n) {
      values.textId = BigInt(text);
      byName.push("m.user_id = @textId");
    }
    where.push(`(${byName.join(" OR ")})`);
  }
  const bounds: [keyof MemberSearchQuery, string, string][] = [
    ["joinedFrom", "m.joined_at", ">="],
    ["joinedTo", "m.joined_at", "<="],
    ["userCreatedFrom", "u.created_at", ">="],
    ["userCreatedTo", "u.created_at", "<="],
  ];
  for (const [key, column, op] of bounds) {
    if (query[key] === undefined) continue;
    values[key] = query[key];
    where.push(`${column} ${op} @${key}`);
  }
  if (query.bot !== undefined) {
    values.bot = flag(query.bot);
    where.push("u.bot = @bot");
  }
  const roleIds = [...new Set(query.roleIds ?? [])];
  if (roleIds.length > 0) {
    roleIds.forEach((id, i) => {
      values[`role${i}`] = id;
    });
    // Every listed role: count the member's matching roles.
    where.push(`(SELECT count(*) FROM member_roles r WHERE r.guild_id = m.guild_id AND r.user_id = m.user_id
      AND r.role_id IN (${roleIds.map((_, i) => `@role${i}`).join(", ")})) = ${roleIds.length}`);
  }
  return { where: where.join(" AND "), values };
}

export function memberSearchOrder(query: MemberSearchQuery): string {
  if (query.sort === "joined_asc") return "m.joined_at ASC, m.user_id ASC";
  if (query.sort === "joined_desc" || !query.text?.trim()) return "m.joined_at DESC, m.user_id DESC";
  const startsWith = NAME_MATCH.map((column) => `instr(${column}, @text) = 1`).join(" OR ");
  return `CASE WHEN ${startsWith} THEN 0 ELSE 1 END, m.joined_at DESC, m.user_id DESC`;
}
