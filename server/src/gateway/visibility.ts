/**
 * Who may see a channel's events, answered from a small per-guild cache so fan-out never asks
 * SQLite per socket per message. The dispatcher drops a guild's entry on every event that can
 * change the answer (roles, members, channels, the guild itself).
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
}

export function createVisibility(stores: Stores, clock: () => number): Visibility {
  const guilds = new Map<bigint, GuildState>();

  function load(guildId: bigint): GuildState | null {
    const cached = guilds.get(guildId);
    if (cached) return cached;
    const guild = stores.guilds.get(guildId);
    if (!guild) return null;
    const state: GuildState = {
      guild,
      roles: stores.roles.list(guildId),
      channels: new Map(stores.channels.listForGuild(guildId).map((channel) => [channel.id, channel])),
      members: new Map(),
      views: new Map(),
    };
    guilds.set(guildId, state);
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
  };
}
