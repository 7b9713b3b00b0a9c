/**
 * Domain records the store ports speak. Backend-neutral: no rows, no SQL types.
 * Times are epoch milliseconds; IDs are bigints; permission sets are bigints.
 */
import type { ApplicationId, ChannelId, GuildId, MessageId, RoleId, UserId } from "../ids.ts";

export interface User {
  id: UserId;
  username: string;
  discriminator: string;
  globalName: string | null;
  email: string | null;
  avatar: string | null;
  banner: string | null;
  bio: string | null;
  pronouns: string | null;
  accentColor: number | null;
  flags: number;
  bot: boolean;
  system: boolean;
  acls: string[];
  createdAt: number;
  passwordChangedAt: number | null;
}

export interface AuthSession {
  idHash: string;
  userId: UserId;
  createdAt: number;
  lastUsedAt: number;
  clientOs: string | null;
  clientBrowser: string | null;
  clientPlatform: string | null;
  ip: string | null;
}

export interface Application {
  id: ApplicationId;
  ownerId: UserId;
  name: string;
  description: string | null;
  icon: string | null;
  botUserId: UserId | null;
  botPublic: boolean;
  botRequireCodeGrant: boolean;
  redirectUris: string[];
  flags: number;
  createdAt: number;
}

export interface Guild {
  id: GuildId;
  name: string;
  icon: string | null;
  banner: string | null;
  splash: string | null;
  ownerId: UserId;
  systemChannelId: ChannelId | null;
  systemChannelFlags: number;
  rulesChannelId: ChannelId | null;
  afkChannelId: ChannelId | null;
  afkTimeout: number;
  verificationLevel: number;
  mfaLevel: number;
  nsfwLevel: number;
  explicitContentFilter: number;
  defaultMessageNotifications: number;
  disabledOperations: number;
  vanityUrlCode: string | null;
  features: string[];
  createdAt: number;
}

export interface Role {
  id: RoleId;
  guildId: GuildId;
  name: string;
  color: number;
  position: number;
  hoistPosition: number | null;
  permissions: bigint;
  hoist: boolean;
  mentionable: boolean;
  unicodeEmoji: string | null;
}

export const OverwriteType = { role: 0, member: 1 } as const;

export interface PermissionOverwrite {
  id: bigint; // role or user id
  type: 0 | 1;
  allow: bigint;
  deny: bigint;
}

export const ChannelType = {
  guildText: 0,
  dm: 1,
  guildVoice: 2,
  groupDm: 3,
  guildCategory: 4,
  guildLink: 998,
} as const;

export interface Channel {
  id: ChannelId;
  guildId: GuildId | null;
  type: number;
  name: string | null;
  topic: string | null;
  url: string | null;
  icon: string | null;
  ownerId: UserId | null;
  position: number;
  parentId: ChannelId | null;
  bitrate: number | null;
  userLimit: number | null;
  rtcRegion: string | null;
  nsfw: boolean;
  rateLimitPerUser: number;
  lastMessageId: MessageId | null;
  lastPinAt: number | null;
  overwrites: PermissionOverwrite[];
  recipientIds: UserId[]; // DMs and group DMs only
  createdAt: number;
}

export interface Member {
  guildId: GuildId;
  userId: UserId;
  nick: string | null;
  avatar: string | null;
  roleIds: RoleId[];
  joinedAt: number;
  communicationDisabledUntil: number | null;
  mute: boolean;
  deaf: boolean;
}

export interface Ban {
  guildId: GuildId;
  userId: UserId;
  reason: string | null;
  moderatorId: UserId | null;
  createdAt: number;
  /** When a temporary ban lifts (epoch ms); null for a permanent ban. */
  expiresAt: number | null;
}

export interface AuditLogEntry {
  id: bigint;
  guildId: GuildId;
  userId: UserId | null;
  actionType: number;
  targetId: bigint | null;
  reason: string | null;
  changes: { key: string; old_value?: unknown; new_value?: unknown }[] | null;
  options: Record<string, unknown> | null;
}

export interface Invite {
  code: string;
  guildId: GuildId | null;
  channelId: ChannelId;
  inviterId: UserId | null;
  maxAge: number;
  maxUses: number;
  uses: number;
  temporary: boolean;
  createdAt: number;
  expiresAt: number | null;
}

export interface Attachment {
  id: bigint;
  filename: string;
  title: string | null;
  description: string | null;
  contentType: string | null;
  size: number;
  width: number | null;
  height: number | null;
  storageKey: string;
  flags: number;
}

export interface MessageReference {
  channelId: ChannelId;
  messageId: MessageId;
  guildId: GuildId | null;
  type: number;
}

/** The reaction key of an emoji, the one rule for every store: a custom emoji's id as decimal text, else the unicode name. */
export const emojiKey = (emoji: { emojiId: bigint | null; emojiName: string }): string =>
  emoji.emojiId === null ? emoji.emojiName : emoji.emojiId.toString();

export interface ReactionCount {
  emojiId: bigint | null;
  emojiName: string;
  animated: boolean;
  count: number;
  me: boolean;
}

export interface Message {
  id: MessageId;
  channelId: ChannelId;
  authorId: UserId;
  type: number;
  content: string;
  flags: number;
  tts: boolean;
  mentionEveryone: boolean;
  mentionUserIds: UserId[];
  mentionRoleIds: RoleId[];
  nonce: string | null;
  editedAt: number | null;
  pinnedAt: number | null;
  reference: MessageReference | null;
  attachments: Attachment[];
  embeds: Embed[];
}

/** A rich embed as a bot or client sent it (validated at the edge; URLs are http(s)). */
export interface Embed {
  title?: string;
  description?: string;
  url?: string;
  color?: number;
  timestamp?: string;
  author?: { name: string; url?: string; icon_url?: string };
  footer?: { text: string; icon_url?: string };
  image?: { url: string; description?: string };
  thumbnail?: { url: string; description?: string };
  fields?: { name: string; value: string; inline: boolean }[];
}

export interface ReadState {
  channelId: ChannelId;
  lastMessageId: MessageId | null;
  lastPinAt: number | null;
  mentionCount: number;
}

/** A folder of the guild sidebar; id -1 is the uncategorised list. */
export interface GuildFolder {
  id: number;
  name: string | null;
  color: number | null;
  flags: number;
  icon: string;
  guildIds: GuildId[];
}

export interface CustomStatus {
  text: string | null;
  expiresAt: number | null;
  emojiId: bigint | null;
  emojiName: string | null;
  emojiAnimated: boolean;
}

/** A user's account-wide preferences, as `/users/@me/settings` and READY carry them. */
export interface UserSettings {
  status: "online" | "idle" | "dnd" | "invisible";
  statusResetsAt: number | null;
  statusResetsTo: "online" | "idle" | "dnd" | "invisible" | null;
  theme: string;
  locale: string;
  restrictedGuilds: GuildId[];
  botRestrictedGuilds: GuildId[];
  defaultGuildsRestricted: boolean;
  botDefaultGuildsRestricted: boolean;
  inlineAttachmentMedia: boolean;
  inlineEmbedMedia: boolean;
  gifAutoPlay: boolean;
  renderEmbeds: boolean;
  renderReactions: boolean;
  animateEmoji: boolean;
  animateStickers: number;
  renderSpoilers: number;
  messageDisplayCompact: boolean;
  friendSourceFlags: number;
  incomingCallFlags: number;
  groupDmAddPermissionFlags: number;
  guildFolders: GuildFolder[];
  customStatus: CustomStatus | null;
  afkTimeout: number;
  timeFormat: number;
  developerMode: boolean;
  trustedDomains: string[];
  defaultHideMutedChannels: boolean;
  sensitiveContentFriendDmFilter: number;
  sensitiveContentNonFriendDmFilter: number;
  sensitiveContentGuildFilter: number;
  suppressUnprivilegedSelfMentions: boolean;
  suppressUnprivilegedSelfMentionsBypassUserIds: UserId[];
  staffDmAccessUserIds: UserId[];
  syncedPreferences: string;
  profilePrivacy: number;
  defaultShareVoiceActivity: boolean;
}

/** A mute that may end: `endTime` epoch ms (null: until unmuted), `selectedTimeWindow` the client's chosen span. */
export interface MuteConfig {
  endTime: number | null;
  selectedTimeWindow: number;
}

export interface ChannelNotificationOverride {
  collapsed: boolean;
  messageNotifications: number;
  muted: boolean;
  muteConfig: MuteConfig | null;
  unreadBadges: number | null;
}

/** A user's notification settings for one guild, or for their DMs (`guildId` null). */
export interface UserGuildSettings {
  guildId: GuildId | null;
  messageNotifications: number;
  muted: boolean;
  muteConfig: MuteConfig | null;
  mobilePush: boolean;
  suppressEveryone: boolean;
  suppressRoles: boolean;
  hideMutedChannels: boolean;
  /** Keyed by channel id (decimal text); null when there are none. */
  channelOverrides: Record<string, ChannelNotificationOverride> | null;
  unreadBadges: number | null;
  /** Counts the writes, so clients can tell a newer copy from an older one. */
  version: number;
}
