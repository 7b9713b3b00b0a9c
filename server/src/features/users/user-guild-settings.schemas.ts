/** PATCH /users/@me/guilds/{guild_id|@me}/settings: the spec's UserGuildSettingsUpdateRequest, as zod. */
import { z } from "zod";
import { instant } from "./user-settings.schemas.ts";

/** ALL_MESSAGES, ONLY_MENTIONS, NO_MESSAGES, INHERIT. */
const notificationLevel = z
  .number()
  .int()
  .refine((v) => v >= 0 && v <= 3, "Must be one of 0, 1, 2, 3");

const muteConfig = z
  .object({
    end_time: instant.nullish(),
    selected_time_window: z.number().int().min(0).max(2147483647),
  })
  .nullish();

const channelOverride = z.object({
  collapsed: z.boolean(),
  message_notifications: notificationLevel,
  muted: z.boolean(),
  mute_config: muteConfig,
  unread_badges: notificationLevel.nullish(),
});

/** More overrides than a guild can have channels would only be junk. */
const MAX_OVERRIDES = 500;

export const userGuildSettingsPatch = z.object({
  message_notifications: notificationLevel.optional(),
  muted: z.boolean().optional(),
  mute_config: muteConfig,
  mobile_push: z.boolean().optional(),
  suppress_everyone: z.boolean().optional(),
  suppress_roles: z.boolean().optional(),
  hide_muted_channels: z.boolean().optional(),
  unread_badges: notificationLevel.nullish(),
  channel_overrides: z
    .record(z.string().regex(/^(0|[1-9][0-9]{0,19})$/, "Must be a channel id"), channelOverride)
    .refine((overrides) => Object.keys(overrides).length <= MAX_OVERRIDES, `At most ${MAX_OVERRIDES} channel overrides`)
    .nullish(),
});

export type UserGuildSettingsPatch = z.infer<typeof userGuildSettingsPatch>;
