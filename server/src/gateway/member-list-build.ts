/**
 * One channel's member list as the Fluxer app lays it out: a flat list of rows, each group
 * header followed by its members. Online members go under their highest hoisted role (roles in
 * hoist position order, highest first), the rest of the online ones under `online`, everyone else
 * under `offline`. Empty groups are left out entirely (the app's layout skips them too, so a
 * header for one would shift every row after it), and the offline group is left out when it is
 * too big to render, as upstream does. Pure: the live cache (member-list.ts) feeds it.
 */
import { toMemberView } from "../features/members/member.views.ts";
import { channelPermissions, Permission } from "../permissions.ts";
import type { Channel, Guild, Member, Role, User } from "../storage/records.ts";
import type { PresenceView } from "./presence.ts";

/** Past this many offline members the offline group is not listed (upstream's render threshold). */
export const OFFLINE_GROUP_LIMIT = 1000;

/** A member as the list knows them. Replaced (never mutated) when anything about them changes. */
export interface ListEntry {
  member: Member;
  user: User;
  presence: PresenceView;
  /** Case-folded display name: the order within a group (ties by user id). */
  name: string;
  /** The `{"member":...}` item, serialised once and shared by every list and session. */
  json?: string;
}

export interface ListGroup {
  id: string;
  count: number;
}

export type ListRow = { group: ListGroup } | ListEntry;

export interface ListSnapshot {
  rows: ListRow[];
  groups: ListGroup[];
  memberCount: number;
  onlineCount: number;
}

export function newEntry(member: Member, user: User, presence: PresenceView): ListEntry {
  const name = (member.nick || user.globalName || user.username).toLowerCase();
  return { member, user, presence, name };
}

/** Roles that get their own group, highest first; @everyone never does. */
export function hoistedRoles(guild: Guild, roles: readonly Role[]): Role[] {
  const position = (role: Role) => role.hoistPosition ?? role.position;
  return roles.filter((r) => r.hoist && r.id !== guild.id).sort((a, b) => position(b) - position(a) || (a.id < b.id ? -1 : 1));
}

export function canViewChannel(guild: Guild, roles: readonly Role[], channel: Channel, member: Member): boolean {
  // VIEW_CHANNEL survives a timeout, so the time does not matter here.
  return (channelPermissions({ guild, roles, member, now: 0 }, channel) & Permission.VIEW_CHANNEL) !== 0n;
}

const byName = (a: ListEntry, b: ListEntry) =>
  a.name < b.name ? -1 : a.name > b.name ? 1 : a.member.userId < b.member.userId ? -1 : a.member.userId > b.member.userId ? 1 : 0;

/** The list of the members in `entries` (already those who can see the channel). */
export function buildList(hoisted: readonly Role[], entries: Iterable<ListEntry>): ListSnapshot {
  const sections = new Map<string, ListEntry[]>([
    ...hoisted.map((r) => [r.id.toString(), []] as [string, ListEntry[]]),
    ["online", []],
    ["offline", []],
  ]);
  let memberCount = 0;
  let onlineCount = 0;
  for (const entry of entries) {
    memberCount++;
    if (entry.presence.status === "offline") {
      sections.get("offline")?.push(entry);
      continue;
    }
    onlineCount++;
    const held = new Set(entry.member.roleIds);
    const top = hoisted.find((role) => held.has(role.id));
    sections.get(top ? top.id.toString() : "online")?.push(entry);
  }
  const rows: ListRow[] = [];
  const groups: ListGroup[] = [];
  for (const [id, members] of sections) {
    if (members.length === 0 || (id === "offline" && members.length > OFFLINE_GROUP_LIMIT)) continue;
    const group = { id, count: members.length };
    groups.push(group);
    rows.push({ group }, ...members.sort(byName));
  }
  return { rows, groups, memberCount, onlineCount };
}

function sameRow(a: ListRow | undefined, b: ListRow | undefined): boolean {
  if (a === b) return true;
  if (!a || !b || !("group" in a) || !("group" in b)) return false;
  return a.group.id === b.group.id && a.group.count === b.group.count;
}

/** Whether rows `start..end` read the same in both lists. */
export function rangeChanged(before: ListSnapshot, after: ListSnapshot, [start, end]: [number, number]): boolean {
  for (let i = start; i <= end; i++) if (!sameRow(before.rows[i], after.rows[i])) return true;
  return false;
}

export function sameHeader(a: ListSnapshot, b: ListSnapshot): boolean {
  return (
    a.memberCount === b.memberCount &&
    a.onlineCount === b.onlineCount &&
    a.groups.length === b.groups.length &&
    a.groups.every((g, i) => g.id === b.groups[i]?.id && g.count === b.groups[i]?.count)
  );
}

function rowJson(row: ListRow, guildId: string): string {
  if ("group" in row) return JSON.stringify({ group: row.group });
  row.json ??= JSON.stringify({
    member: { ...toMemberView(row.member, row.user), presence: { ...row.presence, guild_id: guildId } },
  });
  return row.json;
}

/** A SYNC op for rows `start..end` (fewer items when the list ends sooner), as JSON. */
export function syncOpJson(list: ListSnapshot, [start, end]: [number, number], guildId: string): string {
  const items = list.rows.slice(start, end + 1).map((row) => rowJson(row, guildId));
  return `{"op":"SYNC","range":[${start},${end}],"items":[${items.join(",")}]}`;
}

/** GUILD_MEMBER_LIST_UPDATE's `d`, its ops already serialised. The list id is the channel id, as upstream's. */
export function listUpdateJson(guildId: string, channelId: string, list: ListSnapshot, opsJson: string[]): string {
  const head = JSON.stringify({
    guild_id: guildId,
    id: channelId,
    channel_id: channelId,
    member_count: list.memberCount,
    online_count: list.onlineCount,
    groups: list.groups,
  });
  return `${head.slice(0, -1)},"ops":[${opsJson.join(",")}]}`;
}
