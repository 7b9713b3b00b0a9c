/**
 * Member lookups a session asks for: REQUEST_GUILD_MEMBERS (op 8 → GUILD_MEMBERS_CHUNK) and a
 * basic LAZY_REQUEST (op 14 → GUILD_MEMBER_LIST_UPDATE with one SYNC op per requested range,
 * members grouped online/offline). Both answer only the asking session.
 */
import { toMemberView } from "../features/members/member.views.ts";
import { parseSnowflake } from "../ids.ts";
import type { Member } from "../storage/records.ts";
import type { GatewayContext } from "./context.ts";
import { presenceView } from "./presence.ts";
import type { Session } from "./session.ts";

const CHUNK_SIZE = 1000;
const MAX_USER_IDS = 100;
/** The lazy list looks at this many members at most (a basic list, not Fluxer's full engine). */
const LIST_SCAN_LIMIT = 10_000;
const MAX_RANGES = 10;

const isObject = (value: unknown): value is Record<string, unknown> => !!value && typeof value === "object" && !Array.isArray(value);

function allMembers(ctx: GatewayContext, guildId: bigint, cap: number): Member[] {
  const out: Member[] = [];
  let after: bigint | undefined;
  while (out.length < cap) {
    const want = Math.min(1000, cap - out.length);
    const page = ctx.deps.stores.members.list(guildId, { after, limit: want });
    out.push(...page);
    if (page.length < want) break;
    after = page.at(-1)?.userId;
  }
  return out;
}

function memberViews(ctx: GatewayContext, members: Member[]) {
  const users = ctx.deps.stores.users.getMany(members.map((m) => m.userId));
  return members.flatMap((m) => {
    const user = users.get(m.userId);
    return user ? [{ member: m, view: toMemberView(m, user), name: (m.nick ?? user.globalName ?? user.username).toLowerCase() }] : [];
  });
}

export async function requestGuildMembers(ctx: GatewayContext, session: Session, d: unknown): Promise<void> {
  if (!isObject(d)) return;
  const nonce = typeof d.nonce === "string" && d.nonce.length <= 32 ? d.nonce : undefined;
  const guildIds = (Array.isArray(d.guild_id) ? d.guild_id : [d.guild_id]).map(parseSnowflake);
  for (const guildId of guildIds) {
    if (guildId === null || !session.guildIds.has(guildId)) continue; // as Discord: nothing for guilds you are not in
    const { members: store } = ctx.deps.stores;
    let found: Member[];
    let notFound: string[] | undefined;
    if (Array.isArray(d.user_ids) || typeof d.user_ids === "string") {
      const wanted = (Array.isArray(d.user_ids) ? d.user_ids : [d.user_ids]).slice(0, MAX_USER_IDS).map(parseSnowflake);
      const ids = wanted.filter((id): id is bigint => id !== null);
      found = store.getMany(guildId, ids);
      const have = new Set(found.map((m) => m.userId));
      notFound = ids.filter((id) => !have.has(id)).map(String);
    } else {
      const query = typeof d.query === "string" ? d.query : "";
      const limit = typeof d.limit === "number" && d.limit > 0 ? Math.min(Math.floor(d.limit), query ? 100 : LIST_SCAN_LIMIT) : 0;
      if (query) found = store.search(guildId, query, limit || 100);
      else found = allMembers(ctx, guildId, limit || LIST_SCAN_LIMIT);
    }
    const views = memberViews(ctx, found).map((entry) => entry.view);
    const presences =
      d.presences === true
        ? [...(await ctx.presence.read(found.map((m) => m.userId))).entries()].map(([id, stored]) => presenceView(id, stored))
        : undefined;
    const chunkCount = Math.max(1, Math.ceil(views.length / CHUNK_SIZE));
    for (let index = 0; index < chunkCount; index++) {
      const chunk = views.slice(index * CHUNK_SIZE, (index + 1) * CHUNK_SIZE);
      const ids = new Set(chunk.map((v) => v.user.id));
      const data = {
        guild_id: guildId.toString(),
        members: chunk,
        chunk_index: index,
        chunk_count: chunkCount,
        ...(notFound && index === 0 ? { not_found: notFound } : {}),
        ...(presences ? { presences: presences.filter((p) => ids.has(p.user.id)) } : {}),
        ...(nonce !== undefined ? { nonce } : {}),
      };
      session.dispatch("GUILD_MEMBERS_CHUNK", JSON.stringify(data));
    }
  }
}

/** `[[start, end], ...]` with spans of at most 100, as upstream validates them. */
function parseRanges(value: unknown): [number, number][] {
  if (!Array.isArray(value)) return [];
  return value
    .filter(
      (r): r is [number, number] =>
        Array.isArray(r) && Number.isInteger(r[0]) && Number.isInteger(r[1]) && r[0] >= 0 && r[1] >= r[0] && r[1] - r[0] <= 99,
    )
    .slice(0, MAX_RANGES);
}

/** Fluxer's `{subscriptions: {guild: {member_list_channels: {channel: ranges}}}}`, or Discord's `{guild_id, channels}`. */
function lazyTargets(d: Record<string, unknown>): { guildId: bigint; channelId: bigint; ranges: [number, number][] }[] {
  const out: { guildId: bigint; channelId: bigint; ranges: [number, number][] }[] = [];
  const add = (guildText: unknown, channels: unknown) => {
    const guildId = parseSnowflake(guildText);
    if (guildId === null || !isObject(channels)) return;
    for (const [channelText, ranges] of Object.entries(channels)) {
      const channelId = parseSnowflake(channelText);
      if (channelId !== null) out.push({ guildId, channelId, ranges: parseRanges(ranges) });
    }
  };
  if (isObject(d.subscriptions)) {
    for (const [guildText, sub] of Object.entries(d.subscriptions)) if (isObject(sub)) add(guildText, sub.member_list_channels);
  }
  if (d.guild_id !== undefined) add(d.guild_id, d.channels);
  return out.slice(0, 10);
}

export async function lazyRequest(ctx: GatewayContext, session: Session, d: unknown): Promise<void> {
  if (!isObject(d)) return;
  for (const { guildId, channelId, ranges } of lazyTargets(d)) {
    if (!session.guildIds.has(guildId) || !ctx.visibility.canView(guildId, channelId, session.userId) || ranges.length === 0) continue;
    const members = allMembers(ctx, guildId, LIST_SCAN_LIMIT).filter((m) => ctx.visibility.canView(guildId, channelId, m.userId));
    const statuses = await ctx.presence.read(members.map((m) => m.userId));
    const entries = memberViews(ctx, members).map((entry) => ({
      ...entry,
      presence: presenceView(entry.member.userId, statuses.get(entry.member.userId) ?? null),
    }));
    const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
    const online = entries.filter((e) => e.presence.status !== "offline").sort(byName);
    const offline = entries.filter((e) => e.presence.status === "offline").sort(byName);
    const groups = [
      { id: "online", count: online.length },
      { id: "offline", count: offline.length },
    ];
    // The flat list a client scrolls: each group header followed by its members.
    const items: unknown[] = [];
    for (const [group, list] of [
      [groups[0], online],
      [groups[1], offline],
    ] as const) {
      if (list.length === 0) continue;
      items.push({ group });
      for (const e of list) items.push({ member: { ...e.view, presence: { ...e.presence, guild_id: guildId.toString() } } });
    }
    const data = {
      guild_id: guildId.toString(),
      id: channelId.toString(),
      member_count: members.length,
      online_count: online.length,
      groups,
      ops: ranges.map(([start, end]) => ({ op: "SYNC", range: [start, end], items: items.slice(start, end + 1) })),
    };
    session.dispatch("GUILD_MEMBER_LIST_UPDATE", JSON.stringify(data));
  }
}
