/**
 * GET /users/:id/profile, as upstream decides who may see it: yourself, a bot, someone you share
 * a guild or a private channel with (friends do not exist here yet); anyone else is MISSING_ACCESS.
 */
import type { Deps } from "../../deps.ts";
import { AppError } from "../../errors.ts";
import type { Actor } from "../../http/actor.ts";
import type { GuildId, UserId } from "../../ids.ts";
import type { Member, User } from "../../storage/records.ts";

export interface ProfileQuery {
  guildId?: GuildId;
  withMutualGuilds: boolean;
  withMutualFriends: boolean;
}

export interface Profile {
  user: User;
  /** The target's membership in the asked guild, when both are in it. */
  member: Member | null;
  mutualGuilds: { guildId: GuildId; nick: string | null }[] | null;
  withMutualFriends: boolean;
}

export function createUserProfileService(deps: Deps) {
  const { stores } = deps;

  function sharesPrivateChannel(viewerId: UserId, targetId: UserId): boolean {
    return stores.channels.listPrivateForUser(viewerId).some((c) => c.recipientIds.includes(targetId));
  }

  return {
    profile(actor: Actor, targetId: UserId, query: ProfileQuery): Profile {
      const target = stores.users.get(targetId);
      if (!target) throw new AppError("UNKNOWN_USER");
      const self = actor.user.id === targetId;
      const viewerGuilds = new Set(stores.members.guildIdsForUser(actor.user.id));
      const shared = self ? [] : stores.members.guildIdsForUser(targetId).filter((id) => viewerGuilds.has(id));
      if (!self && !target.bot && shared.length === 0 && !sharesPrivateChannel(actor.user.id, targetId)) {
        throw new AppError("MISSING_ACCESS");
      }
      // A guild's member entry only for a guild the viewer is in too.
      const member = query.guildId !== undefined && viewerGuilds.has(query.guildId) ? stores.members.get(query.guildId, targetId) : null;
      const mutualGuilds =
        query.withMutualGuilds && !self
          ? shared.map((guildId) => ({ guildId, nick: stores.members.get(guildId, targetId)?.nick ?? null }))
          : null;
      return { user: target, member, mutualGuilds, withMutualFriends: query.withMutualFriends && !self };
    },
  };
}

export type UserProfileService = ReturnType<typeof createUserProfileService>;
