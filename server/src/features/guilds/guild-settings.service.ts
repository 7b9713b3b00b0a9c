/** Guild settings (PATCH /guilds/{id}) and the vanity URL: MANAGE_GUILD, audited, announced with GUILD_UPDATE. */
import { AppError, fieldError } from "../../errors.ts";
import type { Actor } from "../../http/actor.ts";
import type { ChannelId, GuildId } from "../../ids.ts";
import { Permission } from "../../permissions.ts";
import { ChannelType, type Guild } from "../../storage/records.ts";
import { toChannelView } from "../channels/channel.views.ts";
import { FLEXIBLE_NAMES, normalizeTextChannelName } from "../channels/channel-names.ts";
import type { FeatureContext } from "../context.ts";
import { AuditAction } from "./audit.ts";
import { auditChanges } from "./audit-changes.ts";
import { toGuildView } from "./guild.views.ts";
import { guildSnapshot } from "./guild-snapshot.ts";

export interface GuildPatchInput {
  name?: string;
  icon?: string | null;
  banner?: string | null;
  splash?: string | null;
  embed_splash?: string | null;
  system_channel_id?: ChannelId | null;
  rules_channel_id?: ChannelId | null;
  afk_channel_id?: ChannelId | null;
  afk_timeout?: number;
  system_channel_flags?: number;
  verification_level?: number;
  default_message_notifications?: number;
  explicit_content_filter?: number;
  mfa_level?: number;
  nsfw_level?: number;
  nsfw?: boolean;
  features?: string[];
}

/** Features a guild's managers may switch on and off themselves (as upstream); the rest are kept as they are. */
const TOGGLEABLE_FEATURES = new Set([
  "INVITES_DISABLED",
  FLEXIBLE_NAMES,
  "DETACHED_BANNER",
  "CLONE_EMOJI_DISABLED",
  "CLONE_STICKER_DISABLED",
  "HIDE_OWNER_CROWN",
]);
const SUPPORTED_SYSTEM_CHANNEL_FLAGS = 1; // SUPPRESS_JOIN_NOTIFICATIONS
const NSFW_AGE_RESTRICTED = 3;

const AUDIT_KEYS = [
  "name",
  "icon",
  "owner_id",
  "system_channel_id",
  "system_channel_flags",
  "rules_channel_id",
  "afk_channel_id",
  "afk_timeout",
  "verification_level",
  "mfa_level",
  "nsfw_level",
  "nsfw",
  "explicit_content_filter",
  "default_message_notifications",
  "features",
  "vanity_url_code",
];

export function createGuildSettingsService({ deps, access, audit }: FeatureContext) {
  const { stores, bus } = deps;

  /** A channel setting must name a channel of this guild, of the right type. */
  function channelSetting(guild: Guild, field: string, id: ChannelId | null, type: number, kind: string): ChannelId | null {
    if (id === null) return null;
    const channel = stores.channels.get(id);
    if (!channel || channel.guildId !== guild.id) throw fieldError(field, "The channel is not a channel of this guild", "UNKNOWN_CHANNEL");
    if (channel.type !== type) throw fieldError(field, `The channel must be a ${kind} channel`, "INVALID_CHANNEL_TYPE");
    return id;
  }

  function nextFeatures(current: string[], desired: string[]): string[] {
    const wanted = new Set(desired);
    for (const feature of wanted) {
      if (!current.includes(feature) && !TOGGLEABLE_FEATURES.has(feature)) {
        throw fieldError("features", `The feature ${feature} cannot be switched on here`, "GUILD_FEATURE_NOT_TOGGLEABLE");
      }
    }
    const kept = current.filter((feature) => wanted.has(feature) || !TOGGLEABLE_FEATURES.has(feature));
    return [...kept, ...[...wanted].filter((feature) => !current.includes(feature))];
  }

  /** Writes the change, records it and tells the guild. */
  function commit(actor: Actor, before: Guild, patch: Partial<Guild>, reason: string | null): Guild {
    const updated = stores.guilds.update(before.id, patch);
    const changes = auditChanges(toGuildView(before), toGuildView(updated), AUDIT_KEYS);
    if (changes.length === 0) return updated;
    audit.record({ guildId: before.id, userId: actor.user.id, action: AuditAction.GUILD_UPDATE, targetId: before.id, reason, changes });
    bus.publish({
      type: "GUILD_UPDATE",
      audience: { kind: "guild", guildId: before.id },
      data: { ...toGuildView(updated), guild_id: updated.id.toString() },
    });
    return updated;
  }

  /** Without flexible names, text channel names go back to the strict form (as upstream does). */
  function tightenTextChannelNames(guildId: GuildId) {
    for (const channel of stores.channels.listForGuild(guildId)) {
      if (channel.type !== ChannelType.guildText || channel.name === null) continue;
      const name = normalizeTextChannelName(channel.name);
      if (name === channel.name) continue;
      const updated = stores.channels.update(channel.id, { name });
      bus.publish({ type: "CHANNEL_UPDATE", audience: { kind: "guild", guildId, channelId: channel.id }, data: toChannelView(updated) });
    }
  }

  return {
    update(actor: Actor, guildId: GuildId, input: GuildPatchInput, reason: string | null) {
      const { guild } = access.guildWith(actor, guildId, Permission.MANAGE_GUILD);
      for (const field of ["icon", "banner", "splash", "embed_splash"] as const) {
        if (input[field]) throw fieldError(field, "Guild images cannot be uploaded on this instance yet", "FEATURE_NOT_AVAILABLE");
      }
      const patch: Partial<Guild> = {};
      if (input.name !== undefined) patch.name = input.name;
      if (input.icon === null) patch.icon = null;
      if (input.banner === null) patch.banner = null;
      if (input.splash === null) patch.splash = null;
      if (input.system_channel_id !== undefined) {
        patch.systemChannelId = channelSetting(guild, "system_channel_id", input.system_channel_id, ChannelType.guildText, "text");
      }
      if (input.rules_channel_id !== undefined) {
        patch.rulesChannelId = channelSetting(guild, "rules_channel_id", input.rules_channel_id, ChannelType.guildText, "text");
      }
      if (input.afk_channel_id !== undefined) {
        patch.afkChannelId = channelSetting(guild, "afk_channel_id", input.afk_channel_id, ChannelType.guildVoice, "voice");
      }
      if (input.afk_timeout !== undefined) patch.afkTimeout = input.afk_timeout;
      if (input.system_channel_flags !== undefined) patch.systemChannelFlags = input.system_channel_flags & SUPPORTED_SYSTEM_CHANNEL_FLAGS;
      if (input.verification_level !== undefined) patch.verificationLevel = input.verification_level;
      if (input.default_message_notifications !== undefined) patch.defaultMessageNotifications = input.default_message_notifications;
      if (input.explicit_content_filter !== undefined) patch.explicitContentFilter = input.explicit_content_filter;
      if (input.mfa_level !== undefined && input.mfa_level !== guild.mfaLevel) {
        // Upstream: only the owner, and only with two-factor enabled, which this instance does not offer.
        if (guild.ownerId !== actor.user.id) throw new AppError("MISSING_PERMISSIONS");
        if (input.mfa_level !== 0)
          throw fieldError("mfa_level", "Two-factor authentication is not available on this instance", "TWO_FA_NOT_ENABLED");
        patch.mfaLevel = 0;
      }
      if (input.nsfw !== undefined) patch.nsfwLevel = input.nsfw ? NSFW_AGE_RESTRICTED : 0;
      else if (input.nsfw_level !== undefined) patch.nsfwLevel = input.nsfw_level;
      if (input.features !== undefined) patch.features = nextFeatures(guild.features, input.features);
      const updated = commit(actor, guild, patch, reason);
      if (guild.features.includes(FLEXIBLE_NAMES) && !updated.features.includes(FLEXIBLE_NAMES)) tightenTextChannelNames(guildId);
      return guildSnapshot(stores, access.guild(actor, guildId));
    },

    getVanityUrl(actor: Actor, guildId: GuildId) {
      const { guild } = access.guildWith(actor, guildId, Permission.MANAGE_GUILD);
      // Uses are not counted here: joins through a vanity code go through the invites feature.
      return { code: guild.vanityUrlCode, uses: 0 };
    },

    updateVanityUrl(actor: Actor, guildId: GuildId, code: string | null, reason: string | null) {
      const { guild } = access.guildWith(actor, guildId, Permission.MANAGE_GUILD);
      if (code !== null && code !== guild.vanityUrlCode) {
        const holder = stores.guilds.findByVanityCode(code);
        // A vanity code shares the invite namespace, so an invite code counts as taken too.
        if ((holder && holder.id !== guildId) || stores.invites.get(code)) {
          throw fieldError("code", "This vanity URL is already taken", "VANITY_URL_CODE_ALREADY_TAKEN");
        }
      }
      const updated = commit(actor, guild, { vanityUrlCode: code }, reason);
      return { code: updated.vanityUrlCode };
    },
  };
}

export type GuildSettingsService = ReturnType<typeof createGuildSettingsService>;
