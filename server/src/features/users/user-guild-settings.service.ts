/**
 * A user's notification settings per guild (and for their DMs): PATCH stores them with one upsert
 * and tells the user's sessions with USER_GUILD_SETTINGS_UPDATE, as upstream does.
 */
import { fieldError } from "../../errors.ts";
import type { Actor } from "../../http/actor.ts";
import type { GuildId } from "../../ids.ts";
import type { UserGuildSettingsFields } from "../../storage/ports.ts";
import type { ChannelNotificationOverride, MuteConfig, UserGuildSettings } from "../../storage/records.ts";
import type { FeatureContext } from "../context.ts";
import type { UserGuildSettingsPatch } from "./user-guild-settings.schemas.ts";
import { defaultUserGuildSettings, toUserGuildSettingsView } from "./user-guild-settings.views.ts";

type MuteInput = { end_time?: number | null; selected_time_window: number } | null | undefined;

const toMute = (mute: MuteInput): MuteConfig | null =>
  mute ? { endTime: mute.end_time ?? null, selectedTimeWindow: mute.selected_time_window } : null;

function toChanges(patch: UserGuildSettingsPatch): Partial<UserGuildSettingsFields> {
  const changes: Partial<UserGuildSettingsFields> = {
    messageNotifications: patch.message_notifications,
    muted: patch.muted,
    muteConfig: patch.mute_config === undefined ? undefined : toMute(patch.mute_config),
    mobilePush: patch.mobile_push,
    suppressEveryone: patch.suppress_everyone,
    suppressRoles: patch.suppress_roles,
    hideMutedChannels: patch.hide_muted_channels,
    unreadBadges: patch.unread_badges === undefined ? undefined : (patch.unread_badges ?? null),
  };
  if (patch.channel_overrides !== undefined) {
    // As upstream: the map sent replaces the stored one; an empty map is none.
    const entries = Object.entries(patch.channel_overrides ?? {}).map(([channelId, o]): [string, ChannelNotificationOverride] => [
      BigInt(channelId).toString(),
      {
        collapsed: o.collapsed,
        messageNotifications: o.message_notifications,
        muted: o.muted,
        muteConfig: toMute(o.mute_config),
        unreadBadges: o.unread_badges ?? null,
      },
    ]);
    changes.channelOverrides = entries.length > 0 ? Object.fromEntries(entries) : null;
  }
  return changes;
}

export function createUserGuildSettingsService(context: FeatureContext) {
  const { deps, access } = context;
  const { stores, bus } = deps;

  /** Overrides may name only channels of that guild (or, for DMs, the user's private channels). */
  function checkOverrides(actor: Actor, guildId: GuildId | null, patch: UserGuildSettingsPatch) {
    const named = Object.keys(patch.channel_overrides ?? {});
    if (named.length === 0) return;
    const channels = guildId === null ? stores.channels.listPrivateForUser(actor.user.id) : stores.channels.listForGuild(guildId);
    const known = new Set(channels.map((c) => c.id.toString()));
    const unknown = named.find((id) => !known.has(BigInt(id).toString()));
    if (unknown !== undefined) throw fieldError(`channel_overrides.${unknown}`, "Unknown channel", "UNKNOWN_CHANNEL");
  }

  return {
    /** `guildId` null: the DM entry (`/users/@me/guilds/@me/settings`). */
    update(actor: Actor, guildId: GuildId | null, patch: UserGuildSettingsPatch): UserGuildSettings {
      if (guildId !== null) access.guild(actor, guildId); // UNKNOWN_GUILD, or MISSING_ACCESS for a non-member
      checkOverrides(actor, guildId, patch);
      const saved = stores.userGuildSettings.patch(actor.user.id, guildId, toChanges(patch), defaultUserGuildSettings(guildId === null));
      bus.publish({
        type: "USER_GUILD_SETTINGS_UPDATE",
        audience: { kind: "users", userIds: [actor.user.id] },
        data: toUserGuildSettingsView(saved),
      });
      return saved;
    },
  };
}

export type UserGuildSettingsService = ReturnType<typeof createUserGuildSettingsService>;
