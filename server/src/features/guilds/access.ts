/**
 * Access checks every guild and channel route goes through: who is asking, what they may do
 * there, and the right error when they may not. Services call these before touching anything.
 */
import type { Deps } from "../../deps.ts";
import { AppError } from "../../errors.ts";
import type { Actor } from "../../http/actor.ts";
import type { ChannelId, GuildId } from "../../ids.ts";
import { ALL_PERMISSIONS, channelPermissions, guildPermissions, has, isTimedOut, Permission, topRolePosition } from "../../permissions.ts";
import { type Channel, ChannelType, type Guild, type Member, type Role } from "../../storage/records.ts";

export interface GuildAccess {
  guild: Guild;
  roles: Role[];
  member: Member;
  permissions: bigint;
  now: number;
}

export interface ChannelAccess {
  channel: Channel;
  /** Null for DMs and group DMs. */
  guild: GuildAccess | null;
  permissions: bigint;
}

/** What a DM or group DM recipient may do: everything a conversation needs, nothing of moderation. */
const PRIVATE_CHANNEL_PERMISSIONS =
  Permission.VIEW_CHANNEL |
  Permission.SEND_MESSAGES |
  Permission.READ_MESSAGE_HISTORY |
  Permission.ADD_REACTIONS |
  Permission.ATTACH_FILES |
  Permission.EMBED_LINKS |
  Permission.USE_EXTERNAL_EMOJIS |
  Permission.PIN_MESSAGES |
  Permission.CONNECT |
  Permission.SPEAK |
  Permission.STREAM;

export function createAccess(deps: Deps) {
  const { stores, clock } = deps;

  function guild(actor: Actor, guildId: GuildId): GuildAccess {
    const found = stores.guilds.get(guildId);
    if (!found) throw new AppError("UNKNOWN_GUILD");
    const member = stores.members.get(guildId, actor.user.id);
    if (!member) throw new AppError("MISSING_ACCESS");
    const roles = stores.roles.list(guildId);
    const now = clock();
    return { guild: found, roles, member, permissions: guildPermissions({ guild: found, roles, member, now }), now };
  }

  function channel(actor: Actor, channelId: ChannelId): ChannelAccess {
    const found = stores.channels.get(channelId);
    if (!found) throw new AppError("UNKNOWN_CHANNEL");
    if (found.guildId === null) {
      if (!found.recipientIds.includes(actor.user.id)) throw new AppError("MISSING_ACCESS");
      return { channel: found, guild: null, permissions: PRIVATE_CHANNEL_PERMISSIONS };
    }
    const access = guild(actor, found.guildId);
    const permissions = channelPermissions({ ...access }, found);
    if (!has(permissions, Permission.VIEW_CHANNEL)) throw new AppError("MISSING_PERMISSIONS");
    return { channel: found, guild: access, permissions };
  }

  return {
    guild,
    channel,

    /** The guild, checked for every permission in `wanted`. */
    guildWith(actor: Actor, guildId: GuildId, wanted: bigint): GuildAccess {
      const access = guild(actor, guildId);
      refuseTimedOut(access, wanted);
      require(access.permissions, wanted);
      return access;
    },

    /** The channel, checked for every permission in `wanted` (VIEW_CHANNEL is always checked). */
    channelWith(actor: Actor, channelId: ChannelId, wanted: bigint): ChannelAccess {
      return checkChannel(channel(actor, channelId), wanted);
    },

    /** `channelWith`'s checks on an access `channel` already loaded, so a route checking in two steps reads once. */
    checkChannel,

    /** Permissions of any member (not only the actor) in a channel, e.g. for dispatch filtering. */
    memberChannelPermissions(member: Member, guildRecord: Guild, roles: Role[], target: Channel): bigint {
      return channelPermissions({ guild: guildRecord, roles, member, now: clock() }, target);
    },

    /** True when the actor's highest role is above `position` (owner: always). */
    outranks(access: GuildAccess, position: number): boolean {
      return topRolePosition(access.guild, access.roles, access.member) > position;
    },

    /** True when the actor may act on `target` (a member): owner never, else by top role. */
    outranksMember(access: GuildAccess, target: Member): boolean {
      if (target.userId === access.guild.ownerId) return false;
      return topRolePosition(access.guild, access.roles, access.member) > topRolePosition(access.guild, access.roles, target);
    },
  };
}

export type Access = ReturnType<typeof createAccess>;

/** A timed-out member may still read; wanting anything more is COMMUNICATION_DISABLED, not a missing permission. */
function refuseTimedOut(access: GuildAccess, wanted: bigint) {
  if (isTimedOut(access.member, access.now) && (wanted & ~(Permission.VIEW_CHANNEL | Permission.READ_MESSAGE_HISTORY)) !== 0n) {
    throw new AppError("COMMUNICATION_DISABLED");
  }
}

/** Refuses a timed-out member wanting more than reading, then any permission of `wanted` missing. */
function checkChannel(access: ChannelAccess, wanted: bigint): ChannelAccess {
  if (access.guild) refuseTimedOut(access.guild, wanted);
  require(access.permissions, wanted);
  return access;
}

function require(permissions: bigint, wanted: bigint) {
  if (!has(permissions, wanted)) throw new AppError("MISSING_PERMISSIONS");
}

export const isTextLike = (channel: Channel): boolean =>
  channel.type === ChannelType.guildText ||
  channel.type === ChannelType.dm ||
  channel.type === ChannelType.groupDm ||
  channel.type === ChannelType.guildVoice;

export { ALL_PERMISSIONS };
