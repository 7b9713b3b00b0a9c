/**
 * A guild as Fluxer's gateway sends it in READY and GUILD_CREATE:
 * `{id, properties, roles, channels, emojis, stickers, members, member_count, online_count,
 * presences, voice_states, joined_at}`. Channels are those the member may view.
 */
import type { Deps } from "../deps.ts";
import { toChannelView } from "../features/channels/channel.views.ts";
import { toGuildView, toRoleView } from "../features/guilds/guild.views.ts";
import { toMemberView } from "../features/members/member.views.ts";
import type { Member } from "../storage/records.ts";
import { type Presence, presenceView } from "./presence.ts";
import type { Visibility } from "./visibility.ts";

/** Members listed in a guild payload; clients fetch the rest lazily (op 8, op 14). */
export const PAYLOAD_MEMBER_LIMIT = 100;

export type GuildPayload = NonNullable<Awaited<ReturnType<ReturnType<typeof createGuildPayloads>["build"]>>>;

export function createGuildPayloads(deps: Deps, visibility: Visibility, presence: Presence) {
  const { stores } = deps;

  return {
    /** The guild as `userId` sees it, or null when it is gone or the user is not a member. */
    async build(guildId: bigint, userId: bigint) {
      const guild = stores.guilds.get(guildId);
      const own = stores.members.get(guildId, userId);
      const channels = visibility.visibleChannels(guildId, userId);
      if (!guild || !own || !channels) return null;
      const listed: Member[] = stores.members.list(guildId, { limit: PAYLOAD_MEMBER_LIMIT });
      if (!listed.some((m) => m.userId === userId)) listed.push(own);
      const users = stores.users.getMany(listed.map((m) => m.userId));
      const statuses = await presence.read(listed.map((m) => m.userId));
      const presences = [...statuses.entries()]
        .map(([id, stored]) => ({ ...presenceView(id, stored), guild_id: guildId.toString() }))
        .filter((view) => view.status !== "offline");
      const memberCount = stores.guilds.memberCount(guildId);
      return {
        id: guildId.toString(),
        properties: toGuildView(guild, { memberCount }),
        roles: stores.roles.list(guildId).map(toRoleView),
        channels: channels.map((channel) => toChannelView(channel)),
        emojis: [] as unknown[],
        stickers: [] as unknown[],
        members: listed.flatMap((m) => {
          const user = users.get(m.userId);
          return user ? [toMemberView(m, user)] : [];
        }),
        member_count: memberCount,
        // Counted over the listed members: exact for guilds up to PAYLOAD_MEMBER_LIMIT members.
        online_count: presences.length,
        presences,
        voice_states: [] as unknown[],
        joined_at: new Date(own.joinedAt).toISOString(),
      };
    },
  };
}

export type GuildPayloads = ReturnType<typeof createGuildPayloads>;
