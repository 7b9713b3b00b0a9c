/** GET and PATCH /users/@me/settings; every change reaches all of the user's sessions as USER_SETTINGS_UPDATE. */
import type { Deps } from "../../deps.ts";
import { fieldError } from "../../errors.ts";
import type { Actor } from "../../http/actor.ts";
import type { GuildFolder, UserSettings } from "../../storage/records.ts";
import { DEFAULT_FOLDER_ICON, defaultUserSettings, UNCATEGORIZED_FOLDER_ID, uncategorizedFolder } from "./user-settings.defaults.ts";
import type { UserSettingsPatch } from "./user-settings.schemas.ts";
import { toUserSettingsView } from "./user-settings.views.ts";

/** Folders as upstream stores them: the uncategorised list always present, each guild in one folder only. */
function normaliseFolders(folders: NonNullable<UserSettingsPatch["guild_folders"]>): GuildFolder[] {
  const seen = new Set<bigint>();
  const out: GuildFolder[] = folders.map((f) => ({
    id: f.id,
    name: f.name ?? null,
    color: f.color ?? 0,
    flags: f.flags ?? 0,
    icon: f.icon ?? DEFAULT_FOLDER_ICON,
    guildIds: f.guild_ids.filter((id) => {
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    }),
  }));
  if (!out.some((f) => f.id === UNCATEGORIZED_FOLDER_ID)) out.unshift({ ...uncategorizedFolder(), color: 0 });
  return out;
}

function trustedDomains(domains: string[]): string[] {
  const unique = [...new Set(domains)];
  if (unique.includes("*") && unique.length > 1) {
    throw fieldError("trusted_domains", "Cannot combine wildcard (*) with specific domains", "INVALID_TRUSTED_DOMAINS");
  }
  return unique;
}

/** The request in the domain's words; fields a client did not send stay undefined (unchanged). */
function toChanges(patch: UserSettingsPatch, isStaff: boolean): Partial<UserSettings> {
  const changes: Partial<UserSettings> = {
    status: patch.status,
    statusResetsAt: patch.status_resets_at,
    statusResetsTo: patch.status_resets_to,
    theme: patch.theme,
    locale: patch.locale,
    restrictedGuilds: patch.restricted_guilds,
    botRestrictedGuilds: patch.bot_restricted_guilds,
    defaultGuildsRestricted: patch.default_guilds_restricted,
    botDefaultGuildsRestricted: patch.bot_default_guilds_restricted,
    inlineAttachmentMedia: patch.inline_attachment_media,
    inlineEmbedMedia: patch.inline_embed_media,
    gifAutoPlay: patch.gif_auto_play,
    renderEmbeds: patch.render_embeds,
    renderReactions: patch.render_reactions,
    animateEmoji: patch.animate_emoji,
    animateStickers: patch.animate_stickers,
    renderSpoilers: patch.render_spoilers,
    messageDisplayCompact: patch.message_display_compact,
    // `flags` is the older name of friend_source_flags.
    friendSourceFlags: patch.friend_source_flags ?? patch.flags,
    incomingCallFlags: patch.incoming_call_flags,
    groupDmAddPermissionFlags: patch.group_dm_add_permission_flags,
    guildFolders: patch.guild_folders && normaliseFolders(patch.guild_folders),
    afkTimeout: patch.afk_timeout,
    timeFormat: patch.time_format,
    developerMode: patch.developer_mode,
    trustedDomains: patch.trusted_domains && trustedDomains(patch.trusted_domains),
    defaultHideMutedChannels: patch.default_hide_muted_channels,
    sensitiveContentFriendDmFilter: patch.sensitive_content_friend_dm_filter,
    sensitiveContentNonFriendDmFilter: patch.sensitive_content_non_friend_dm_filter,
    sensitiveContentGuildFilter: patch.sensitive_content_guild_filter,
    profilePrivacy: patch.profile_privacy,
    syncedPreferences: patch.synced_preferences === undefined ? undefined : (patch.synced_preferences ?? ""),
  };
  if (patch.custom_status !== undefined) {
    const cs = patch.custom_status;
    // No custom emoji store exists here yet, so an emoji id can name nothing and is dropped.
    changes.customStatus =
      cs === null
        ? null
        : {
            text: cs.text ?? null,
            expiresAt: cs.expires_at ?? null,
            emojiId: null,
            emojiName: cs.emoji_name ?? null,
            emojiAnimated: false,
          };
  }
  // Staff-only switches, as upstream: anyone else's request leaves them alone.
  if (isStaff) {
    changes.suppressUnprivilegedSelfMentions = patch.suppress_unprivileged_self_mentions;
    if (patch.suppress_unprivileged_self_mentions_bypass_user_ids !== undefined) {
      changes.suppressUnprivilegedSelfMentionsBypassUserIds = [...new Set(patch.suppress_unprivileged_self_mentions_bypass_user_ids ?? [])];
    }
    if (patch.staff_dm_access_user_ids !== undefined) changes.staffDmAccessUserIds = [...new Set(patch.staff_dm_access_user_ids ?? [])];
  }
  return changes;
}

export function createUserSettingsService(deps: Deps) {
  const { stores, bus } = deps;
  return {
    get(actor: Actor): UserSettings {
      return stores.userSettings.get(actor.user.id) ?? defaultUserSettings();
    },

    update(actor: Actor, patch: UserSettingsPatch): UserSettings {
      const changes = toChanges(patch, actor.user.acls.includes("admin"));
      const settings = stores.userSettings.patch(actor.user.id, changes, defaultUserSettings());
      // The gateway also reads status and custom_status from this event to update the presence.
      bus.publish({
        type: "USER_SETTINGS_UPDATE",
        audience: { kind: "users", userIds: [actor.user.id] },
        data: toUserSettingsView(settings),
      });
      return settings;
    },
  };
}

export type UserSettingsService = ReturnType<typeof createUserSettingsService>;
