/**
 * Who may see a channel's events, answered from a small per-guild cache so fan-out never asks
 * SQLite per socket per message. The dispatcher refreshes a guild's entry on every event that can
 * change the answer (roles, members, channels, the guild itself) and learns from the refresh who
 * gained or lost which channels; an entry past its lifetime is reloaded whatever the events said.
 */
import { newChannelRecord } from "../features/channels/channel-records.ts";
import { channelPermissions, guildPermissions, has, Permission } from "../permissions.ts";
import type { Stores } from "../storage/ports.ts";
import type { Channel, Guild, Member, PermissionOverwrite, Role } from "../storage/records.ts";

interface GuildState {
  guild: Guild;
  roles: Role[];
  channels: Map<bigint, Channel>;
  members: Map<bigint, Member | null>;
  views: Map<bigint, Map<bigint, boolean>>; // channel → user → may view
  loadedAt: number;
}

/** Events after which a guild's cached permissions may be wrong. */
export const INVALIDATING_EVENTS: ReadonlySet<string> = new Set([
  "GUILD_UPDATE",
  "GUILD_DELETE",
  "GUILD_ROLE_CREATE",
  "GUILD_ROLE_UPDATE",
  "GUILD_ROLE_UPDATE_BULK",
  "GUILD_ROLE_DELETE",
  "GUILD_MEMBER_ADD",
  "GUILD_MEMBER_UPDATE",
  "GUILD_MEMBER_REMOVE",
  "GUILD_BAN_ADD",
  "CHANNEL_CREATE",
  "CHANNEL_UPDATE",
  "CHANNEL_UPDATE_BULK",
  "CHANNEL_DELETE",
]);

const REREAD_SLICE = 500;

/** The permission bits a channel's visibility depends on. */
const VIEW_BITS = Permission.VIEW_CHANNEL | Permission.ADMINISTRATOR;

const sameOverwrites = (a: readonly PermissionOverwrite[], b: readonly PermissionOverwrite[]) =>
  a.length === b.length && a.every((o) => b.some((p) => p.id === o.id && p.type === o.type && p.allow === o.allow && p.deny === o.deny));

/**
 * Whether going from `old` to `next` may have changed anyone's view, so members are compared
 * only then: a big guild's channel reorder or role recolour then costs nothing per member.
 */
function mayChangeViews(old: GuildState, next: GuildState, channelIds: readonly bigint[], roleId: bigint | undefined): boolean {
  if (old.guild.ownerId !== next.guild.ownerId) return true;
  if (roleId !== undefined) {
    const [was, is] = [old.roles.find((r) => r.id === roleId), next.roles.find((r) => r.id === roleId)];
    if (!was || !is || ((was.permissions ^ is.permissions) & VIEW_BITS) !== 0n) return true;
  }
  return channelIds.some((id) => {
    const [was, is] = [old.channels.get(id), next.channels.get(id)];
    return was !== undefined && is !== undefined && !sameOverwrites(was.overwrites, is.overwrites);
  });
}

/** Channels one user may now view (`gained`) or no longer view (`lost`) after a change. */
export interface AccessChange {
  userId: bigint;
  gained: Channel[];
  lost: Channel[];
}

/**
 * What a change may have touched. `member`: one member's record (roles, ownership aside).
 * `guild`: roles, channels or the guild itself, compared for `userIds`; `channelIds` narrows the
 * comparison to those channels, `roleId` to the members who held that role (all, for @everyone),
 * `ownersOnly` to the owners before and after (a guild update changes nothing else).
 */
export type Refresh =
  | { kind: "member"; userId: bigint }
  | { kind: "guild"; userIds: Iterable<bigint>; channelIds?: readonly bigint[]; roleId?: bigint; ownersOnly?: boolean };

export interface Visibility {
  /**
   * `overwrites` stand in for a channel the guild no longer has (just deleted): the answer is
   * then computed from them, and not cached.
   */
  canView(guildId: bigint, channelId: bigint, userId: bigint, overwrites?: PermissionOverwrite[]): boolean;
  /** Holds `permission` in the channel (when given; false if unknown) or else in the guild. Not cached: a timeout changes it. */
  hasPermission(guildId: bigint, channelId: bigint | undefined, userId: bigint, permission: bigint): boolean;
  /** Channels of the guild the user may view (null when not a member). */
  visibleChannels(guildId: bigint, userId: bigint): Channel[] | null;
  invalidate(guildId: bigint): void;
  /**
   * Reloads what `change` touched from the store and answers who gained or lost which channels,
   * compared with the cached state the change found. Nothing to compare with (no cached state, a
   * member not seen before) gives no change: the state is then just loaded.
   */
  refresh(guildId: bigint, change: Refresh): AccessChange[];
}

/**
 * `ttlMs` bounds how long a cached state is trusted: events dropped on the way (NATS core may
 * drop them under load) leave it wrong for at most that long. See docs/adr/0004-visibility-cache-lifetime.md.
 */
export function createVisibility(stores: Stores, clock: () => number, ttlMs: number): Visibility {
  const guilds = new Map<bigint, GuildState>();

  const fresh = (state: GuildState) => clock() - state.loadedAt < ttlMs;

  function read(guildId: bigint, members: Map<bigint, Member | null>): GuildState | null {
    const guild = stores.guilds.get(guildId);
    if (!guild) return null;
    return {
      guild,
      roles: stores.roles.list(guildId),
      channels: new Map(stores.channels.listForGuild(guildId).map((channel) => [channel.id, channel])),
      members,
      views: new Map(),
      loadedAt: clock(),
    };
  }

  /**
   * The members `state` knew, read again: past its lifetime a record may be wrong, but who was
   * known is kept, so a later change to one of them still has a "before" to compare with.
   */
  function reread(state: GuildState): Map<bigint, Member | null> {
    const ids = [...state.members.keys()];
    const out = new Map<bigint, Member | null>(ids.map((id) => [id, null]));
    // In slices: a guild whose member list was scanned may know thousands.
    for (let i = 0; i < ids.length; i += REREAD_SLICE) {
      for (const found of stores.members.getMany(state.guild.id, ids.slice(i, i + REREAD_SLICE))) out.set(found.userId, found);
    }
    return out;
  }

  /** The cached state, reloaded first if it has outlived its lifetime. */
  function load(guildId: bigint): GuildState | null {
    const cached = guilds.get(guildId);
    if (cached && fresh(cached)) return cached;
    return replace(guildId, cached ? reread(cached) : new Map());
  }

  function replace(guildId: bigint, members: Map<bigint, Member | null>): GuildState | null {
    const state = read(guildId, members);
    if (state) guilds.set(guildId, state);
    else guilds.delete(guildId);
    return state;
  }

  function member(state: GuildState, userId: bigint): Member | null {
    let found = state.members.get(userId);
    if (found === undefined) {
      found = stores.members.get(state.guild.id, userId);
      state.members.set(userId, found);
    }
    return found;
  }

  function compute(state: GuildState, channel: Channel, who: Member): boolean {
    // VIEW_CHANNEL survives a timeout, so the answer does not depend on the time.
    const context = { guild: state.guild, roles: state.roles, member: who, now: clock() };
    return (channelPermissions(context, channel) & Permission.VIEW_CHANNEL) !== 0n;
  }

  /** One user's channels that differ between two states (`channelIds` given: only those). */
  function compare(
    userId: bigint,
    before: { state: GuildState; who: Member | null },
    after: { state: GuildState; who: Member | null },
    channelIds: Iterable<bigint>,
  ): AccessChange | null {
    const gained: Channel[] = [];
    const lost: Channel[] = [];
    for (const id of channelIds) {
      const was = before.state.channels.get(id);
      const is = after.state.channels.get(id);
      // A channel created or deleted is announced by its own event.
      if (!was || !is) continue;
      const saw = before.who !== null && compute(before.state, was, before.who);
      const sees = after.who !== null && compute(after.state, is, after.who);
      if (sees && !saw) gained.push(is);
      else if (saw && !sees) lost.push(is);
    }
    return gained.length > 0 || lost.length > 0 ? { userId, gained, lost } : null;
  }

  function refreshMember(guildId: bigint, userId: bigint): AccessChange[] {
    const old = guilds.get(guildId);
    if (!old) {
      load(guildId);
      return [];
    }
    const before = old.members.get(userId);
    const after = stores.members.get(guildId, userId);
    let next: GuildState | null = old;
    if (fresh(old)) {
      old.members.set(userId, after);
      for (const byUser of old.views.values()) byUser.delete(userId);
    } else {
      // Past its lifetime: compared with everything as the store has it now.
      next = replace(guildId, reread(old));
    }
    if (before === undefined || !next) return [];
    const change = compare(userId, { state: old, who: before }, { state: next, who: after }, next.channels.keys());
    return change ? [change] : [];
  }

  /** A fresh state with only `channelIds` read again (a channel update touches nothing else). */
  function withChannels(old: GuildState, channelIds: readonly bigint[]): GuildState {
    const channels = new Map(old.channels);
    const views = new Map(old.views);
    for (const id of channelIds) {
      const channel = stores.channels.get(id);
      if (channel && channel.guildId === old.guild.id) channels.set(id, channel);
      else channels.delete(id);
      views.delete(id);
    }
    const next = { ...old, channels, views };
    guilds.set(old.guild.id, next);
    return next;
  }

  function refreshGuild(guildId: bigint, change: Extract<Refresh, { kind: "guild" }>): AccessChange[] {
    const old = guilds.get(guildId);
    let next: GuildState | null;
    if (old && fresh(old) && change.channelIds) next = withChannels(old, change.channelIds);
    // Member records are not touched by role or channel changes: a fresh state's are kept.
    else next = replace(guildId, old ? (fresh(old) ? old.members : reread(old)) : new Map());
    if (!old || !next) return [];
    const channelIds = change.channelIds ?? [...new Set([...old.channels.keys(), ...next.channels.keys()])];
    const roleId = change.roleId;
    if (!mayChangeViews(old, next, channelIds, roleId)) return [];
    const owners = new Set([old.guild.ownerId, next.guild.ownerId]);
    const out: AccessChange[] = [];
    for (const userId of new Set(change.userIds)) {
      if (change.ownersOnly && !owners.has(userId)) continue;
      const before = member(old, userId);
      if (roleId !== undefined && roleId !== guildId && !before?.roleIds.includes(roleId)) continue;
      const found = compare(userId, { state: old, who: before }, { state: next, who: member(next, userId) }, channelIds);
      if (found) out.push(found);
    }
    return out;
  }

  return {
    canView(guildId, channelId, userId, overwrites) {
      const state = load(guildId);
      if (!state) return false;
      if (overwrites && !state.channels.has(channelId)) {
        const who = member(state, userId);
        const gone = newChannelRecord({ id: channelId, guildId, type: 0, createdAt: 0, overwrites });
        return who !== null && compute(state, gone, who);
      }
      const byUser = state.views.get(channelId) ?? new Map<bigint, boolean>();
      state.views.set(channelId, byUser);
      const cached = byUser.get(userId);
      if (cached !== undefined) return cached;
      const channel = state.channels.get(channelId);
      const who = member(state, userId);
      const answer = channel !== undefined && who !== null && compute(state, channel, who);
      byUser.set(userId, answer);
      return answer;
    },
    hasPermission(guildId, channelId, userId, permission) {
      const state = load(guildId);
      const who = state && member(state, userId);
      if (!state || !who) return false;
      const context = { guild: state.guild, roles: state.roles, member: who, now: clock() };
      if (channelId === undefined) return has(guildPermissions(context), permission);
      const channel = state.channels.get(channelId);
      return channel !== undefined && has(channelPermissions(context, channel), permission);
    },
    visibleChannels(guildId, userId) {
      const state = load(guildId);
      const who = state && member(state, userId);
      if (!state || !who) return null;
      return [...state.channels.values()].filter((channel) => compute(state, channel, who));
    },
    invalidate(guildId) {
      guilds.delete(guildId);
    },
    refresh(guildId, change) {
      return change.kind === "member" ? refreshMember(guildId, change.userId) : refreshGuild(guildId, change);
    },
  };
}
