/**
 * Kicks and bans. A kicked or banned member leaves the guild at once (GUILD_MEMBER_REMOVE to the
 * guild, GUILD_DELETE to their sessions); a ban also keeps them from joining again until lifted.
 */
import { AppError } from "../../errors.ts";
import type { Actor } from "../../http/actor.ts";
import type { GuildId, UserId } from "../../ids.ts";
import { Permission } from "../../permissions.ts";
import type { Ban } from "../../storage/records.ts";
import type { FeatureContext } from "../context.ts";
import { AuditAction } from "../guilds/audit.ts";
import { toUserPartial } from "../users/user.views.ts";
import { type BanView, toBanView } from "./ban.views.ts";
import { publishMemberRemoved } from "./member-events.ts";
import { requireMember, requireOutranksMember, requireUser } from "./member-rules.ts";
import { purgeRecentMessages } from "./purge.ts";

export interface BanInput {
  reason: string | null;
  /** How far back to delete the user's messages, in seconds (0: none). */
  deleteMessageSeconds: number;
  /** 0 or absent: permanent. */
  durationSeconds: number;
}

export interface BanListQuery {
  limit: number;
  before?: UserId;
  after?: UserId;
}

export function createModerationService({ deps, access, audit }: FeatureContext) {
  const { stores, bus, clock } = deps;

  /** A temporary ban that has run out is lifted, and the guild is told. */
  function liftIfExpired(ban: Ban, now: number): boolean {
    if (ban.expiresAt === null || ban.expiresAt > now) return false;
    if (stores.bans.remove(ban.guildId, ban.userId)) publishBanRemoved(ban.guildId, ban.userId);
    return true;
  }

  function publishBanRemoved(guildId: GuildId, userId: UserId) {
    const user = stores.users.get(userId);
    if (!user) return;
    bus.publish({
      type: "GUILD_BAN_REMOVE",
      audience: { kind: "guild", guildId, permission: Permission.BAN_MEMBERS },
      data: { guild_id: guildId.toString(), user: toUserPartial(user) },
    });
  }

  return {
    kick(actor: Actor, guildId: GuildId, userId: UserId, reason: string | null): void {
      const guild = access.guildWith(actor, guildId, Permission.KICK_MEMBERS);
      const target = requireMember(deps, guildId, userId);
      requireOutranksMember(access, guild, target);
      const user = requireUser(deps, userId);
      stores.members.remove(guildId, userId);
      publishMemberRemoved(deps, guildId, user);
      audit.record({ guildId, userId: actor.user.id, action: AuditAction.MEMBER_KICK, targetId: userId, reason });
    },

    listBans(actor: Actor, guildId: GuildId, query: BanListQuery): BanView[] {
      access.guildWith(actor, guildId, Permission.BAN_MEMBERS);
      const now = clock();
      const bans = stores.bans.list(guildId, query).filter((ban) => !liftIfExpired(ban, now));
      const users = stores.users.getMany(bans.map((ban) => ban.userId));
      return bans.flatMap((ban) => {
        const user = users.get(ban.userId);
        return user ? [toBanView(ban, user)] : [];
      });
    },

    ban(actor: Actor, guildId: GuildId, userId: UserId, input: BanInput): void {
      const guild = access.guildWith(actor, guildId, Permission.BAN_MEMBERS);
      const user = requireUser(deps, userId);
      if (userId === guild.guild.ownerId) throw new AppError("MISSING_PERMISSIONS");
      const member = stores.members.get(guildId, userId);
      if (member) requireOutranksMember(access, guild, member); // oneself included: nobody outranks themselves
      const now = clock();
      stores.bans.banAndRemove({
        guildId,
        userId,
        reason: input.reason,
        moderatorId: actor.user.id,
        createdAt: now,
        expiresAt: input.durationSeconds > 0 ? now + input.durationSeconds * 1000 : null,
      });
      if (input.deleteMessageSeconds > 0) purgeRecentMessages(deps, guildId, userId, now - input.deleteMessageSeconds * 1000);
      bus.publish({
        type: "GUILD_BAN_ADD",
        audience: { kind: "guild", guildId, permission: Permission.BAN_MEMBERS }, // moderators only, as on Discord
        data: { guild_id: guildId.toString(), user: toUserPartial(user) },
      });
      if (member) publishMemberRemoved(deps, guildId, user);
      audit.record({
        guildId,
        userId: actor.user.id,
        action: AuditAction.MEMBER_BAN_ADD,
        targetId: userId,
        reason: input.reason,
        options: input.deleteMessageSeconds > 0 ? { delete_message_seconds: input.deleteMessageSeconds } : null,
      });
    },

    unban(actor: Actor, guildId: GuildId, userId: UserId, reason: string | null): void {
      access.guildWith(actor, guildId, Permission.BAN_MEMBERS);
      if (!stores.bans.remove(guildId, userId)) throw new AppError("NOT_FOUND", "Unknown ban");
      publishBanRemoved(guildId, userId);
      audit.record({ guildId, userId: actor.user.id, action: AuditAction.MEMBER_BAN_REMOVE, targetId: userId, reason });
    },
  };
}

export type ModerationService = ReturnType<typeof createModerationService>;
