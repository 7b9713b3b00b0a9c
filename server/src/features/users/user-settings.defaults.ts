/** The settings a new account has: upstream's, for an adult account on a production instance. */
import type { GuildFolder, UserSettings } from "../../storage/records.ts";

/** The sidebar's uncategorised list, which every folder set carries. */
export const UNCATEGORIZED_FOLDER_ID = -1;
export const DEFAULT_FOLDER_ICON = "folder";

export const uncategorizedFolder = (guildIds: bigint[] = []): GuildFolder => ({
  id: UNCATEGORIZED_FOLDER_ID,
  name: null,
  color: null,
  flags: 0,
  icon: DEFAULT_FOLDER_ICON,
  guildIds,
});

// Bit values from the spec's flag enums.
const FRIEND_SOURCE_ALL = 1 | 2 | 4; // mutual friends, mutual guilds, no relation (adult default)
const FRIENDS_ONLY = 8; // incoming calls and group DM adds
const ON_CLICK = 1; // spoilers
const SHOW = 0;
const BLUR = 1;
const BLOCK = 2;

/** No date of birth is kept here, so every account gets upstream's adult defaults. */
export function defaultUserSettings(): UserSettings {
  return {
    status: "online",
    statusResetsAt: null,
    statusResetsTo: null,
    theme: "system",
    locale: "en-US",
    restrictedGuilds: [],
    botRestrictedGuilds: [],
    defaultGuildsRestricted: false,
    botDefaultGuildsRestricted: false,
    inlineAttachmentMedia: true,
    inlineEmbedMedia: true,
    gifAutoPlay: true,
    renderEmbeds: true,
    renderReactions: true,
    animateEmoji: true,
    animateStickers: 0,
    renderSpoilers: ON_CLICK,
    messageDisplayCompact: false,
    friendSourceFlags: FRIEND_SOURCE_ALL,
    incomingCallFlags: FRIENDS_ONLY,
    groupDmAddPermissionFlags: FRIENDS_ONLY,
    guildFolders: [uncategorizedFolder()],
    customStatus: null,
    afkTimeout: 600,
    timeFormat: 0,
    developerMode: false,
    trustedDomains: [],
    defaultHideMutedChannels: false,
    sensitiveContentFriendDmFilter: SHOW,
    sensitiveContentNonFriendDmFilter: BLOCK,
    sensitiveContentGuildFilter: BLUR,
    suppressUnprivilegedSelfMentions: false,
    suppressUnprivilegedSelfMentionsBypassUserIds: [],
    staffDmAccessUserIds: [],
    syncedPreferences: "",
    profilePrivacy: 0,
    defaultShareVoiceActivity: true,
  };
}
