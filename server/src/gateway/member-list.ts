/**
 * Live member lists (op 14 → GUILD_MEMBER_LIST_UPDATE). A session subscribes to row ranges of a
 * channel's list; it gets a SYNC of them at once, and afterwards, whenever the list changes, a
 * SYNC of each of its ranges whose rows changed (as upstream's gateway does: the app's reducer
 * replaces a SYNC's range wholesale, so it never drifts).
 *
 * Fan-out stays cheap: a guild someone watches is loaded once (members, users, presences) and then
 * kept current from the events themselves: a presence change costs no query at all, a member
 * change one or two queries per event (never per socket). Each list is rebuilt once per event,
 * each distinct range serialised once per event, and member items once per change of that member.
 * The cache of a guild goes when its last subscriber does.
 */
import type { DomainEvent } from "../bus/bus.port.ts";
import type { Deps } from "../deps.ts";
import { parseSnowflake } from "../ids.ts";
import type { Channel, Guild, Role } from "../storage/records.ts";
import {
  buildList,
  canViewChannel,
  hoistedRoles,
  type ListEntry,
  type ListSnapshot,
  listUpdateJson,
  newEntry,
  rangeChanged,
  sameHeader,
  syncOpJson,
} from "./member-list-build.ts";
import { type Presence, type PresenceView, presenceView } from "./presence.ts";
import type { Session } from "./session.ts";

export type Range = [number, number];

/** A guild's list looks at this many members at most (a bigger guild's list is cut short). */
export const LIST_SCAN_LIMIT = 10_000;
/** Lists one session may hold at once; subscribing to another drops its oldest. */
export const MAX_LISTS_PER_SESSION = 10;

interface ChannelList {
  channelId: bigint;
  subscribers: Map<Session, Range[]>;
  /** What the subscribers were last sent (null until first built). */
  snapshot: ListSnapshot | null;
  /** user → may view the channel; dropped for a user when they change, for all when roles/channels do. */
  views: Map<bigint, boolean>;
}

interface GuildLists {
  guild: Guild;
  roles: Role[];
  hoisted: Role[];
  channels: Map<bigint, Channel>;
  entries: Map<bigint, ListEntry>;
  lists: Map<bigint, ChannelList>;
}

/** Events after which a watched guild's lists may read differently. */
const LIST_EVENTS: ReadonlySet<string> = new Set([
  "PRESENCE_UPDATE",
  "GUILD_MEMBER_ADD",
  "GUILD_MEMBER_UPDATE",
  "GUILD_MEMBER_REMOVE",
  "GUILD_UPDATE",
  "GUILD_DELETE",
  "GUILD_ROLE_CREATE",
  "GUILD_ROLE_UPDATE",
  "GUILD_ROLE_UPDATE_BULK",
  "GUILD_ROLE_DELETE",
  "CHANNEL_CREATE",
  "CHANNEL_UPDATE",
  "CHANNEL_UPDATE_BULK",
  "CHANNEL_DELETE",
]);

export interface MemberLists {
  /** Sets the session's ranges of a channel's list and sends their SYNC; no ranges unsubscribes. */
  subscribe(session: Session, guildId: bigint, channelId: bigint, ranges: Range[]): Promise<void>;
  /** The session ended: it holds no list any more. */
  forget(session: Session): void;
  /** Every bus event, after the dispatcher delivered it. */
  onEvent(event: DomainEvent): void | Promise<void>;
}

const field = (data: unknown, name: string): unknown =>
  data && typeof data === "object" ? (data as Record<string, unknown>)[name] : undefined;

/** PRESENCE_UPDATE's `d` back into what a list item shows (without the per-guild id). */
function presenceOf(userId: bigint, data: unknown): PresenceView {
  const status = field(data, "status");
  return {
    user: { id: userId.toString() },
    status: status === "online" || status === "idle" || status === "dnd" ? status : "offline",
    afk: field(data, "afk") === true,
    mobile: field(data, "mobile") === true,
    custom_status: field(data, "custom_status") ?? null,
    activities: [],
  };
}

export function createMemberLists(deps: Deps, presence: Presence, log: (message: string, error?: unknown) => void): MemberLists {
  const { stores } = deps;
  const guilds = new Map<bigint, GuildLists>();
  /** Guilds being loaded, with the events that arrived meanwhile (applied before the cache is used). */
  const loading = new Map<bigint, { promise: Promise<GuildLists | null>; pending: DomainEvent[] }>();
  /** Each session's lists, oldest first. */
  const held = new WeakMap<Session, { guildId: bigint; channelId: bigint }[]>();

  function readGuild(guildId: bigint) {
    const guild = stores.guilds.get(guildId);
    if (!guild) return null;
    const roles = stores.roles.list(guildId);
    const channels = new Map(stores.channels.listForGuild(guildId).map((c) => [c.id, c]));
    return { guild, roles, hoisted: hoistedRoles(guild, roles), channels };
  }

  async function load(guildId: bigint): Promise<GuildLists | null> {
    const cached = guilds.get(guildId);
    if (cached) return cached;
    const inFlight = loading.get(guildId);
    if (inFlight) return inFlight.promise;
    const pending: DomainEvent[] = [];
    const promise = (async (): Promise<GuildLists | null> => {
      const base = readGuild(guildId);
      if (!base) return null;
      const members = [];
      for (let after: bigint | undefined; members.length < LIST_SCAN_LIMIT; ) {
        const page = stores.members.list(guildId, { after, limit: 1000 });
        members.push(...page);
        if (page.length < 1000) break;
        after = page.at(-1)?.userId;
      }
      const ids = members.map((m) => m.userId);
      const users = stores.users.getMany(ids);
      const statuses = await presence.read(ids);
      const state: GuildLists = { ...base, entries: new Map(), lists: new Map() };
      for (const member of members) {
        const user = users.get(member.userId);
        if (user)
          state.entries.set(member.userId, newEntry(member, user, presenceView(member.userId, statuses.get(member.userId) ?? null)));
      }
      // What happened while we read is applied before anyone uses the cache.
      for (let event = pending.shift(); event; event = pending.shift()) {
        if ((await apply(state, event)) === "gone") return null;
      }
      // In the same turn as the last pending event: from here on events go to the cache itself.
      loading.delete(guildId);
      guilds.set(guildId, state);
      return state;
    })().finally(() => {
      if (loading.get(guildId)?.promise === promise) loading.delete(guildId);
    });
    loading.set(guildId, { promise, pending });
    return promise;
  }

  function canView(state: GuildLists, list: ChannelList, userId: bigint): boolean {
    let answer = list.views.get(userId);
    if (answer === undefined) {
      const channel = state.channels.get(list.channelId);
      const member = state.entries.get(userId)?.member ?? stores.members.get(state.guild.id, userId);
      answer = channel !== undefined && member !== null && canViewChannel(state.guild, state.roles, channel, member);
      list.views.set(userId, answer);
    }
    return answer;
  }

  function build(state: GuildLists, list: ChannelList): ListSnapshot {
    const visible = [...state.entries.values()].filter((e) => canView(state, list, e.member.userId));
    return buildList(state.hoisted, visible);
  }

  function stillWatching(state: GuildLists, list: ChannelList, session: Session): boolean {
    return !session.ended && session.guildIds.has(state.guild.id) && canView(state, list, session.userId);
  }

  /** Rebuilds every watched list of the guild and sends each subscriber the ranges that changed. */
  function publish(state: GuildLists): void {
    const guildId = state.guild.id.toString();
    for (const list of state.lists.values()) {
      const before = list.snapshot;
      const after = build(state, list);
      list.snapshot = after;
      if (!before) continue;
      const header = sameHeader(before, after);
      const ops = new Map<string, string | null>(); // range → SYNC op JSON, or null when unchanged
      for (const [session, ranges] of [...list.subscribers]) {
        if (!stillWatching(state, list, session)) {
          drop(session, state.guild.id, list.channelId);
          continue;
        }
        const changed: string[] = [];
        for (const range of ranges) {
          const key = range.join(":");
          if (!ops.has(key)) ops.set(key, rangeChanged(before, after, range) ? syncOpJson(after, range, guildId) : null);
          const op = ops.get(key);
          if (op) changed.push(op);
        }
        if (changed.length === 0 && header) continue;
        session.dispatch("GUILD_MEMBER_LIST_UPDATE", listUpdateJson(guildId, list.channelId.toString(), after, changed));
      }
    }
  }

  function refreshGuild(state: GuildLists): "gone" | undefined {
    const base = readGuild(state.guild.id);
    if (!base) return "gone";
    Object.assign(state, base);
    const watched = state.lists.size > 0;
    for (const [channelId, list] of state.lists) {
      list.views.clear();
      // A deleted channel's subscribers learn it from CHANNEL_DELETE; its list just goes.
      if (!state.channels.has(channelId)) for (const session of [...list.subscribers.keys()]) drop(session, state.guild.id, channelId);
    }
    return watched && state.lists.size === 0 ? "gone" : undefined; // nothing left to watch
  }

  /** Brings the cache up to date with one event. Any await comes before the first change to `state`. */
  async function apply(state: GuildLists, event: DomainEvent): Promise<"gone" | undefined> {
    const guildId = state.guild.id;
    switch (event.type) {
      case "GUILD_DELETE":
        return "gone";
      case "PRESENCE_UPDATE": {
        const userId = parseSnowflake(field(field(event.data, "user"), "id"));
        const entry = userId === null ? undefined : state.entries.get(userId);
        if (userId === null || !entry) return;
        state.entries.set(userId, newEntry(entry.member, entry.user, presenceOf(userId, event.data)));
        break;
      }
      case "GUILD_MEMBER_ADD":
      case "GUILD_MEMBER_UPDATE":
      case "GUILD_MEMBER_REMOVE": {
        const userId = parseSnowflake(field(field(event.data, "user"), "id"));
        if (userId === null) return;
        const known = state.entries.get(userId)?.presence;
        const shown =
          known ??
          (event.type === "GUILD_MEMBER_REMOVE" ? null : presenceView(userId, (await presence.read([userId])).get(userId) ?? null));
        const member = stores.members.get(guildId, userId);
        const user = member && stores.users.get(userId);
        if (member && user && shown) state.entries.set(userId, newEntry(member, user, shown));
        else state.entries.delete(userId);
        for (const list of state.lists.values()) list.views.delete(userId);
        break;
      }
      case "USER_UPDATE": {
        const userId = parseSnowflake(field(event.data, "id"));
        const entry = userId === null ? undefined : state.entries.get(userId);
        const user = entry && stores.users.get(entry.member.userId);
        if (!entry || !user) return;
        state.entries.set(user.id, newEntry(entry.member, user, entry.presence));
        break;
      }
      default:
        if (refreshGuild(state) === "gone") return "gone";
    }
    if (guilds.get(guildId) === state) publish(state);
    return undefined;
  }

  function drop(session: Session, guildId: bigint, channelId: bigint): void {
    const state = guilds.get(guildId);
    state?.lists.get(channelId)?.subscribers.delete(session);
    const mine = held.get(session);
    if (mine) {
      const index = mine.findIndex((h) => h.guildId === guildId && h.channelId === channelId);
      if (index >= 0) mine.splice(index, 1);
    }
    if (!state) return;
    const list = state.lists.get(channelId);
    if (list && list.subscribers.size === 0) state.lists.delete(channelId);
    if (state.lists.size === 0) guilds.delete(guildId); // nobody watches: no reason to keep it current
  }

  function handle(event: DomainEvent): void | Promise<void> {
    const run = (state: GuildLists) =>
      apply(state, event).then(
        (outcome) => {
          if (outcome === "gone") guilds.delete(state.guild.id);
        },
        (error) => log(`gateway: member list update for ${event.type} failed`, error),
      );
    if (event.audience.kind === "users") {
      if (event.type !== "USER_UPDATE") return;
      for (const pending of loading.values()) pending.pending.push(event);
      const userId = parseSnowflake(field(event.data, "id"));
      const watched = [...guilds.values()].filter((s) => userId !== null && s.entries.has(userId));
      return watched.length === 0 ? undefined : Promise.all(watched.map(run)).then(() => undefined);
    }
    if (!LIST_EVENTS.has(event.type)) return;
    const { guildId } = event.audience;
    const state = guilds.get(guildId);
    if (state) return run(state);
    loading.get(guildId)?.pending.push(event);
  }

  return {
    async subscribe(session, guildId, channelId, ranges) {
      if (ranges.length === 0) return drop(session, guildId, channelId);
      let state = await load(guildId);
      // Dropped by its last subscriber while we waited: a copy outside the cache gets no events.
      while (state && guilds.get(guildId) !== state) state = await load(guildId);
      if (!state) return;
      const list = state.lists.get(channelId) ?? { channelId, subscribers: new Map(), snapshot: null, views: new Map() };
      const allowed =
        !session.ended && session.guildIds.has(guildId) && state.channels.has(channelId) && canView(state, list, session.userId);
      if (!allowed) {
        if (state.lists.size === 0) guilds.delete(guildId);
        return;
      }
      state.lists.set(channelId, list);
      const mine = held.get(session) ?? [];
      held.set(session, mine);
      if (!list.subscribers.has(session)) {
        mine.push({ guildId, channelId });
        while (mine.length > MAX_LISTS_PER_SESSION) {
          const oldest = mine[0] as { guildId: bigint; channelId: bigint };
          drop(session, oldest.guildId, oldest.channelId);
        }
      }
      list.subscribers.set(session, ranges);
      list.snapshot ??= build(state, list);
      const snapshot = list.snapshot;
      const id = guildId.toString();
      const ops = ranges.map((range) => syncOpJson(snapshot, range, id));
      session.dispatch("GUILD_MEMBER_LIST_UPDATE", listUpdateJson(id, channelId.toString(), snapshot, ops));
    },
    forget(session) {
      for (const { guildId, channelId } of [...(held.get(session) ?? [])]) drop(session, guildId, channelId);
      held.delete(session);
    },
    onEvent: handle,
  };
}
