/**
 * Joining a guild: the one path for invites, bot authorisation and guild creation's peers.
 * Banned users cannot rejoin; a join is announced to the guild.
 */
import type { Deps } from "../../deps.ts";
import { AppError } from "../../errors.ts";
import type { GuildId, RoleId } from "../../ids.ts";
import { Permission } from "../../permissions.ts";
import type { Member, User } from "../../storage/records.ts";
import { toUserPartial } from "../users/user.views.ts";
import { toMemberView } from "./member.views.ts";

export function createMembership(deps: Deps) {
  const { stores, bus, clock } = deps;
  return {
    /** Adds the user to the guild (no-op if already a member) and returns the membership. */
    join(guildId: GuildId, user: User, roleIds: RoleId[] = []): { member: Member; joined: boolean } {
      if (!stores.guilds.get(guildId)) throw new AppError("UNKNOWN_GUILD");
      // A temporary ban that has run out no longer keeps the user away.
      const lapsed = stores.bans.get(guildId, user.id);
      if (lapsed?.expiresAt != null && lapsed.expiresAt <= clock() && stores.bans.remove(guildId, user.id)) {
        bus.publish({
          type: "GUILD_BAN_REMOVE",
          audience: { kind: "guild", guildId, permission: Permission.BAN_MEMBERS },
          data: { guild_id: guildId.toString(), user: toUserPartial(user) },
        });
      }
      if (stores.bans.get(guildId, user.id)) throw new AppError("USER_BANNED_FROM_GUILD");
      const existing = stores.members.get(guildId, user.id);
      if (existing) return { member: existing, joined: false };
      const member: Member = {
        guildId,
        userId: user.id,
        nick: null,
        avatar: null,
        roleIds,
        joinedAt: clock(),
        communicationDisabledUntil: null,
        mute: false,
        deaf: false,
      };
      stores.members.add(member);
      bus.publish({
        type: "GUILD_MEMBER_ADD",
        audience: { kind: "guild", guildId },
        data: { ...toMemberView(member, user), guild_id: guildId.toString() },
      });
      // The joiner's own sessions learn about the whole guild (the gateway expands this into GUILD_CREATE).
      bus.publish({ type: "GUILD_JOIN", audience: { kind: "users", userIds: [user.id] }, data: { guild_id: guildId.toString() } });
      return { member, joined: true };
    },
  };
}

export type Membership = ReturnType<typeof createMembership>;
