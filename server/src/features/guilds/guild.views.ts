/** Guilds and roles on the wire (GuildResponse, GuildRoleResponse). */
import type { Channel, Guild, Role } from "../../storage/records.ts";
import { toChannelView } from "../channels/channel.views.ts";

const idOrNull = (id: bigint | null): string | null => (id === null ? null : id.toString());

export function toRoleView(role: Role) {
  return {
    id: role.id.toString(),
    name: role.name,
    color: role.color,
    position: role.position,
    hoist_position: role.hoistPosition,
    permissions: role.permissions.toString(),
    hoist: role.hoist,
    mentionable: role.mentionable,
    unicode_emoji: role.unicodeEmoji,
  };
}

/** The guild's own properties; `extra` adds what a route includes (permissions, counts, roles...). */
export function toGuildView(guild: Guild, extra: { permissions?: bigint; memberCount?: number } = {}) {
  return {
    id: guild.id.toString(),
    name: guild.name,
    icon: guild.icon,
    banner: guild.banner,
    banner_width: null,
    banner_height: null,
    splash: guild.splash,
    splash_width: null,
    splash_height: null,
    splash_card_alignment: 0,
    embed_splash: null,
    embed_splash_width: null,
    embed_splash_height: null,
    vanity_url_code: guild.vanityUrlCode,
    owner_id: guild.ownerId.toString(),
    system_channel_id: idOrNull(guild.systemChannelId),
    system_channel_flags: guild.systemChannelFlags,
    rules_channel_id: idOrNull(guild.rulesChannelId),
    afk_channel_id: idOrNull(guild.afkChannelId),
    afk_timeout: guild.afkTimeout,
    features: guild.features,
    verification_level: guild.verificationLevel,
    mfa_level: guild.mfaLevel,
    nsfw_level: guild.nsfwLevel,
    nsfw: guild.nsfwLevel !== 0,
    content_warning_level: 0,
    content_warning_text: null,
    explicit_content_filter: guild.explicitContentFilter,
    default_message_notifications: guild.defaultMessageNotifications,
    disabled_operations: guild.disabledOperations,
    message_history_cutoff: null,
    ...(extra.permissions !== undefined ? { permissions: extra.permissions.toString() } : {}),
    ...(extra.memberCount !== undefined ? { member_count: extra.memberCount, approximate_member_count: extra.memberCount } : {}),
  };
}

export type GuildView = ReturnType<typeof toGuildView>;

/** The whole guild as one member sees it: properties plus roles and the channels it can view. */
export function toGuildFullView(guild: Guild, parts: { roles: Role[]; channels: Channel[]; permissions?: bigint; memberCount?: number }) {
  return {
    ...toGuildView(guild, { permissions: parts.permissions, memberCount: parts.memberCount }),
    roles: parts.roles.map(toRoleView),
    channels: parts.channels.map((channel) => toChannelView(channel)),
  };
}
