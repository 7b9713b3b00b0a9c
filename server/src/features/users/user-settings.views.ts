/** User settings on the wire: the spec's UserSettingsResponse. */
import type { UserSettings } from "../../storage/records.ts";

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());
const ids = (list: bigint[]): string[] => list.map((id) => id.toString());

export function toUserSettingsView(s: UserSettings) {
  return {
    status: s.status,
    status_resets_at: iso(s.statusResetsAt),
    status_resets_to: s.statusResetsTo,
    theme: s.theme,
    locale: s.locale,
    restricted_guilds: ids(s.restrictedGuilds),
    bot_restricted_guilds: ids(s.botRestrictedGuilds),
    default_guilds_restricted: s.defaultGuildsRestricted,
    bot_default_guilds_restricted: s.botDefaultGuildsRestricted,
    inline_attachment_media: s.inlineAttachmentMedia,
    inline_embed_media: s.inlineEmbedMedia,
    gif_auto_play: s.gifAutoPlay,
    render_embeds: s.renderEmbeds,
    render_reactions: s.renderReactions,
    animate_emoji: s.animateEmoji,
    animate_stickers: s.animateStickers,
    render_spoilers: s.renderSpoilers,
    message_display_compact: s.messageDisplayCompact,
    friend_source_flags: s.friendSourceFlags,
    incoming_call_flags: s.incomingCallFlags,
    group_dm_add_permission_flags: s.groupDmAddPermissionFlags,
    guild_folders: s.guildFolders.map((f) => ({
      id: f.id,
      name: f.name,
      color: f.color,
      flags: f.flags,
      icon: f.icon,
      guild_ids: ids(f.guildIds),
    })),
    custom_status: s.customStatus && {
      text: s.customStatus.text,
      expires_at: iso(s.customStatus.expiresAt),
      emoji_id: s.customStatus.emojiId === null ? null : s.customStatus.emojiId.toString(),
      emoji_name: s.customStatus.emojiName,
      emoji_animated: s.customStatus.emojiAnimated,
    },
    afk_timeout: s.afkTimeout,
    time_format: s.timeFormat,
    developer_mode: s.developerMode,
    trusted_domains: s.trustedDomains,
    default_hide_muted_channels: s.defaultHideMutedChannels,
    sensitive_content_friend_dm_filter: s.sensitiveContentFriendDmFilter,
    sensitive_content_non_friend_dm_filter: s.sensitiveContentNonFriendDmFilter,
    sensitive_content_guild_filter: s.sensitiveContentGuildFilter,
    suppress_unprivileged_self_mentions: s.suppressUnprivilegedSelfMentions,
    suppress_unprivileged_self_mentions_bypass_user_ids: ids(s.suppressUnprivilegedSelfMentionsBypassUserIds),
    staff_dm_access_user_ids: ids(s.staffDmAccessUserIds),
    synced_preferences: s.syncedPreferences,
    profile_privacy: s.profilePrivacy,
    default_share_voice_activity: s.defaultShareVoiceActivity,
  };
}

export type UserSettingsView = ReturnType<typeof toUserSettingsView>;
