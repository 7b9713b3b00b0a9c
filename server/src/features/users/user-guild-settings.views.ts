/** User guild settings on the wire (the spec's UserGuildSettingsResponse), and upstream's defaults. */
import type { UserGuildSettingsFields } from "../../storage/ports.ts";
import type { MuteConfig, UserGuildSettings } from "../../storage/records.ts";

const INHERIT = 3;
const ALL_MESSAGES = 0;

/** What a guild (or, with `dms`, the DM entry) has before its first PATCH, as upstream creates it. */
export function defaultUserGuildSettings(dms: boolean): UserGuildSettingsFields {
  return {
    // A DM has no guild level to inherit from.
    messageNotifications: dms ? ALL_MESSAGES : INHERIT,
    muted: false,
    muteConfig: null,
    mobilePush: true,
    suppressEveryone: false,
    suppressRoles: false,
    hideMutedChannels: false,
    channelOverrides: null,
    unreadBadges: null,
  };
}

const muteView = (mute: MuteConfig | null) =>
  mute && {
    end_time: mute.endTime === null ? null : new Date(mute.endTime).toISOString(),
    selected_time_window: mute.selectedTimeWindow,
  };

export function toUserGuildSettingsView(s: UserGuildSettings) {
  return {
    guild_id: s.guildId === null ? null : s.guildId.toString(),
    message_notifications: s.messageNotifications,
    muted: s.muted,
    mute_config: muteView(s.muteConfig),
    mobile_push: s.mobilePush,
    suppress_everyone: s.suppressEveryone,
    suppress_roles: s.suppressRoles,
    hide_muted_channels: s.hideMutedChannels,
    channel_overrides:
      s.channelOverrides &&
      Object.fromEntries(
        Object.entries(s.channelOverrides).map(([channelId, o]) => [
          channelId,
          {
            collapsed: o.collapsed,
            message_notifications: o.messageNotifications,
            muted: o.muted,
            mute_config: muteView(o.muteConfig),
            unread_badges: o.unreadBadges,
          },
        ]),
      ),
    unread_badges: s.unreadBadges,
    version: s.version,
  };
}
