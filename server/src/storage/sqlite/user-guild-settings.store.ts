import type { GuildId } from "../../ids.ts";
import type { UserGuildSettingsFields, UserGuildSettingsStore } from "../ports.ts";
import type { ChannelNotificationOverride, MuteConfig, UserGuildSettings } from "../records.ts";
import type { SqliteDatabase } from "./database.ts";
import { big, bool, flag, intOrNull, type Row, statementCache, text } from "./mapping.ts";

/** The DM entry's guild_id (upstream's convention). */
const DM_GUILD = 0n;

const json = (value: unknown): string | null => (value === null ? null : JSON.stringify(value));
const parsed = <T>(value: unknown): T | null => (value === null || value === undefined ? null : (JSON.parse(text(value)) as T));

const COLUMNS: { [K in keyof UserGuildSettingsFields]: [column: string, encode: (value: never) => unknown] } = {
  messageNotifications: ["message_notifications", (v: number) => v],
  muted: ["muted", (v: boolean) => flag(v)],
  muteConfig: ["mute_config", (v: MuteConfig | null) => json(v)],
  mobilePush: ["mobile_push", (v: boolean) => flag(v)],
  suppressEveryone: ["suppress_everyone", (v: boolean) => flag(v)],
  suppressRoles: ["suppress_roles", (v: boolean) => flag(v)],
  hideMutedChannels: ["hide_muted_channels", (v: boolean) => flag(v)],
  channelOverrides: ["channel_overrides", (v: Record<string, ChannelNotificationOverride> | null) => json(v)],
  unreadBadges: ["unread_badges", (v: number | null) => v],
};
const FIELDS = Object.keys(COLUMNS) as (keyof UserGuildSettingsFields)[];

function toSettings(row: Row): UserGuildSettings {
  const guildId = big(row.guild_id);
  return {
    guildId: guildId === DM_GUILD ? null : guildId,
    messageNotifications: Number(row.message_notifications),
    muted: bool(row.muted),
    muteConfig: parsed<MuteConfig>(row.mute_config),
    mobilePush: bool(row.mobile_push),
    suppressEveryone: bool(row.suppress_everyone),
    suppressRoles: bool(row.suppress_roles),
    hideMutedChannels: bool(row.hide_muted_channels),
    channelOverrides: parsed<Record<string, ChannelNotificationOverride>>(row.channel_overrides),
    unreadBadges: intOrNull(row.unread_badges),
    version: Number(row.version),
  };
}

export function createSqliteUserGuildSettingsStore(db: SqliteDatabase): UserGuildSettingsStore {
  const sql = statementCache(db);
  const byUser = db.prepare("SELECT * FROM user_guild_settings WHERE user_id = ? ORDER BY guild_id");
  const columns = FIELDS.map((field) => COLUMNS[field][0]);

  return {
    listForUser: (userId) => (byUser.all(userId) as Row[]).map(toSettings),
    patch(userId, guildId: GuildId | null, changes, defaults) {
      const values: Record<string, unknown> = { user_id: userId, guild_id: guildId ?? DM_GUILD };
      for (const field of FIELDS) {
        const [column, encode] = COLUMNS[field];
        values[column] = (encode as (value: unknown) => unknown)(changes[field] !== undefined ? changes[field] : defaults[field]);
      }
      // A row that exists takes only the changed columns, and one more version.
      const changed = FIELDS.filter((field) => changes[field] !== undefined).map((field) => COLUMNS[field][0]);
      const set = [...changed.map((c) => `${c} = excluded.${c}`), "version = version + 1"].join(", ");
      const row = sql(
        `INSERT INTO user_guild_settings (user_id, guild_id, ${columns.join(", ")}, version)
         VALUES (@user_id, @guild_id, ${columns.map((c) => `@${c}`).join(", ")}, 1)
         ON CONFLICT (user_id, guild_id) DO UPDATE SET ${set} RETURNING *`,
      ).get(values) as Row;
      return toSettings(row);
    },
  };
}
