/** Permissions computed as Discord does: owner and ADMINISTRATOR have all; roles; then overwrites. */
import type { Channel, Role, Snowflake } from "../api/types.ts";

export const Permission = {
  CreateInstantInvite: 1n << 0n,
  KickMembers: 1n << 1n,
  BanMembers: 1n << 2n,
  Administrator: 1n << 3n,
  ManageChannels: 1n << 4n,
  ManageGuild: 1n << 5n,
  AddReactions: 1n << 6n,
  ViewAuditLog: 1n << 7n,
  ViewChannel: 1n << 10n,
  SendMessages: 1n << 11n,
  ManageMessages: 1n << 13n,
  EmbedLinks: 1n << 14n,
  AttachFiles: 1n << 15n,
  ReadMessageHistory: 1n << 16n,
  MentionEveryone: 1n << 17n,
  ChangeNickname: 1n << 26n,
  ManageNicknames: 1n << 27n,
  ManageRoles: 1n << 28n,
  ModerateMembers: 1n << 40n,
  PinMessages: 1n << 51n,
  BypassSlowmode: 1n << 52n,
} as const;

const all = (1n << 64n) - 1n;

export interface PermissionSubject {
  guildId: Snowflake;
  ownerId: Snowflake;
  roles: Record<Snowflake, Role>;
  userId: Snowflake;
  memberRoles: Snowflake[];
  timedOutUntil?: string | null;
}

export function guildPermissions(subject: PermissionSubject): bigint {
  if (subject.userId === subject.ownerId) return all;
  let permissions = BigInt(subject.roles[subject.guildId]?.permissions ?? "0");
  for (const roleId of subject.memberRoles) permissions |= BigInt(subject.roles[roleId]?.permissions ?? "0");
  if (permissions & Permission.Administrator) return all;
  return permissions;
}

export function channelPermissions(subject: PermissionSubject, channel: Channel): bigint {
  let permissions = guildPermissions(subject);
  if (permissions === all) return all;
  const overwrites = channel.permission_overwrites ?? [];
  const everyone = overwrites.find((o) => o.id === subject.guildId);
  if (everyone) permissions = (permissions & ~BigInt(everyone.deny)) | BigInt(everyone.allow);
  let allow = 0n;
  let deny = 0n;
  for (const overwrite of overwrites) {
    if (overwrite.type === 0 && overwrite.id !== subject.guildId && subject.memberRoles.includes(overwrite.id)) {
      allow |= BigInt(overwrite.allow);
      deny |= BigInt(overwrite.deny);
    }
  }
  permissions = (permissions & ~deny) | allow;
  const member = overwrites.find((o) => o.type === 1 && o.id === subject.userId);
  if (member) permissions = (permissions & ~BigInt(member.deny)) | BigInt(member.allow);
  if (subject.timedOutUntil && Date.parse(subject.timedOutUntil) > Date.now()) {
    permissions &= Permission.ViewChannel | Permission.ReadMessageHistory;
  }
  return permissions;
}

export const has = (permissions: bigint, flag: bigint) => (permissions & flag) === flag;
