import type Database from "better-sqlite3";
import type { UserSettingsStore } from "../ports.ts";
import type { CustomStatus, GuildFolder, UserSettings } from "../records.ts";
import type { SqliteDatabase } from "./database.ts";
import { bool, flag, idList, intOrNull, type Row, stringList, text, textOrNull, toJson } from "./mapping.ts";

interface Codec {
  column: string;
  encode(value: unknown): unknown;
  decode(value: unknown): unknown;
}

const boolean = (column: string): Codec => ({ column, encode: (v) => flag(v as boolean), decode: bool });
const integer = (column: string): Codec => ({ column, encode: (v) => v, decode: (v) => Number(v) });
const nullableInteger = (column: string): Codec => ({ column, encode: (v) => v, decode: intOrNull });
const string = (column: string): Codec => ({ column, encode: (v) => v, decode: text });
const nullableString = (column: string): Codec => ({ column, encode: (v) => v, decode: textOrNull });
const ids = (column: string): Codec => ({ column, encode: toJson, decode: idList });
const strings = (column: string): Codec => ({ column, encode: toJson, decode: stringList });

function decodeFolders(value: unknown): GuildFolder[] {
  const folders = JSON.parse(text(value) || "[]") as (Omit<GuildFolder, "guildIds"> & { guildIds: string[] })[];
  return folders.map((f) => ({ ...f, guildIds: f.guildIds.map((id) => BigInt(id)) }));
}

function decodeCustomStatus(value: unknown): CustomStatus | null {
  if (value === null || value === undefined) return null;
  const stored = JSON.parse(text(value)) as Omit<CustomStatus, "emojiId"> & { emojiId: string | null };
  return { ...stored, emojiId: stored.emojiId === null ? null : BigInt(stored.emojiId) };
}

/** Every field and the column that holds it; the adapter's only schema knowledge. */
const CODECS: { [K in keyof UserSettings]: Codec } = {
  status: string("status"),
  statusResetsAt: nullableInteger("status_resets_at"),
  statusResetsTo: nullableString("status_resets_to"),
  theme: string("theme"),
  locale: string("locale"),
  restrictedGuilds: ids("restricted_guilds"),
  botRestrictedGuilds: ids("bot_restricted_guilds"),
  defaultGuildsRestricted: boolean("default_guilds_restricted"),
  botDefaultGuildsRestricted: boolean("bot_default_guilds_restricted"),
  inlineAttachmentMedia: boolean("inline_attachment_media"),
  inlineEmbedMedia: boolean("inline_embed_media"),
  gifAutoPlay: boolean("gif_auto_play"),
  renderEmbeds: boolean("render_embeds"),
  renderReactions: boolean("render_reactions"),
  animateEmoji: boolean("animate_emoji"),
  animateStickers: integer("animate_stickers"),
  renderSpoilers: integer("render_spoilers"),
  messageDisplayCompact: boolean("message_display_compact"),
  friendSourceFlags: integer("friend_source_flags"),
  incomingCallFlags: integer("incoming_call_flags"),
  groupDmAddPermissionFlags: integer("group_dm_add_permission_flags"),
  guildFolders: { column: "guild_folders", encode: toJson, decode: decodeFolders },
  customStatus: { column: "custom_status", encode: (v) => (v === null ? null : toJson(v)), decode: decodeCustomStatus },
  afkTimeout: integer("afk_timeout"),
  timeFormat: integer("time_format"),
  developerMode: boolean("developer_mode"),
  trustedDomains: strings("trusted_domains"),
  defaultHideMutedChannels: boolean("default_hide_muted_channels"),
  sensitiveContentFriendDmFilter: integer("sensitive_content_friend_dm_filter"),
  sensitiveContentNonFriendDmFilter: integer("sensitive_content_non_friend_dm_filter"),
  sensitiveContentGuildFilter: integer("sensitive_content_guild_filter"),
  suppressUnprivilegedSelfMentions: boolean("suppress_unprivileged_self_mentions"),
  suppressUnprivilegedSelfMentionsBypassUserIds: ids("suppress_unprivileged_self_mentions_bypass_user_ids"),
  staffDmAccessUserIds: ids("staff_dm_access_user_ids"),
  syncedPreferences: string("synced_preferences"),
  profilePrivacy: integer("profile_privacy"),
  defaultShareVoiceActivity: boolean("default_share_voice_activity"),
};

const FIELDS = Object.keys(CODECS) as (keyof UserSettings)[];
const COLUMNS = FIELDS.map((field) => CODECS[field].column);

function toSettings(row: Row): UserSettings {
  const out: Record<string, unknown> = {};
  for (const field of FIELDS) out[field] = CODECS[field].decode(row[CODECS[field].column]);
  return out as unknown as UserSettings;
}

export function createSqliteUserSettingsStore(db: SqliteDatabase): UserSettingsStore {
  const byUser = db.prepare("SELECT * FROM user_settings WHERE user_id = ?");
  // One statement per set of changed columns (a client sends a handful of shapes), prepared once.
  const upserts = new Map<string, Database.Statement>();

  function upsertFor(changed: string[]): Database.Statement {
    const key = changed.join(",");
    let statement = upserts.get(key);
    if (!statement) {
      // A row that exists takes only the changed columns; with none changed it is returned as is.
      const set = changed.length > 0 ? changed.map((c) => `${c} = excluded.${c}`).join(", ") : "user_id = excluded.user_id";
      statement = db.prepare(
        `INSERT INTO user_settings (user_id, ${COLUMNS.join(", ")}) VALUES (@user_id, ${COLUMNS.map((c) => `@${c}`).join(", ")})
         ON CONFLICT (user_id) DO UPDATE SET ${set} RETURNING *`,
      );
      upserts.set(key, statement);
    }
    return statement;
  }

  return {
    get(userId) {
      const row = byUser.get(userId) as Row | undefined;
      return row ? toSettings(row) : null;
    },
    patch(userId, changes, defaults) {
      // An undefined field is "not sent": the default (for a new row) or the stored value stays.
      const values: Record<string, unknown> = { user_id: userId };
      for (const field of FIELDS)
        values[CODECS[field].column] = CODECS[field].encode(changes[field] !== undefined ? changes[field] : defaults[field]);
      const changed = FIELDS.filter((field) => changes[field] !== undefined).map((field) => CODECS[field].column);
      return toSettings(upsertFor(changed).get(values) as Row);
    },
  };
}
