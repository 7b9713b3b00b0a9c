/**
 * Guilds as a whole: creation with the default layout, reading, listing, leaving, deleting and
 * handing over ownership. Settings and the vanity URL are in guild-settings.service.ts.
 */
import { AppError, fieldError } from "../../errors.ts";
import type { Actor } from "../../http/actor.ts";
import type { GuildId, UserId } from "../../ids.ts";
import { ALL_PERMISSIONS } from "../../permissions.ts";
import { keysToDelete } from "../attachment-removal.ts";
import type { FeatureContext } from "../context.ts";
import { publishMemberRemoved } from "../members/member-events.ts";
import { AuditAction } from "./audit.ts";
import { auditChanges, changesOrNull } from "./audit-changes.ts";
import { toGuildFullView, toGuildView } from "./guild.views.ts";
import { newGuildSeed } from "./guild-seed.ts";
import { guildSnapshot } from "./guild-snapshot.ts";

const MEMBER_PAGE = 1000;

export interface CreateGuildInput {
  name: string;
  empty_features?: boolean;
}

export interface ListGuildsInput {
  before?: GuildId;
  after?: GuildId;
  limit: number;
  withCounts: boolean;
}

export function createGuildsService({ deps, access, audit, auth }: FeatureContext) {
  const { stores, bus, ids, clock, config } = deps;

  /** Every member's id, page by page (for events that must reach members of a guild that is going away). */
  function memberIds(guildId: GuildId): UserId[] {
    const all: UserId[] = [];
    let after: UserId | undefined;
    for (;;) {
      const page = stores.members.list(guildId, { after, limit: MEMBER_PAGE });
      for (const member of page) all.push(member.userId);
      if (page.length < MEMBER_PAGE) return all;
      after = page[page.length - 1]?.userId;
    }
  }

  return {
    create(actor: Actor, input: CreateGuildInput) {
      if (actor.user.bot) throw new AppError("BOTS_CANNOT_CREATE_GUILDS");
      if (stores.guilds.countForUser(actor.user.id) >= config.limits.max_guilds_per_user) throw new AppError("MAX_GUILDS");
      const seed = newGuildSeed({
        name: input.name,
        ownerId: actor.user.id,
        emptyFeatures: input.empty_features,
        now: clock(),
        nextId: () => ids.next(),
      });
      stores.guilds.create(seed);
      const { guild, everyoneRole: everyone } = seed;
      const guildId = guild.id;
      const view = toGuildFullView(guild, {
        roles: [everyone],
        channels: stores.channels.listForGuild(guildId),
        permissions: ALL_PERMISSIONS,
        memberCount: 1,
      });
      bus.publish({ type: "GUILD_CREATE", audience: { kind: "users", userIds: [actor.user.id] }, data: view });
      return view;
    },

    get(actor: Actor, guildId: GuildId) {
      return guildSnapshot(stores, access.guild(actor, guildId));
    },

    list(actor: Actor, input: ListGuildsInput) {
      let guilds = stores.guilds.listForUser(actor.user.id); // ascending ids
      if (input.after !== undefined) guilds = guilds.filter((g) => g.id > (input.after as bigint));
      if (input.before !== undefined) {
        guilds = guilds.filter((g) => g.id < (input.before as bigint));
        guilds = guilds.slice(Math.max(0, guilds.length - input.limit)); // the page nearest the cursor
      }
      return guilds.slice(0, input.limit).map((guild) => {
        const { permissions } = access.guild(actor, guild.id);
        return toGuildView(guild, { permissions, memberCount: input.withCounts ? stores.guilds.memberCount(guild.id) : undefined });
      });
    },

    leave(actor: Actor, guildId: GuildId) {
      const { guild } = access.guild(actor, guildId);
      if (guild.ownerId === actor.user.id) {
        throw new AppError("BAD_REQUEST", "The owner cannot leave the guild: transfer the ownership or delete the guild");
      }
      stores.members.remove(guildId, actor.user.id);
      publishMemberRemoved(deps, guildId, actor.user);
    },

    async delete(actor: Actor, guildId: GuildId, password: string | undefined) {
      const { guild } = access.guild(actor, guildId);
      if (guild.ownerId !== actor.user.id) throw new AppError("MISSING_PERMISSIONS");
      await auth.verifyPassword(actor, password);
      // Collected first: once the guild is gone nobody can look its members up.
      const members = memberIds(guildId);
      const files = stores.messages.attachmentKeysInGuild(guildId);
      stores.guilds.delete(guildId);
      bus.publish({ type: "GUILD_DELETE", audience: { kind: "users", userIds: members }, data: { id: guildId.toString() } });
      await deps.blobCleanup.remove(keysToDelete(files));
    },

    async transferOwnership(actor: Actor, guildId: GuildId, newOwnerId: UserId, password: string | undefined, reason: string | null) {
      const { guild } = access.guild(actor, guildId);
      if (guild.ownerId !== actor.user.id) throw new AppError("MISSING_PERMISSIONS");
      if (newOwnerId === actor.user.id) throw fieldError("new_owner_id", "You already own this guild", "ALREADY_OWNER");
      if (!stores.members.get(guildId, newOwnerId)) throw new AppError("UNKNOWN_MEMBER");
      if (stores.users.get(newOwnerId)?.bot) throw new AppError("CANNOT_TRANSFER_OWNERSHIP_TO_BOT");
      await auth.verifyPassword(actor, password);
      // Re-read after the await: another request may have changed the guild meanwhile.
      const current = stores.guilds.get(guildId);
      if (!current) throw new AppError("UNKNOWN_GUILD");
      if (current.ownerId !== actor.user.id) throw new AppError("MISSING_PERMISSIONS");
      const updated = stores.guilds.update(guildId, { ownerId: newOwnerId });
      audit.record({
        guildId,
        userId: actor.user.id,
        action: AuditAction.GUILD_UPDATE,
        targetId: guildId,
        reason,
        changes: changesOrNull(auditChanges(toGuildView(current), toGuildView(updated), ["owner_id"])),
      });
      bus.publish({
        type: "GUILD_UPDATE",
        audience: { kind: "guild", guildId },
        data: { ...toGuildView(updated), guild_id: updated.id.toString() },
      });
      return guildSnapshot(stores, access.guild(actor, guildId));
    },
  };
}

export type GuildsService = ReturnType<typeof createGuildsService>;
