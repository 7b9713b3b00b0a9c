/**
 * Bus events → sessions. Each event's `d` is serialised once per audience and spliced into every
 * recipient's frame with its own `s`. Events are handled strictly in publish order; the few that
 * need the key-value store (a guild joined) hold the queue until their payload is built.
 */
import type { DomainEvent } from "../bus/bus.port.ts";
import { SESSIONS_REVOKED } from "../bus/internal-events.ts";
import { toChannelView } from "../features/channels/channel.views.ts";
import { parseSnowflake } from "../ids.ts";
import type { PermissionOverwrite } from "../storage/records.ts";
import type { GatewayContext } from "./context.ts";
import { Close } from "./protocol.ts";
import type { Session } from "./session.ts";
import { type AccessChange, INVALIDATING_EVENTS, type Refresh } from "./visibility.ts";

/** Internal event: "this user joined guild `data.guild_id`", expanded into GUILD_CREATE. */
const GUILD_JOIN = "GUILD_JOIN";
/** Events the gateway acts on itself and never sends to a client. */
const INTERNAL_EVENTS: ReadonlySet<string> = new Set([GUILD_JOIN, SESSIONS_REVOKED]);

function deliver(sessions: Iterable<Session>, type: string, data: unknown): void {
  let json: string | undefined;
  for (const session of sessions) {
    if (!session.wants(type)) continue;
    json ??= JSON.stringify(data ?? null);
    session.dispatch(type, json);
  }
}

const field = (data: unknown, name: string): unknown =>
  data && typeof data === "object" ? (data as Record<string, unknown>)[name] : undefined;

/** A channel view's `permission_overwrites` back in the domain's shape; null when the data has none. */
function overwritesOf(data: unknown): PermissionOverwrite[] | null {
  const list = field(data, "permission_overwrites");
  if (!Array.isArray(list)) return null;
  const out: PermissionOverwrite[] = [];
  for (const o of list) {
    const id = parseSnowflake(field(o, "id"));
    const [type, allow, deny] = [field(o, "type"), field(o, "allow"), field(o, "deny")];
    if (id === null || (type !== 0 && type !== 1) || typeof allow !== "string" || typeof deny !== "string") return null;
    try {
      out.push({ id, type, allow: BigInt(allow), deny: BigInt(deny) });
    } catch {
      return null;
    }
  }
  return out;
}

const MEMBER_EVENTS: ReadonlySet<string> = new Set(["GUILD_MEMBER_ADD", "GUILD_MEMBER_UPDATE", "GUILD_MEMBER_REMOVE", "GUILD_BAN_ADD"]);

/**
 * What an invalidating event may have changed. Only the changes that can take VIEW_CHANNEL from
 * or give it to an existing member are compared (`userIds`); the rest just reload the entry.
 */
function refreshOf(event: DomainEvent, channelId: bigint | undefined, subscribed: ReadonlySet<Session>): Refresh | null {
  const userIds = () => [...subscribed].map((s) => s.userId);
  if (MEMBER_EVENTS.has(event.type)) {
    const userId = parseSnowflake(field(field(event.data, "user"), "id"));
    return userId === null ? null : { kind: "member", userId };
  }
  switch (event.type) {
    case "GUILD_ROLE_UPDATE":
    case "GUILD_ROLE_DELETE": {
      const roleId = parseSnowflake(field(field(event.data, "role"), "id") ?? field(event.data, "role_id"));
      return roleId === null ? null : { kind: "guild", userIds: userIds(), roleId };
    }
    case "CHANNEL_UPDATE":
      return channelId === undefined ? null : { kind: "guild", userIds: userIds(), channelIds: [channelId] };
    case "GUILD_UPDATE":
      return { kind: "guild", userIds: userIds(), ownersOnly: true };
    default:
      // Created or deleted channels and roles, role positions: nothing an existing member's view depends on.
      return { kind: "guild", userIds: [] };
  }
}

export function createDispatcher(ctx: GatewayContext) {
  const { registry, visibility } = ctx;
  const queue: DomainEvent[] = [];
  let head = 0;
  let running = false;

  /** A user just got a guild: their sessions get its payload (built once per user) and its events. */
  async function joinGuild(userIds: bigint[], guildId: bigint): Promise<void> {
    for (const userId of userIds) {
      const sessions = [...registry.userSessions(userId)];
      if (sessions.length === 0) continue;
      visibility.refresh(guildId, { kind: "member", userId });
      const payload = await ctx.payloads.build(guildId, userId);
      if (!payload) continue;
      const json = JSON.stringify(payload);
      for (const session of registry.userSessions(userId)) {
        registry.subscribe(session, guildId);
        if (session.wants("GUILD_CREATE")) session.dispatch("GUILD_CREATE", json);
      }
    }
  }

  /** Logout, session logout, bot token reset, application deleted: those sessions end for good. */
  function revokeSessions(userIds: bigint[], data: unknown): void {
    const all = field(data, "all") === true;
    const listed = field(data, "session_hashes");
    const hashes = new Set(Array.isArray(listed) ? listed.filter((h): h is string => typeof h === "string") : []);
    for (const userId of userIds) {
      for (const session of [...registry.userSessions(userId)]) {
        if (!all && (session.sessionHash === null || !hashes.has(session.sessionHash))) continue;
        // 4004 ends the session (see SESSION_ENDING_CLOSES); one waiting for a resume is ended directly.
        session.sink?.close(Close.AUTHENTICATION_FAILED, "Authentication failed");
        ctx.endSession(session);
      }
    }
  }

  function toUsers(event: DomainEvent & { audience: { kind: "users" } }): void | Promise<void> {
    const { userIds } = event.audience;
    if (event.type === SESSIONS_REVOKED) return revokeSessions(userIds, event.data);
    if (event.type === GUILD_JOIN || event.type === "GUILD_CREATE") {
      const guildId = parseSnowflake(field(event.data, "guild_id") ?? field(event.data, "id"));
      return guildId === null ? undefined : joinGuild(userIds, guildId);
    }
    const sessions = userIds.flatMap((id) => [...registry.userSessions(id)]);
    deliver(sessions, event.type, event.data);
    if (event.type === "GUILD_DELETE") {
      // This user lost the guild (kicked, banned, left): nothing more from it.
      const guildId = parseSnowflake(field(event.data, "id") ?? field(event.data, "guild_id"));
      if (guildId !== null) for (const session of sessions) registry.unsubscribe(session, guildId);
    }
  }

  /** CHANNEL_CREATE / CHANNEL_DELETE to the sessions of each user whose view of a channel changed. */
  function announce(guildId: bigint, changes: AccessChange[]): void {
    for (const { userId, gained, lost } of changes) {
      const sessions = [...registry.userSessions(userId)].filter((s) => s.guildIds.has(guildId));
      for (const channel of lost) deliver(sessions, "CHANNEL_DELETE", toChannelView(channel));
      for (const channel of gained) deliver(sessions, "CHANNEL_CREATE", toChannelView(channel));
    }
  }

  function toGuild(event: DomainEvent & { audience: { kind: "guild" } }): void {
    const { guildId, channelId, permission } = event.audience;
    const subscribed = registry.guildSessions(guildId);
    if (subscribed.size === 0) {
      visibility.invalidate(guildId);
      return;
    }
    // A channel that goes is news to everyone who could see it before.
    const sawBefore = new Set<bigint>();
    if (channelId !== undefined && event.type === "CHANNEL_DELETE") {
      // The channel is already gone from the store when CHANNEL_DELETE arrives, so a cache loaded
      // since then no longer knows it: who could see it is then judged by the overwrites the
      // event carries (the channel as it was), against the guild's current roles and members.
      const gone = overwritesOf(event.data) ?? undefined;
      for (const s of subscribed) if (visibility.canView(guildId, channelId, s.userId, gone)) sawBefore.add(s.userId);
    }
    let changes: AccessChange[] = [];
    if (INVALIDATING_EVENTS.has(event.type)) {
      const refresh = refreshOf(event, channelId, subscribed);
      if (refresh) changes = visibility.refresh(guildId, refresh);
      else visibility.invalidate(guildId);
      // Only a member's own record is news to their view; a role or channel change is for everyone.
      if (event.type !== "GUILD_MEMBER_UPDATE" && refresh?.kind === "member") changes = [];
    }
    let targets: Session[] = [...subscribed];
    if (channelId !== undefined) {
      // Who just gained the channel gets CHANNEL_CREATE for it instead of this event (see announce).
      const gainedHere = new Set(changes.filter((c) => c.gained.some((ch) => ch.id === channelId)).map((c) => c.userId));
      targets = targets.filter(
        (s) => sawBefore.has(s.userId) || (!gainedHere.has(s.userId) && visibility.canView(guildId, channelId, s.userId)),
      );
    }
    if (permission !== undefined) targets = targets.filter((s) => visibility.hasPermission(guildId, channelId, s.userId, permission));
    deliver(targets, event.type, event.data);
    announce(guildId, changes);

    if (event.type === "GUILD_MEMBER_REMOVE") {
      const userId = parseSnowflake(field(field(event.data, "user"), "id"));
      if (userId !== null) for (const s of [...registry.userSessions(userId)]) registry.unsubscribe(s, guildId);
    } else if (event.type === "GUILD_DELETE") {
      for (const s of [...subscribed]) registry.unsubscribe(s, guildId);
    }
  }

  function handle(event: DomainEvent): void | Promise<void> {
    const delivered = route(event);
    // Watched member lists follow once the event itself is out.
    return delivered ? delivered.then(() => ctx.memberLists.onEvent(event)) : ctx.memberLists.onEvent(event);
  }

  function route(event: DomainEvent): void | Promise<void> {
    if (event.audience.kind === "users") return toUsers(event as DomainEvent & { audience: { kind: "users" } });
    if (INTERNAL_EVENTS.has(event.type)) return; // internal, never on the wire
    return toGuild(event as DomainEvent & { audience: { kind: "guild" } });
  }

  async function pump(): Promise<void> {
    running = true;
    try {
      while (head < queue.length) {
        const event = queue[head++] as DomainEvent;
        try {
          const pending = handle(event);
          if (pending) await pending;
        } catch (error) {
          ctx.log(`gateway: dispatch of ${event.type} failed`, error);
        }
        if (head > 1024) {
          queue.splice(0, head);
          head = 0;
        }
      }
      queue.length = 0;
      head = 0;
    } finally {
      running = false;
    }
  }

  return {
    onEvent(event: DomainEvent): void {
      queue.push(event);
      if (!running) void pump();
    },
  };
}
