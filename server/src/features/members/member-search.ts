/**
 * POST /guilds/{id}/members-search: Fluxer's member search (GuildMemberSearchRequest/Response),
 * answered from the member store instead of a search engine, so it is never "indexing".
 */
import { AppError } from "../../errors.ts";
import type { Actor } from "../../http/actor.ts";
import type { GuildId, RoleId } from "../../ids.ts";
import { Permission } from "../../permissions.ts";
import type { MemberSearchQuery } from "../../storage/ports.ts";
import type { Member, User } from "../../storage/records.ts";
import type { FeatureContext } from "../context.ts";

/** Fluxer opens the members page to anyone holding one of these. */
const MEMBERS_PAGE_PERMISSIONS =
  Permission.MANAGE_GUILD |
  Permission.MANAGE_ROLES |
  Permission.MANAGE_NICKNAMES |
  Permission.BAN_MEMBERS |
  Permission.MODERATE_MEMBERS |
  Permission.KICK_MEMBERS;

export interface MemberSearchInput {
  query?: string;
  limit?: number;
  offset?: number;
  role_ids?: RoleId[];
  /** Unix seconds, as Fluxer's search documents store them. */
  joined_at_gte?: number;
  joined_at_lte?: number;
  user_created_at_gte?: number;
  user_created_at_lte?: number;
  is_bot?: boolean;
  sort_by?: "joinedAt" | "relevance";
  sort_order?: "asc" | "desc";
}

const seconds = (value: number | undefined): number | undefined => (value === undefined ? undefined : value * 1000);

export function toMemberSearchResult(member: Member, user: User) {
  return {
    id: `${member.guildId}:${member.userId}`,
    guild_id: member.guildId.toString(),
    user_id: member.userId.toString(),
    username: user.username,
    discriminator: user.discriminator,
    global_name: user.globalName,
    nickname: member.nick,
    role_ids: member.roleIds.map(String),
    joined_at: Math.floor(member.joinedAt / 1000),
    // How someone joined is not recorded here.
    supplemental: { join_source_type: null, source_invite_code: null, inviter_id: null },
    is_bot: user.bot,
  };
}

export function createMemberSearch({ deps, access }: FeatureContext) {
  return {
    search(actor: Actor, guildId: GuildId, input: MemberSearchInput) {
      const guild = access.guild(actor, guildId);
      if ((guild.permissions & MEMBERS_PAGE_PERMISSIONS) === 0n) throw new AppError("MISSING_PERMISSIONS");
      const text = input.query?.trim() ?? "";
      const query: MemberSearchQuery = {
        text: text || undefined,
        roleIds: input.role_ids,
        joinedFrom: seconds(input.joined_at_gte),
        joinedTo: seconds(input.joined_at_lte),
        userCreatedFrom: seconds(input.user_created_at_gte),
        userCreatedTo: seconds(input.user_created_at_lte),
        bot: input.is_bot,
        sort: sortOf(input, text),
        offset: input.offset ?? 0,
        limit: input.limit ?? 25,
      };
      const { members, total } = deps.stores.members.searchPage(guildId, query);
      const users = deps.stores.users.getMany(members.map((member) => member.userId));
      const results = members.flatMap((member) => {
        const user = users.get(member.userId);
        return user ? [toMemberSearchResult(member, user)] : [];
      });
      return {
        guild_id: guildId.toString(),
        members: results,
        page_result_count: results.length,
        total_result_count: total,
        indexing: false,
      };
    },
  };
}

function sortOf(input: MemberSearchInput, text: string): MemberSearchQuery["sort"] {
  const by = input.sort_by ?? (text ? "relevance" : "joinedAt");
  if (by === "relevance") return "relevance";
  return input.sort_order === "asc" ? "joined_asc" : "joined_desc";
}

export type MemberSearch = ReturnType<typeof createMemberSearch>;
