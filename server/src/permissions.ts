/**
 * Permission bits and their computation, as Discord computes them, with Fluxer's extra bits.
 * Owner and ADMINISTRATOR have everything; then @everyone, member roles, channel overwrites;
 * a timed-out member keeps only VIEW_CHANNEL and READ_MESSAGE_HISTORY.
 */
import type { Channel, Guild, Member, Role } from "./storage/records.ts";

const bit = (n: number) => 1n << BigInt(n);

export const Permission = {
  CREATE_INSTANT_INVITE: bit(0),
  KICK_MEMBERS: bit(1),
  BAN_MEMBERS: bit(2),
  ADMINISTRATOR: bit(3),
  MANAGE_CHANNELS: bit(4),
  MANAGE_GUILD: bit(5),
  ADD_REACTIONS: bit(6),
  VIEW_AUDIT_LOG: bit(7),
  PRIORITY_SPEAKER: bit(8),
  STREAM: bit(9),
  VIEW_CHANNEL: bit(10),
  SEND_MESSAGES: bit(11),
  SEND_TTS_MESSAGES: bit(12),
  MANAGE_MESSAGES: bit(13),
  EMBED_LINKS: bit(14),
  ATTACH_FILES: bit(15),
  READ_MESSAGE_HISTORY: bit(16),
  MENTION_EVERYONE: bit(17),
  USE_EXTERNAL_EMOJIS: bit(18),
  CONNECT: bit(20),
  SPEAK: bit(21),
  MUTE_MEMBERS: bit(22),
  DEAFEN_MEMBERS: bit(23),
  MOVE_MEMBERS: bit(24),
  USE_VAD: bit(25),
  CHANGE_NICKNAME: bit(26),
  MANAGE_NICKNAMES: bit(27),
  MANAGE_ROLES: bit(28),
  MANAGE_WEBHOOKS: bit(29),
  MANAGE_EXPRESSIONS: bit(30),
  USE_EXTERNAL_STICKERS: bit(37),
  MODERATE_MEMBERS: bit(40),
  CREATE_EXPRESSIONS: bit(43),
  PIN_MESSAGES: bit(51),
  BYPASS_SLOWMODE: bit(52),
  UPDATE_RTC_REGION: bit(53),
} as const;

export type PermissionName = keyof typeof Permission;

export const ALL_PERMISSIONS = Object.values(Permission).reduce((all, p) => all | p, 0n);

/** What @everyone gets in a new guild. */
export const DEFAULT_EVERYONE_PERMISSIONS =
  Permission.CREATE_INSTANT_INVITE |
  Permission.ADD_REACTIONS |
  Permission.STREAM |
  Permission.VIEW_CHANNEL |
  Permission.SEND_MESSAGES |
  Permission.EMBED_LINKS |
  Permission.ATTACH_FILES |
  Permission.READ_MESSAGE_HISTORY |
  Permission.MENTION_EVERYONE |
  Permission.USE_EXTERNAL_EMOJIS |
  Permission.CONNECT |
  Permission.SPEAK |
  Permission.USE_VAD |
  Permission.CHANGE_NICKNAME |
  Permission.USE_EXTERNAL_STICKERS |
  Permission.PIN_MESSAGES;

const TIMED_OUT_ALLOWED = Permission.VIEW_CHANNEL | Permission.READ_MESSAGE_HISTORY;

export interface PermissionContext {
  guild: Guild;
  roles: readonly Role[]; // all roles of the guild; @everyone has the guild's id
  member: Member;
  now: number;
}

export const isTimedOut = (member: Member, now: number): boolean =>
  member.communicationDisabledUntil !== null && member.communicationDisabledUntil > now;

/** Guild-level permissions of a member. */
export function guildPermissions({ guild, roles, member, now }: PermissionContext): bigint {
  if (member.userId === guild.ownerId) return ALL_PERMISSIONS;
  const held = new Set(member.roleIds);
  let permissions = 0n;
  for (const role of roles) if (role.id === guild.id || held.has(role.id)) permissions |= role.permissions;
  if (permissions & Permission.ADMINISTRATOR) return ALL_PERMISSIONS;
  return isTimedOut(member, now) ? permissions & TIMED_OUT_ALLOWED : permissions;
}

/** Permissions of a member in a channel: guild permissions with the channel's overwrites applied. */
export function channelPermissions(context: PermissionContext, channel: Channel): bigint {
  const base = guildPermissions(context);
  if (base === ALL_PERMISSIONS && !isTimedOut(context.member, context.now)) return ALL_PERMISSIONS;
  if (context.member.userId === context.guild.ownerId) return ALL_PERMISSIONS;
  let permissions = base;
  const overwrites = channel.overwrites;
  const everyone = overwrites.find((o) => o.id === context.guild.id);
  if (everyone) permissions = (permissions & ~everyone.deny) | everyone.allow;
  let allow = 0n;
  let deny = 0n;
  const held = new Set(context.member.roleIds);
  for (const o of overwrites) {
    if (o.type === 0 && held.has(o.id)) {
      allow |= o.allow;
      deny |= o.deny;
    }
  }
  permissions = (permissions & ~deny) | allow;
  const own = overwrites.find((o) => o.type === 1 && o.id === context.member.userId);
  if (own) permissions = (permissions & ~own.deny) | own.allow;
  if (isTimedOut(context.member, context.now)) permissions &= TIMED_OUT_ALLOWED;
  // Without VIEW_CHANNEL nothing else in the channel applies.
  return permissions & Permission.VIEW_CHANNEL ? permissions : 0n;
}

export const has = (permissions: bigint, wanted: bigint): boolean => (permissions & wanted) === wanted;

/** The highest role position a member holds (owner: infinite), for hierarchy checks. */
export function topRolePosition(guild: Guild, roles: readonly Role[], member: Member): number {
  if (member.userId === guild.ownerId) return Number.POSITIVE_INFINITY;
  const held = new Set(member.roleIds);
  return roles.reduce((top, role) => (held.has(role.id) ? Math.max(top, role.position) : top), 0);
}
