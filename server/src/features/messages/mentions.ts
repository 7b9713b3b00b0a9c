/**
 * Who a message mentions, as Discord decides it: user mentions of existing users (members, in a
 * guild), role mentions of the guild's mentionable roles (any role with MENTION_EVERYONE),
 * @everyone/@here only with MENTION_EVERYONE; `allowed_mentions` narrows all three.
 */
import type { Deps } from "../../deps.ts";
import type { RoleId, UserId } from "../../ids.ts";
import { has, Permission } from "../../permissions.ts";
import type { ChannelAccess } from "../guilds/access.ts";

export interface AllowedMentions {
  parse?: ("users" | "roles" | "everyone")[];
  users?: bigint[];
  roles?: bigint[];
  replied_user?: boolean;
}

export interface Mentions {
  userIds: UserId[];
  roleIds: RoleId[];
  everyone: boolean;
}

/** At most this many distinct user or role mentions count, as Discord caps them. */
const MAX_MENTIONS = 100;

const USER_MENTION = /<@!?(\d{1,20})>/g;
const ROLE_MENTION = /<@&(\d{1,20})>/g;
const EVERYONE_MENTION = /@(everyone|here)\b/;

function idsIn(content: string, pattern: RegExp): bigint[] {
  const ids = new Set<bigint>();
  for (const match of content.matchAll(pattern)) {
    const id = BigInt(match[1] as string);
    if (id < 1n << 63n) ids.add(id);
    if (ids.size >= MAX_MENTIONS) break;
  }
  return [...ids];
}

export function createMentionResolver(deps: Deps) {
  const { stores } = deps;
  return {
    /** `repliedUserId`: the author of the replied message, mentioned unless allowed_mentions says otherwise. */
    resolve(access: ChannelAccess, content: string, allowed: AllowedMentions | null | undefined, repliedUserId?: UserId | null): Mentions {
      const parse = allowed ? new Set(allowed.parse ?? []) : new Set(["users", "roles", "everyone"]);
      const allowedUsers = new Set(allowed?.users ?? []);
      const allowedRoles = new Set(allowed?.roles ?? []);
      const mayPingAll = has(access.permissions, Permission.MENTION_EVERYONE);

      let userIds = idsIn(content, USER_MENTION).filter((id) => parse.has("users") || allowedUsers.has(id));
      // Without allowed_mentions a reply pings its author; with it, only when replied_user says so.
      const pingReplied = allowed ? allowed.replied_user === true : true;
      if (repliedUserId && pingReplied && !userIds.includes(repliedUserId)) userIds.push(repliedUserId);
      if (userIds.length > 0) {
        const guildId = access.channel.guildId;
        const existing = stores.users.getMany(userIds);
        const members = guildId === null ? null : new Set(stores.members.getMany(guildId, userIds).map((m) => m.userId));
        userIds = userIds.filter((id) => existing.has(id) && (members === null || members.has(id)));
      }

      let roleIds: RoleId[] = [];
      const guild = access.guild;
      if (guild) {
        const wanted = idsIn(content, ROLE_MENTION).filter((id) => parse.has("roles") || allowedRoles.has(id));
        const roles = new Map(guild.roles.map((role) => [role.id, role]));
        roleIds = wanted.filter((id) => {
          const role = roles.get(id);
          return role !== undefined && id !== guild.guild.id && (role.mentionable || mayPingAll);
        });
      }

      const everyone = parse.has("everyone") && mayPingAll && access.guild !== null && EVERYONE_MENTION.test(content);
      return { userIds, roleIds, everyone };
    },
  };
}

export type MentionResolver = ReturnType<typeof createMentionResolver>;
