/** PATCH /users/@me/settings: the spec's UserSettingsUpdateRequest, as zod. */
import { z } from "zod";
import { snowflake } from "../../http/validation.ts";

const STATUSES = ["online", "dnd", "idle", "invisible"] as const;
const THEMES = ["ember", "dark", "dark_legacy", "coal", "light", "system"] as const;
const LOCALES = [
  ...["ar", "bg", "cs", "da", "de", "el", "en-GB", "en-US", "es-ES", "es-419", "fi", "fr", "he", "hi", "hr", "hu", "id"],
  ...["it", "ja", "ko", "lt", "nl", "no", "pl", "pt-BR", "ro", "ru", "sv-SE", "th", "tr", "uk", "vi", "zh-CN", "zh-TW"],
] as [string, ...string[]];
const FOLDER_ICONS = ["folder", "star", "heart", "bookmark", "game_controller", "shield", "music_note"] as const;
const INT32_MAX = 2147483647;

const bitfield = z.number().int().min(0).max(INT32_MAX);
const oneOf = (...values: number[]) =>
  z
    .number()
    .int()
    .refine((v) => values.includes(v), `Must be one of ${values.join(", ")}`);

/** An ISO 8601 date-time or epoch milliseconds, as milliseconds. */
export const instant = z
  .union([
    z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?$/),
    z.number().int().min(0).max(8640000000000000),
  ])
  .transform((value, ctx) => {
    const ms = typeof value === "number" ? value : Date.parse(value);
    if (Number.isNaN(ms)) {
      ctx.addIssue({ code: "custom", message: "Not a valid date" });
      return z.NEVER;
    }
    return ms;
  });

export const customStatus = z.object({
  text: z.string().max(128).nullish(),
  expires_at: instant.nullish(),
  emoji_id: snowflake.nullish(),
  emoji_name: z.string().max(64).nullish(),
});

const guildFolder = z.object({
  id: z.number().int().min(-2147483648).max(INT32_MAX),
  name: z.string().max(100).nullish(),
  color: z.number().int().min(0).max(INT32_MAX).nullish(),
  flags: bitfield.optional(),
  icon: z.enum(FOLDER_ICONS).optional(),
  guild_ids: z.array(snowflake).max(200),
});

const userIds = z.array(snowflake).max(200).nullish();

export const userSettingsPatch = z.object({
  flags: bitfield.optional(),
  status: z.enum(STATUSES).optional(),
  status_resets_at: instant.nullish(),
  status_resets_to: z.enum(STATUSES).nullish(),
  theme: z.enum(THEMES).optional(),
  locale: z.enum(LOCALES).optional(),
  restricted_guilds: z.array(snowflake).max(200).optional(),
  bot_restricted_guilds: z.array(snowflake).max(200).optional(),
  default_guilds_restricted: z.boolean().optional(),
  bot_default_guilds_restricted: z.boolean().optional(),
  inline_attachment_media: z.boolean().optional(),
  inline_embed_media: z.boolean().optional(),
  gif_auto_play: z.boolean().optional(),
  render_embeds: z.boolean().optional(),
  render_reactions: z.boolean().optional(),
  animate_emoji: z.boolean().optional(),
  animate_stickers: oneOf(0, 1, 2).optional(),
  render_spoilers: oneOf(0, 1, 2).optional(),
  message_display_compact: z.boolean().optional(),
  friend_source_flags: bitfield.optional(),
  incoming_call_flags: bitfield.optional(),
  group_dm_add_permission_flags: bitfield.optional(),
  guild_folders: z.array(guildFolder).max(200).optional(),
  custom_status: customStatus.nullish(),
  afk_timeout: z.number().int().min(0).max(INT32_MAX).optional(),
  time_format: oneOf(0, 1, 2).optional(),
  developer_mode: z.boolean().optional(),
  trusted_domains: z.array(z.string().min(1).max(253)).max(1000).optional(),
  default_hide_muted_channels: z.boolean().optional(),
  sensitive_content_friend_dm_filter: oneOf(0, 1, 2).optional(),
  sensitive_content_non_friend_dm_filter: oneOf(0, 1, 2).optional(),
  sensitive_content_guild_filter: oneOf(0, 1).optional(),
  suppress_unprivileged_self_mentions: z.boolean().optional(),
  suppress_unprivileged_self_mentions_bypass_user_ids: userIds,
  staff_dm_access_user_ids: userIds,
  profile_privacy: oneOf(0, 1, 2).optional(),
  // A base64 snapshot the client owns; only its alphabet is checked.
  synced_preferences: z
    .string()
    .max(349528)
    .regex(/^[A-Za-z0-9+/_-]*={0,2}$/)
    .nullish(),
});

export type UserSettingsPatch = z.infer<typeof userSettingsPatch>;
