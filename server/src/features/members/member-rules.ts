/**
 * The hierarchy rules that members, roles and bans share: who may act on which member or role.
 * Discord's rules: the owner may do anything; everyone else only below their highest role.
 */
import type { Deps } from "../../deps.ts";
import { AppError } from "../../errors.ts";
import type { GuildId, UserId } from "../../ids.ts";
import { guildPermissions, has, Permission } from "../../permissions.ts";
import type { Member, Role, User } from "../../storage/records.ts";
import type { Access, GuildAccess } from "../guilds/access.ts";

export const isOwner = (access: GuildAccess): boolean => access.member.userId === access.guild.ownerId;

/** Owner or ADMINISTRATOR: may grant any permission, known to us or not. */
export const isOwnerOrAdmin = (access: GuildAccess): boolean => isOwner(access) || has(access.permissions, Permission.ADMINISTRATOR);

export function requireMember(deps: Deps, guildId: GuildId, userId: UserId): Member {
  const member = deps.stores.members.get(guildId, userId);
  if (!member) throw new AppError("UNKNOWN_MEMBER");
  return member;
}

export function requireUser(deps: Deps, userId: UserId): User {
  const user = deps.stores.users.get(userId);
  if (!user) throw new AppError("UNKNOWN_USER");
  return user;
}

export function requireRole(access: GuildAccess, roleId: bigint): Role {
  const role = access.roles.find((one) => one.id === roleId);
  if (!role) throw new AppError("UNKNOWN_ROLE");
  return role;
}

/** The actor must sit above the target member (never the owner, never oneself). */
export function requireOutranksMember(access: Access, guild: GuildAccess, target: Member): void {
  if (!access.outranksMember(guild, target)) throw new AppError("MISSING_PERMISSIONS");
}

/** The actor may only manage roles below their highest role (the owner: any). */
export function requireManageableRole(access: Access, guild: GuildAccess, role: Role): void {
  if (!access.outranks(guild, role.position)) throw new AppError("MISSING_PERMISSIONS");
}

/** Nobody hands out permissions they do not hold, unless owner or administrator. */
export function requireGrantable(guild: GuildAccess, permissions: bigint): void {
  if (!isOwnerOrAdmin(guild) && (permissions & ~guild.permissions) !== 0n) throw new AppError("MISSING_PERMISSIONS");
}

/** Whether a member (not necessarily the actor) is the owner or holds ADMINISTRATOR. */
export function isPrivileged(guild: GuildAccess, member: Member): boolean {
  if (member.userId === guild.guild.ownerId) return true;
  const permissions = guildPermissions({ guild: guild.guild, roles: guild.roles, member, now: guild.now });
  return has(permissions, Permission.ADMINISTRATOR);
}
