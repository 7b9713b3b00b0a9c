/**
 * Member lookups a session asks for: REQUEST_GUILD_MEMBERS (op 8 → GUILD_MEMBERS_CHUNK) and
 * LAZY_REQUEST (op 14 → GUILD_MEMBER_LIST_UPDATE, kept live by member-list.ts). Both answer only
 * the asking session.
 *
 * Both can be heavy (a guild's whole member list), and the frame limit alone lets a session send
 * 120 a minute, so each is bounded: op 8 at 3 per 10 s per session (Fluxer's limit; one beyond it
 * gets a RATE_LIMITED dispatch per guild, as upstream sends, and the socket stays open) and 1000
 * members per request; op 14 at 2 member lists and 200 list items per request.
 */
import { toMemberView } from "../features/members/member.views.ts";
import { parseSnowflake } from "../ids.ts";
import type { Member } from "../storage/records.ts";
import type { GatewayContext } from "./context.ts";
import type { Range } from "./member-list.ts";
import { presenceView } from "./presence.ts";
import { Op } from "./protocol.ts";
import type { Session } from "./session.ts";

const CHUNK_SIZE = 1000;
const MAX_USER_IDS = 100;
/** Op 8 answers with at most this many members per request, across all its guilds. */
export const MAX_MEMBERS_PER_REQUEST = 1000;
/** Op 8s a session may send per window; the ones beyond are ignored. */
export const MEMBER_REQUESTS_PER_WINDOW = 3;
export const MEMBER_REQUEST_WINDOW_MS = 10_000;
const MAX_RANGES = 10;
/** The last row index a range may reach (upstream's bound, and the app's). */
const MAX_ROW = 100_000;
/** Each member list scans the guild, so a request gets few; its ranges together cover at most 200 items. */
export const MAX_LISTS_PER_REQUEST = 2;
export const MAX_LIST_ITEMS_PER_REQUEST = 200;

/** When each session's recent op 8s were accepted (sliding window). */
const memberRequestTimes = new WeakMap<Session, number[]>();

/** 0 when the request may go ahead (and is counted), else the milliseconds until one may. */
function memberRequestWait(session: Session, now: number): number {
  const recent = (memberRequestTimes.get(session) ?? []).filter((at) => now - at < MEMBER_REQUEST_WINDOW_MS);
  memberRequestTimes.set(session, recent);
  if (recent.length < MEMBER_REQUESTS_PER_WINDOW) {
    recent.push(now);
    return 0;
  }
  return Math.max(1, (recent[0] as number) + MEMBER_REQUEST_WINDOW_MS - now);
}

/** Upstream's answer to a member request over the limit: which op, when to retry (seconds), for what. */
function rateLimited(session: Session, guildIds: bigint[], waitMs: number, nonce: string | undefined): void {
  for (const guildId of guildIds) {
    const meta = { guild_id: guildId.toString(), ...(nonce !== undefined ? { nonce } : {}) };
    session.dispatch("RATE_LIMITED", JSON.stringify({ opcode: Op.REQUEST_GUILD_MEMBERS, retry_after: waitMs / 1000, meta }));
  }
}

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
    return user ? [toMemberView(m, user)] : [];
  });
}

export async function requestGuildMembers(ctx: GatewayContext, session: Session, d: unknown): Promise<void> {
  if (!isObject(d)) return;
  const nonce = typeof d.nonce === "string" && d.nonce.length <= 32 ? d.nonce : undefined;
  const guildIds = (Array.isArray(d.guild_id) ? d.guild_id : [d.guild_id]).slice(0, 100).map(parseSnowflake);
  const wait = memberRequestWait(session, ctx.deps.clock());
  if (wait > 0) {
    const mine = [...new Set(guildIds)].filter((id): id is bigint => id !== null && session.guildIds.has(id));
    return rateLimited(session, mine, wait, nonce);
  }
  let budget = MAX_MEMBERS_PER_REQUEST;
  for (const guildId of guildIds) {
    if (guildId === null || !session.guildIds.has(guildId)) continue; // as Discord: nothing for guilds you are not in
    if (budget <= 0) break;
    const { members: store } = ctx.deps.stores;
    let found: Member[];
    let notFound: string[] | undefined;
    if (Array.isArray(d.user_ids) || typeof d.user_ids === "string") {
      const wanted = (Array.isArray(d.user_ids) ? d.user_ids : [d.user_ids]).slice(0, Math.min(MAX_USER_IDS, budget)).map(parseSnowflake);
      const ids = wanted.filter((id): id is bigint => id !== null);
      found = store.getMany(guildId, ids);
      const have = new Set(found.map((m) => m.userId));
      notFound = ids.filter((id) => !have.has(id)).map(String);
    } else {
      const query = typeof d.query === "string" ? d.query : "";
      // Discord's limit 0 means "all members": here it means as many as the request may still have.
      const cap = Math.min(query ? 100 : MAX_MEMBERS_PER_REQUEST, budget);
      const limit = typeof d.limit === "number" && d.limit > 0 ? Math.min(Math.floor(d.limit), cap) : cap;
      found = query ? store.search(guildId, query, limit) : allMembers(ctx, guildId, limit);
    }
    budget -= found.length;
    const views = memberViews(ctx, found);
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

/**
 * `[[start, end], ...]`, sorted, overlaps merged, and cut into spans of at most 100 rows as
 * upstream's gateway normalises them. Longer spans are accepted: the app asks for its viewport
 * plus 50 rows either side in one range, which is usually more than 100.
 */
function parseRanges(value: unknown): Range[] {
  if (!Array.isArray(value)) return [];
  const valid = value
    .filter(
      (r): r is Range =>
        Array.isArray(r) && Number.isInteger(r[0]) && Number.isInteger(r[1]) && r[0] >= 0 && r[1] >= r[0] && r[1] <= MAX_ROW,
    )
    .slice(0, MAX_RANGES)
    .map(([a, b]): Range => [a, b])
    .sort((a, b) => a[0] - b[0]);
  const merged: Range[] = [];
  for (const range of valid) {
    const last = merged.at(-1);
    if (last && range[0] <= last[1] + 1) last[1] = Math.max(last[1], range[1]);
    else merged.push(range);
  }
  const out: Range[] = [];
  for (const [start, end] of merged)
    for (let from = start; from <= end && out.length < MAX_RANGES; from += 100) out.push([from, Math.min(end, from + 99)]);
  return out;
}

interface LazyTarget {
  guildId: bigint;
  channelId: bigint;
  ranges: Range[];
}

/**
 * The app's `{subscriptions: {<guild>: {active, sync, typing, member_list_channels: {<channel>: ranges}}}}`,
 * or Discord's `{guild_id, channels: {<channel>: ranges}}`. `active`, `sync` and `typing` ask for
 * passive-guild catch-up upstream; every session here is active (it gets all its guilds' events), so
 * they need nothing.
 */
function lazyTargets(d: Record<string, unknown>): LazyTarget[] {
  const out: LazyTarget[] = [];
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

/** The ranges cut down to `left` items in all (a range past the budget is shortened or dropped). */
function withinBudget(ranges: Range[], left: number): Range[] {
  const out: Range[] = [];
  for (const [start, end] of ranges) {
    if (left <= 0) break;
    const last = Math.min(end, start + left - 1);
    out.push([start, last]);
    left -= last - start + 1;
  }
  return out;
}

/** Op 14: subscribes to (or, with no ranges, leaves) channel member lists; see member-list.ts. */
export async function lazyRequest(ctx: GatewayContext, session: Session, d: unknown): Promise<void> {
  if (!isObject(d)) return;
  const targets = lazyTargets(d).filter((t) => session.guildIds.has(t.guildId));
  const work: Promise<void>[] = [];
  for (const t of targets) if (t.ranges.length === 0) work.push(ctx.memberLists.subscribe(session, t.guildId, t.channelId, []));
  let itemsLeft = MAX_LIST_ITEMS_PER_REQUEST;
  const lists = targets.filter((t) => t.ranges.length > 0 && ctx.visibility.canView(t.guildId, t.channelId, session.userId));
  for (const { guildId, channelId, ranges: asked } of lists.slice(0, MAX_LISTS_PER_REQUEST)) {
    const ranges = withinBudget(asked, itemsLeft);
    if (ranges.length === 0) break;
    for (const [start, end] of ranges) itemsLeft -= end - start + 1;
    work.push(ctx.memberLists.subscribe(session, guildId, channelId, ranges));
  }
  await Promise.all(work);
}
