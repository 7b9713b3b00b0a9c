/**
 * Adding a bot to a guild (OAuth2 consent with the `bot` scope): someone who manages the guild
 * grants the bot a role carrying the requested permissions, never more than they hold themselves.
 */
import { AppError, fieldError } from "../../errors.ts";
import type { Actor } from "../../http/actor.ts";
import type { ApplicationId, GuildId, RoleId } from "../../ids.ts";
import { ALL_PERMISSIONS, has, Permission } from "../../permissions.ts";
import { publicOrigin } from "../../public-urls.ts";
import type { Role } from "../../storage/records.ts";
import type { FeatureContext } from "../context.ts";
import { AuditAction } from "../guilds/audit.ts";
import { toRoleView } from "../guilds/guild.views.ts";

export interface ConsentInput {
  client_id: ApplicationId;
  scope: string;
  guild_id?: GuildId;
  permissions?: bigint;
  state?: string;
}

export function createBotAuthorization({ deps, access, audit, membership }: FeatureContext) {
  const { stores, bus, ids, config } = deps;

  /** The bot's own role, just above @everyone: the guild's existing order stays as it was. */
  function createBotRole(guildId: GuildId, name: string, permissions: bigint): Role {
    if (stores.roles.count(guildId) >= config.limits.max_roles_per_guild) throw new AppError("MAX_GUILD_ROLES");
    const role: Role = {
      id: ids.next() as RoleId,
      guildId,
      name: name.slice(0, 100),
      color: 0,
      position: 1,
      hoistPosition: null,
      permissions,
      hoist: false,
      mentionable: false,
      unicodeEmoji: null,
    };
    const above = stores.roles.createAt(role); // the others move up in the same write
    const guild_id = guildId.toString();
    bus.publish({ type: "GUILD_ROLE_CREATE", audience: { kind: "guild", guildId }, data: { guild_id, role: toRoleView(role) } });
    for (const moved of above) {
      bus.publish({
        type: "GUILD_ROLE_UPDATE",
        audience: { kind: "guild", guildId },
        data: { guild_id, role: toRoleView(moved) },
      });
    }
    return role;
  }

  return {
    consent(actor: Actor, input: ConsentInput, reason: string | null) {
      const scopes = input.scope.split(/[\s+]+/).filter(Boolean);
      if (!scopes.includes("bot")) throw new AppError("INVALID_SCOPE", "Only the bot scope can be granted on this instance");
      const app = stores.applications.get(input.client_id);
      if (!app) throw new AppError("UNKNOWN_APPLICATION");
      const bot = app.botUserId === null ? null : stores.users.get(app.botUserId);
      if (!bot) throw new AppError("NOT_A_BOT_APPLICATION");
      if (!app.botPublic && app.ownerId !== actor.user.id) throw new AppError("BOT_IS_PRIVATE");
      if (input.guild_id === undefined) throw fieldError("guild_id", "Choose the guild to add the bot to", "BASE_TYPE_REQUIRED");
      const guildId = input.guild_id;
      const guild = access.guildWith(actor, guildId, Permission.MANAGE_GUILD);
      // Bits this server does not know are dropped, as upstream does.
      const permissions = (input.permissions ?? 0n) & ALL_PERMISSIONS;
      if (!has(guild.permissions, permissions)) throw new AppError("MISSING_PERMISSIONS");
      if (stores.members.get(guildId, bot.id)) throw new AppError("BOT_ALREADY_IN_GUILD");
      const ban = stores.bans.get(guildId, bot.id);
      if (ban && (ban.expiresAt == null || ban.expiresAt > deps.clock())) throw new AppError("USER_BANNED_FROM_GUILD");
      // A bot asked for no permissions gets no role, as on Discord.
      const roleIds = permissions === 0n ? [] : [createBotRole(guildId, bot.username, permissions).id];
      membership.join(guildId, bot, roleIds);
      audit.record({
        guildId,
        userId: actor.user.id,
        action: AuditAction.BOT_ADD,
        targetId: bot.id,
        reason,
        changes: null,
      });
      const query = new URLSearchParams({ application_id: app.id.toString(), guild_id: guildId.toString() });
      query.set("permissions", permissions.toString());
      if (input.state) query.set("state", input.state);
      // Always back to this instance: a consent never sends the browser to an outside host.
      return { redirect_to: `${publicOrigin(config)}/oauth2/authorized?${query}` };
    },
  };
}

export type BotAuthorization = ReturnType<typeof createBotAuthorization>;
