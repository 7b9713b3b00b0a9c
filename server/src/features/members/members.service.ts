/**
 * Guild members: listing, reading, and editing (nick, roles, timeout, voice mute/deafen).
 * Every edit checks its own permission and the hierarchy before anything is written.
 */
import { AppError, fieldError } from "../../errors.ts";
import type { Actor } from "../../http/actor.ts";
import type { GuildId, RoleId, UserId } from "../../ids.ts";
import { has, isTimedOut, Permission } from "../../permissions.ts";
import type { AuditLogEntry, Member, Role } from "../../storage/records.ts";
import type { FeatureContext } from "../context.ts";
import type { GuildAccess } from "../guilds/access.ts";
import { AuditAction } from "../guilds/audit.ts";
import { type MemberView, toMemberView } from "./member.views.ts";
import { publishMemberUpdate } from "./member-events.ts";
import { isPrivileged, requireManageableRole, requireMember, requireOutranksMember, requireUser } from "./member-rules.ts";

/** Discord's ceiling for a timeout. */
export const MAX_TIMEOUT_MS = 28 * 24 * 60 * 60 * 1000;

export interface MemberPatch {
  nick?: string | null;
  roles?: RoleId[];
  mute?: boolean;
  deaf?: boolean;
  /** Epoch ms, or null to lift the timeout. */
  communicationDisabledUntil?: number | null;
  timeoutReason?: string | null;
}

type Changes = NonNullable<AuditLogEntry["changes"]>;
type StorePatch = Parameters<FeatureContext["deps"]["stores"]["members"]["update"]>[2];

export function createMembersService({ deps, access, audit }: FeatureContext) {
  const { stores } = deps;

  function views(members: Member[]): MemberView[] {
    const users = stores.users.getMany(members.map((member) => member.userId));
    return members.flatMap((member) => {
      const user = users.get(member.userId);
      return user ? [toMemberView(member, user)] : [];
    });
  }

  const view = (member: Member): MemberView => toMemberView(member, requireUser(deps, member.userId));

  /** Writes the patch, then tells the guild and the audit log. */
  function apply(guild: GuildAccess, actor: Actor, target: Member, patch: StorePatch, logs: AuditLog[]): MemberView {
    if (Object.keys(patch).length === 0) return view(target);
    const updated = stores.members.update(guild.guild.id, target.userId, patch);
    const user = requireUser(deps, target.userId);
    publishMemberUpdate(deps, updated, user);
    for (const log of logs) {
      audit.record({ guildId: guild.guild.id, userId: actor.user.id, targetId: target.userId, ...log });
    }
    return toMemberView(updated, user);
  }

  return {
    list(actor: Actor, guildId: GuildId, query: { limit: number; after?: UserId }): MemberView[] {
      access.guild(actor, guildId);
      return views(stores.members.list(guildId, query));
    },

    get(actor: Actor, guildId: GuildId, userId: UserId): MemberView {
      access.guild(actor, guildId);
      return view(requireMember(deps, guildId, userId));
    },

    /** PATCH /members/@me: only the nickname, with CHANGE_NICKNAME. */
    updateSelf(actor: Actor, guildId: GuildId, patch: { nick?: string | null }, reason: string | null): MemberView {
      const guild = access.guild(actor, guildId);
      if (patch.nick === undefined) return view(guild.member);
      requireNickPermission(guild, true);
      const nick = normalizeNick(patch.nick);
      if (nick === guild.member.nick) return view(guild.member);
      return apply(guild, actor, guild.member, { nick }, [
        { action: AuditAction.MEMBER_UPDATE, reason, changes: [{ key: "nick", old_value: guild.member.nick, new_value: nick }] },
      ]);
    },

    update(actor: Actor, guildId: GuildId, userId: UserId, patch: MemberPatch, reason: string | null): MemberView {
      const guild = access.guild(actor, guildId);
      const target = requireMember(deps, guildId, userId);
      const self = target.userId === actor.user.id;
      const store: StorePatch = {};
      const changes: Changes = [];

      // Each field is checked only when it changes: clients often send the whole member back.
      if (patch.nick !== undefined && normalizeNick(patch.nick) !== target.nick) {
        requireNickPermission(guild, self);
        if (!self) requireOutranksMember(access, guild, target);
        store.nick = normalizeNick(patch.nick);
        changes.push({ key: "nick", old_value: target.nick, new_value: store.nick });
      }

      if (patch.communicationDisabledUntil !== undefined) {
        const until = patch.communicationDisabledUntil;
        if (until !== null && until - guild.now > MAX_TIMEOUT_MS) {
          throw fieldError("communication_disabled_until", "A timeout can last at most 28 days", "BASE_TYPE_MAX_VALUE");
        }
        const value = until !== null && until > guild.now ? until : null; // a time in the past lifts it
        const current = isTimedOut(target, guild.now) ? target.communicationDisabledUntil : null;
        if (value !== current) {
          requirePermission(guild, Permission.MODERATE_MEMBERS);
          // The owner and administrators cannot be timed out; nor can anyone at or above the actor.
          if (isPrivileged(guild, target)) throw new AppError("MISSING_PERMISSIONS");
          requireOutranksMember(access, guild, target);
          store.communicationDisabledUntil = value;
          changes.push({ key: "communication_disabled_until", old_value: iso(current), new_value: iso(value) });
        }
      }

      if (patch.mute !== undefined && patch.mute !== target.mute) {
        requirePermission(guild, Permission.MUTE_MEMBERS);
        store.mute = patch.mute;
        changes.push({ key: "mute", old_value: target.mute, new_value: patch.mute });
      }
      if (patch.deaf !== undefined && patch.deaf !== target.deaf) {
        requirePermission(guild, Permission.DEAFEN_MEMBERS);
        store.deaf = patch.deaf;
        changes.push({ key: "deaf", old_value: target.deaf, new_value: patch.deaf });
      }

      const logs: AuditLog[] = [];
      if (patch.roles !== undefined) {
        const diff = roleDiff(guild, target, patch.roles);
        if (diff.added.length > 0 || diff.removed.length > 0) {
          requirePermission(guild, Permission.MANAGE_ROLES);
          for (const role of [...diff.added, ...diff.removed]) requireManageableRole(access, guild, role);
          store.roleIds = diff.next;
          logs.push({ action: AuditAction.MEMBER_ROLE_UPDATE, reason, changes: roleChanges(diff.added, diff.removed) });
        }
      }
      if (changes.length > 0) {
        // A timeout's own reason stands in when no X-Audit-Log-Reason was sent.
        const why = reason ?? (store.communicationDisabledUntil !== undefined ? (patch.timeoutReason ?? null) : null);
        logs.unshift({ action: AuditAction.MEMBER_UPDATE, reason: why, changes });
      }
      return apply(guild, actor, target, store, logs);
    },

    /** PUT/DELETE /members/{user}/roles/{role}: one role, MANAGE_ROLES and the hierarchy. */
    setRole(actor: Actor, guildId: GuildId, userId: UserId, roleId: RoleId, held: boolean, reason: string | null): void {
      const guild = access.guildWith(actor, guildId, Permission.MANAGE_ROLES);
      const target = requireMember(deps, guildId, userId);
      const role = guild.roles.find((one) => one.id === roleId);
      if (!role) throw new AppError("UNKNOWN_ROLE");
      if (role.id === guildId) throw fieldError("role_id", "The @everyone role is held by every member", "INVALID_ROLE");
      requireManageableRole(access, guild, role);
      if (target.roleIds.includes(roleId) === held) return;
      const next = held ? [...target.roleIds, roleId] : target.roleIds.filter((id) => id !== roleId);
      apply(guild, actor, target, { roleIds: next }, [
        { action: AuditAction.MEMBER_ROLE_UPDATE, reason, changes: roleChanges(held ? [role] : [], held ? [] : [role]) },
      ]);
    },
  };
}

export type MembersService = ReturnType<typeof createMembersService>;

interface AuditLog {
  action: number;
  reason: string | null;
  changes: Changes;
}

function requirePermission(guild: GuildAccess, wanted: bigint): void {
  if (!has(guild.permissions, wanted)) throw new AppError("MISSING_PERMISSIONS");
}

/** One's own nick: CHANGE_NICKNAME (or MANAGE_NICKNAMES); someone else's: MANAGE_NICKNAMES. */
function requireNickPermission(guild: GuildAccess, self: boolean): void {
  const allowed = has(guild.permissions, Permission.MANAGE_NICKNAMES) || (self && has(guild.permissions, Permission.CHANGE_NICKNAME));
  if (!allowed) throw new AppError("MISSING_PERMISSIONS");
}

/** An empty nick clears it, as in Discord. */
const normalizeNick = (nick: string | null): string | null => (nick === null || nick.trim() === "" ? null : nick);

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** The roles a full role list adds and removes; unknown ids are a form error, @everyone is implied. */
function roleDiff(guild: GuildAccess, target: Member, wanted: RoleId[]) {
  const byId = new Map(guild.roles.map((role) => [role.id, role]));
  const next = [...new Set(wanted)].filter((id) => id !== guild.guild.id);
  const unknown = next.find((id) => !byId.has(id));
  if (unknown !== undefined) throw fieldError("roles", `Unknown role ${unknown}`, "UNKNOWN_ROLE");
  const current = new Set(target.roleIds);
  const added = next.filter((id) => !current.has(id)).map((id) => byId.get(id) as Role);
  const kept = new Set(next);
  // A role that vanished meanwhile is simply dropped, without a hierarchy check.
  const removed = target.roleIds.filter((id) => !kept.has(id) && byId.has(id)).map((id) => byId.get(id) as Role);
  return { next, added, removed };
}

/** Discord's MEMBER_ROLE_UPDATE changes: `$add` and `$remove` with the roles' ids and names. */
function roleChanges(added: Role[], removed: Role[]): Changes {
  const brief = (roles: Role[]) => roles.map((role) => ({ id: role.id.toString(), name: role.name }));
  const changes: Changes = [];
  if (added.length > 0) changes.push({ key: "$add", new_value: brief(added) });
  if (removed.length > 0) changes.push({ key: "$remove", new_value: brief(removed) });
  return changes;
}
