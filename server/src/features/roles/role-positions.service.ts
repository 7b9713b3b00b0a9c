/**
 * Reordering roles: the hierarchy (`position`) and the member-list display order of hoisted roles
 * (`hoist_position`). Both answer 204 and publish one GUILD_ROLE_UPDATE_BULK with the changed roles.
 */
import { AppError, fieldError } from "../../errors.ts";
import type { Actor } from "../../http/actor.ts";
import type { GuildId, RoleId } from "../../ids.ts";
import { Permission } from "../../permissions.ts";
import type { Role } from "../../storage/records.ts";
import type { FeatureContext } from "../context.ts";
import type { GuildAccess } from "../guilds/access.ts";
import { AuditAction } from "../guilds/audit.ts";
import { toRoleView } from "../guilds/guild.views.ts";
import { isOwnerOrAdmin } from "../members/member-rules.ts";
import { sortRoles } from "./roles.service.ts";

export function createRolePositionsService({ deps, access, audit }: FeatureContext) {
  const { stores, bus } = deps;

  function announce(
    actor: Actor,
    guildId: GuildId,
    changed: { before: Role; after: Role }[],
    key: "position" | "hoist_position",
    reason: string | null,
  ) {
    if (changed.length === 0) return;
    bus.publish({
      type: "GUILD_ROLE_UPDATE_BULK",
      audience: { kind: "guild", guildId },
      data: { guild_id: guildId.toString(), roles: changed.map(({ after }) => toRoleView(after)) },
    });
    const field = key === "position" ? "position" : "hoistPosition";
    for (const { before, after } of changed) {
      audit.record({
        guildId,
        userId: actor.user.id,
        action: AuditAction.ROLE_UPDATE,
        targetId: after.id,
        reason,
        changes: [{ key, old_value: before[field], new_value: after[field] }],
      });
    }
  }

  /** Hoist positions follow the hierarchy too: only roles below the actor's top role change, unless owner or admin. */
  function requireBelowActor(guild: GuildAccess, changed: { before: Role }[]) {
    if (isOwnerOrAdmin(guild)) return;
    if (changed.some(({ before }) => !access.outranks(guild, before.position))) throw new AppError("MISSING_PERMISSIONS");
  }

  /** Every listed id must be a role of the guild; a form error names the bad item. */
  function lookup(roles: Role[], items: readonly { id: RoleId }[]): Role[] {
    const byId = new Map(roles.map((role) => [role.id, role]));
    return items.map((item, index) => {
      const role = byId.get(item.id);
      if (!role) throw fieldError(`${index}.id`, `Unknown role ${item.id}`, "UNKNOWN_ROLE");
      return role;
    });
  }

  return {
    /**
     * Moves the listed roles to their positions and renumbers the rest around them (1..n, @everyone
     * stays 0). Each moved role, where it was and where it goes, must sit below the actor's top role.
     */
    setPositions(actor: Actor, guildId: GuildId, items: { id: RoleId; position?: number }[], reason: string | null): void {
      const guild = access.guildWith(actor, guildId, Permission.MANAGE_ROLES);
      const found = lookup(guild.roles, items);
      const moves = new Map<RoleId, number>();
      items.forEach((item, index) => {
        const role = found[index] as Role;
        if (item.position === undefined) return;
        if (role.id === guildId) {
          if (item.position !== 0) throw fieldError(`${index}.position`, "The @everyone role cannot be moved", "CANNOT_MOVE_EVERYONE");
          return;
        }
        if (!access.outranks(guild, role.position) || !access.outranks(guild, item.position)) throw new AppError("MISSING_PERMISSIONS");
        moves.set(role.id, item.position);
      });
      const others = sortRoles(guild.roles).filter((role) => role.id !== guildId && !moves.has(role.id));
      const moved = sortRoles(guild.roles.filter((role) => moves.has(role.id))).sort(
        (a, b) => (moves.get(a.id) as number) - (moves.get(b.id) as number),
      );
      // Inserting in ascending target order puts each moved role exactly where it asked to be.
      const order = [...others];
      for (const role of moved) {
        const index = Math.min(Math.max((moves.get(role.id) as number) - 1, 0), order.length);
        order.splice(index, 0, role);
      }
      // Positions are renumbered, so check the outcome too: every moved role ends below the actor's top role.
      if (guild.member.userId !== guild.guild.ownerId) {
        const held = new Set(guild.member.roleIds);
        const top = order.reduce((best, role, index) => (held.has(role.id) ? index : best), -1);
        if (order.some((role, index) => moves.has(role.id) && index >= top)) throw new AppError("MISSING_PERMISSIONS");
      }
      const changed = order
        .map((role, index) => ({ before: role, after: { ...role, position: index + 1 } }))
        .filter(({ before, after }) => before.position !== after.position);
      stores.roles.setPositions(
        guildId,
        changed.map(({ after }) => ({ id: after.id, position: after.position })),
      );
      announce(actor, guildId, changed, "position", reason);
    },

    setHoistPositions(actor: Actor, guildId: GuildId, items: { id: RoleId; hoist_position: number }[], reason: string | null): void {
      const guild = access.guildWith(actor, guildId, Permission.MANAGE_ROLES);
      const found = lookup(guild.roles, items);
      const next = new Map(items.map((item, index) => [(found[index] as Role).id, item.hoist_position]));
      const changed = guild.roles
        .filter((role) => next.has(role.id) && next.get(role.id) !== role.hoistPosition)
        .map((role) => ({ before: role, after: { ...role, hoistPosition: next.get(role.id) as number } }));
      requireBelowActor(guild, changed);
      stores.roles.setHoistPositions(
        guildId,
        changed.map(({ after }) => ({ id: after.id, hoistPosition: after.hoistPosition })),
      );
      announce(actor, guildId, changed, "hoist_position", reason);
    },

    /** Clears every hoist position, so the member list falls back to the role hierarchy. */
    resetHoistPositions(actor: Actor, guildId: GuildId, reason: string | null): void {
      const guild = access.guildWith(actor, guildId, Permission.MANAGE_ROLES);
      const changed = guild.roles
        .filter((role) => role.hoistPosition !== null)
        .map((role) => ({ before: role, after: { ...role, hoistPosition: null } }));
      requireBelowActor(guild, changed);
      stores.roles.setHoistPositions(
        guildId,
        changed.map(({ after }) => ({ id: after.id, hoistPosition: null })),
      );
      announce(actor, guildId, changed, "hoist_position", reason);
    },
  };
}

export type RolePositionsService = ReturnType<typeof createRolePositionsService>;
