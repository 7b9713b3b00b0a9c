/**
 * Guild roles: list, create, edit, delete (with the role's channel overwrites). MANAGE_ROLES plus Discord's hierarchy: only roles
 * below your highest role, and never a permission you do not hold (owner and admins excepted).
 */
import { AppError, fieldError } from "../../errors.ts";
import type { Actor } from "../../http/actor.ts";
import type { GuildId, RoleId } from "../../ids.ts";
import { Permission } from "../../permissions.ts";
import type { AuditLogEntry, Role } from "../../storage/records.ts";
import { toChannelView } from "../channels/channel.views.ts";
import type { FeatureContext } from "../context.ts";
import { AuditAction } from "../guilds/audit.ts";
import { toRoleView } from "../guilds/guild.views.ts";
import { requireGrantable, requireManageableRole, requireRole } from "../members/member-rules.ts";

export type RoleView = ReturnType<typeof toRoleView>;

export interface RoleInput {
  name?: string;
  color?: number;
  permissions?: bigint;
  hoist?: boolean;
  hoistPosition?: number | null;
  mentionable?: boolean;
  unicodeEmoji?: string | null;
}

type Changes = NonNullable<AuditLogEntry["changes"]>;

/** The audit form of a role field (bigints as strings). */
const auditValue = (value: unknown) => (typeof value === "bigint" ? value.toString() : value);

const AUDITED: [keyof RoleInput & keyof Role, string][] = [
  ["name", "name"],
  ["color", "color"],
  ["permissions", "permissions"],
  ["hoist", "hoist"],
  ["hoistPosition", "hoist_position"],
  ["mentionable", "mentionable"],
  ["unicodeEmoji", "unicode_emoji"],
];

/** The fields of `next` that differ from `previous` (all of them for a new role). */
function roleChanges(previous: Role | null, next: Role): Changes {
  const changes: Changes = [];
  for (const [field, key] of AUDITED) {
    if (previous && previous[field] === next[field]) continue;
    changes.push({ key, ...(previous ? { old_value: auditValue(previous[field]) } : {}), new_value: auditValue(next[field]) });
  }
  return changes;
}

export function sortRoles(roles: Role[]): Role[] {
  return [...roles].sort((a, b) => a.position - b.position || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

export function createRolesService({ deps, access, audit }: FeatureContext) {
  const { stores, bus, ids, config } = deps;

  function publish(type: string, guildId: GuildId, data: Record<string, unknown>) {
    bus.publish({ type, audience: { kind: "guild", guildId }, data: { guild_id: guildId.toString(), ...data } });
  }

  return {
    list(actor: Actor, guildId: GuildId): RoleView[] {
      const guild = access.guild(actor, guildId);
      return sortRoles(guild.roles).map(toRoleView);
    },

    create(actor: Actor, guildId: GuildId, input: RoleInput, reason: string | null): RoleView {
      const guild = access.guildWith(actor, guildId, Permission.MANAGE_ROLES);
      if (guild.roles.length >= config.limits.max_roles_per_guild) throw new AppError("MAX_GUILD_ROLES");
      // As in Discord, a new role starts with @everyone's permissions.
      const everyone = guild.roles.find((role) => role.id === guildId);
      const permissions = input.permissions ?? everyone?.permissions ?? 0n;
      requireGrantable(guild, permissions);
      const role: Role = {
        id: ids.next(),
        guildId,
        name: input.name ?? "new role",
        color: input.color ?? 0,
        position: 1,
        hoistPosition: null,
        permissions,
        hoist: input.hoist ?? false,
        mentionable: input.mentionable ?? false,
        unicodeEmoji: input.unicodeEmoji ?? null,
      };
      // The new role enters at the bottom (position 1); every other role moves up one, in the same write.
      const shifted = stores.roles.createAt(role);
      publish("GUILD_ROLE_CREATE", guildId, { role: toRoleView(role) });
      if (shifted.length > 0) publish("GUILD_ROLE_UPDATE_BULK", guildId, { roles: shifted.map(toRoleView) });
      audit.record({
        guildId,
        userId: actor.user.id,
        action: AuditAction.ROLE_CREATE,
        targetId: role.id,
        reason,
        changes: roleChanges(null, role),
      });
      return toRoleView(role);
    },

    update(actor: Actor, guildId: GuildId, roleId: RoleId, input: RoleInput, reason: string | null): RoleView {
      const guild = access.guildWith(actor, guildId, Permission.MANAGE_ROLES);
      const role = requireRole(guild, roleId);
      requireManageableRole(access, guild, role);
      if (role.id === guildId && input.name !== undefined && input.name !== role.name) {
        throw fieldError("name", "The @everyone role cannot be renamed", "CANNOT_RENAME_EVERYONE");
      }
      // Only what is newly granted must be held by the actor; keeping or dropping bits is fine.
      if (input.permissions !== undefined) requireGrantable(guild, input.permissions & ~role.permissions);
      const patch: Partial<Role> = {};
      for (const [field] of AUDITED) {
        const value = input[field];
        if (value !== undefined && value !== role[field]) Object.assign(patch, { [field]: value });
      }
      if (Object.keys(patch).length === 0) return toRoleView(role);
      const updated = stores.roles.update(guildId, roleId, patch);
      publish("GUILD_ROLE_UPDATE", guildId, { role: toRoleView(updated) });
      audit.record({
        guildId,
        userId: actor.user.id,
        action: AuditAction.ROLE_UPDATE,
        targetId: roleId,
        reason,
        changes: roleChanges(role, updated),
      });
      return toRoleView(updated);
    },

    remove(actor: Actor, guildId: GuildId, roleId: RoleId, reason: string | null): void {
      const guild = access.guildWith(actor, guildId, Permission.MANAGE_ROLES);
      const role = requireRole(guild, roleId);
      if (role.id === guildId) throw fieldError("role_id", "The @everyone role cannot be deleted", "CANNOT_DELETE_EVERYONE");
      requireManageableRole(access, guild, role);
      const overwritten = stores.roles.delete(guildId, roleId);
      publish("GUILD_ROLE_DELETE", guildId, { role_id: roleId.toString() });
      // The channels that had an overwrite for the role lost it with the role.
      for (const channelId of overwritten) {
        const channel = stores.channels.get(channelId);
        if (channel) bus.publish({ type: "CHANNEL_UPDATE", audience: { kind: "guild", guildId, channelId }, data: toChannelView(channel) });
      }
      audit.record({
        guildId,
        userId: actor.user.id,
        action: AuditAction.ROLE_DELETE,
        targetId: roleId,
        reason,
        changes: roleChanges(null, role).map(({ key, new_value }) => ({ key, old_value: new_value })),
      });
    },
  };
}

export type RolesService = ReturnType<typeof createRolesService>;
