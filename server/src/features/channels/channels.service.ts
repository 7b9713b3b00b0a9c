/**
 * Guild channels: list, create, read, update, delete. MANAGE_CHANNELS for changes (MANAGE_ROLES too
 * when overwrites change); every change is audited and announced to those who can see the channel.
 * DMs are readable here; changing or leaving them belongs to the DM feature.
 */
import { AppError, fieldError } from "../../errors.ts";
import type { Actor } from "../../http/actor.ts";
import type { ChannelId, GuildId } from "../../ids.ts";
import { Permission } from "../../permissions.ts";
import { type Channel, ChannelType, type Guild } from "../../storage/records.ts";
import { attachmentPrefixOfChannel, prefixToDelete } from "../attachment-removal.ts";
import type { FeatureContext } from "../context.ts";
import { AuditAction } from "../guilds/audit.ts";
import { auditChanges, changesOrNull } from "../guilds/audit-changes.ts";
import { toGuildView } from "../guilds/guild.views.ts";
import { visibleChannels } from "../guilds/guild-snapshot.ts";
import type { ChannelCreateInput, ChannelUpdateInput } from "./channel.schemas.ts";
import { toChannelView } from "./channel.views.ts";
import { textChannelName } from "./channel-names.ts";
import { newChannelRecord } from "./channel-records.ts";
import type { OverwritesService } from "./overwrites.service.ts";

export const CHANNEL_AUDIT_KEYS = [
  "name",
  "type",
  "topic",
  "url",
  "position",
  "parent_id",
  "nsfw",
  "rate_limit_per_user",
  "bitrate",
  "user_limit",
  "rtc_region",
];

const DEFAULT_VOICE_BITRATE = 64_000;
const isVoice = (type: number) => type === ChannelType.guildVoice;
const isText = (type: number) => type === ChannelType.guildText;

export function createChannelsService({ deps, access, audit }: FeatureContext, overwrites: OverwritesService) {
  const { stores, bus, ids, clock, config } = deps;

  function publish(type: string, channel: Channel) {
    const guildId = channel.guildId as GuildId;
    bus.publish({ type, audience: { kind: "guild", guildId, channelId: channel.id }, data: toChannelView(channel) });
  }

  /** A parent must be a category of the same guild, and a category has none. */
  function checkParent(guildId: GuildId, type: number, parentId: ChannelId, path: string) {
    if (type === ChannelType.guildCategory)
      throw fieldError(path, "A category cannot be inside another category", "INVALID_CHANNEL_PARENT");
    const parent = stores.channels.get(parentId);
    if (!parent || parent.guildId !== guildId || parent.type !== ChannelType.guildCategory) {
      throw fieldError(path, "The parent must be a category of this guild", "INVALID_CHANNEL_PARENT");
    }
    return parent;
  }

  /** New channels go to the bottom of their category (categories: below the other categories). */
  function nextPosition(guildId: GuildId, type: number, parentId: ChannelId | null): number {
    const siblings = stores.channels
      .listForGuild(guildId)
      .filter((c) =>
        type === ChannelType.guildCategory ? c.type === type : c.parentId === parentId && c.type !== ChannelType.guildCategory,
      );
    return siblings.reduce((top, c) => Math.max(top, c.position + 1), 0);
  }

  /** Guild settings that pointed at a deleted channel are cleared, and the guild is told. */
  function forgetChannel(guild: Guild, channelId: ChannelId) {
    const patch: Partial<Guild> = {};
    if (guild.systemChannelId === channelId) patch.systemChannelId = null;
    if (guild.rulesChannelId === channelId) patch.rulesChannelId = null;
    if (guild.afkChannelId === channelId) patch.afkChannelId = null;
    if (Object.keys(patch).length === 0) return;
    const updated = stores.guilds.update(guild.id, patch);
    bus.publish({
      type: "GUILD_UPDATE",
      audience: { kind: "guild", guildId: guild.id },
      data: { ...toGuildView(updated), guild_id: updated.id.toString() },
    });
  }

  return {
    list(actor: Actor, guildId: GuildId) {
      return visibleChannels(stores, access.guild(actor, guildId)).map((channel) => toChannelView(channel));
    },

    create(actor: Actor, guildId: GuildId, input: ChannelCreateInput, reason: string | null) {
      const explicit = input.permission_overwrites;
      const wanted = Permission.MANAGE_CHANNELS | (explicit?.length ? Permission.MANAGE_ROLES : 0n);
      const view = access.guildWith(actor, guildId, wanted);
      if (stores.channels.countForGuild(guildId) >= config.limits.max_channels_per_guild) throw new AppError("MAX_GUILD_CHANNELS");
      const parent = input.parent_id ? checkParent(guildId, input.type, input.parent_id, "parent_id") : null;
      if (input.type === ChannelType.guildLink && !input.url) throw fieldError("url", "A link channel needs a URL", "BASE_TYPE_REQUIRED");
      const channel: Channel = newChannelRecord({
        id: ids.next(),
        guildId,
        type: input.type,
        name: isText(input.type) ? textChannelName(view.guild, input.name) : input.name,
        topic: isText(input.type) ? (input.topic ?? null) : null,
        url: input.type === ChannelType.guildLink ? (input.url ?? null) : null,
        position: input.position ?? nextPosition(guildId, input.type, parent?.id ?? null),
        parentId: parent?.id ?? null,
        bitrate: isVoice(input.type) ? (input.bitrate ?? DEFAULT_VOICE_BITRATE) : null,
        userLimit: isVoice(input.type) ? (input.user_limit ?? 0) : null,
        nsfw: input.nsfw ?? false,
        rateLimitPerUser: isText(input.type) || isVoice(input.type) ? (input.rate_limit_per_user ?? 0) : 0,
        // Without explicit overwrites a channel follows its category, as in Discord.
        overwrites: parent && !explicit ? parent.overwrites : [],
        createdAt: clock(),
      });
      if (explicit) {
        for (const [i, o] of explicit.entries()) overwrites.checkTarget(guildId, o, `permission_overwrites.${i}.id`);
        channel.overwrites = explicit.map(overwrites.normalise);
        for (const o of channel.overwrites) overwrites.checkGrant(view, view.permissions, undefined, o);
      }
      stores.channels.create(channel);
      const changes = auditChanges(null, toChannelView(channel), CHANNEL_AUDIT_KEYS);
      audit.record({ guildId, userId: actor.user.id, action: AuditAction.CHANNEL_CREATE, targetId: channel.id, reason, changes });
      publish("CHANNEL_CREATE", channel);
      return toChannelView(channel);
    },

    get(actor: Actor, channelId: ChannelId) {
      const { channel } = access.channel(actor, channelId);
      if (channel.guildId !== null) return toChannelView(channel);
      const others = channel.recipientIds.filter((id) => id !== actor.user.id);
      return toChannelView(channel, [...stores.users.getMany(others).values()]);
    },

    update(actor: Actor, channelId: ChannelId, input: ChannelUpdateInput, reason: string | null) {
      if (!access.channel(actor, channelId).guild) throw new AppError("CANNOT_EXECUTE_ON_DM");
      const wantsOverwrites = input.permission_overwrites !== undefined && input.permission_overwrites !== null;
      const wanted = Permission.MANAGE_CHANNELS | (wantsOverwrites ? Permission.MANAGE_ROLES : 0n);
      const view = access.channelWith(actor, channelId, wanted);
      const { channel } = view;
      const guild = view.guild as NonNullable<typeof view.guild>;
      const guildId = guild.guild.id;
      if (input.type !== undefined && input.type !== channel.type) {
        throw fieldError("type", "A channel's type cannot be changed", "INVALID_CHANNEL_TYPE");
      }
      const patch: Partial<Channel> = {};
      if (input.name != null) patch.name = isText(channel.type) ? textChannelName(guild.guild, input.name) : input.name;
      if (input.topic !== undefined && isText(channel.type)) patch.topic = input.topic;
      if (input.url != null && channel.type === ChannelType.guildLink) patch.url = input.url;
      if (input.nsfw != null) patch.nsfw = input.nsfw;
      if (input.rate_limit_per_user != null && (isText(channel.type) || isVoice(channel.type))) {
        patch.rateLimitPerUser = input.rate_limit_per_user;
      }
      if (input.position != null) patch.position = input.position;
      if (input.parent_id !== undefined) {
        patch.parentId = input.parent_id === null ? null : checkParent(guildId, channel.type, input.parent_id, "parent_id").id;
      }
      if (isVoice(channel.type)) {
        if (input.bitrate != null) patch.bitrate = input.bitrate;
        if (input.user_limit != null) patch.userLimit = input.user_limit;
        if (input.rtc_region !== undefined) {
          if (!(view.permissions & Permission.UPDATE_RTC_REGION)) throw new AppError("MISSING_PERMISSIONS");
          patch.rtcRegion = input.rtc_region;
        }
      }
      // Overwrites are checked against what the actor may do in the channel before anything is written.
      const overwriteChanges = wantsOverwrites
        ? overwrites.planReplace(guild, view.permissions, channel, input.permission_overwrites ?? [])
        : [];
      const updated = stores.channels.update(channelId, patch);
      const changes = auditChanges(toChannelView(channel), toChannelView(updated), CHANNEL_AUDIT_KEYS);
      if (changes.length > 0) {
        audit.record({ guildId, userId: actor.user.id, action: AuditAction.CHANNEL_UPDATE, targetId: channelId, reason, changes });
      }
      overwrites.applyChanges(actor, updated, overwriteChanges, reason);
      const result = overwriteChanges.length > 0 ? (stores.channels.get(channelId) as Channel) : updated;
      if (changes.length > 0 || overwriteChanges.length > 0) publish("CHANNEL_UPDATE", result);
      return toChannelView(result);
    },

    async delete(actor: Actor, channelId: ChannelId, reason: string | null) {
      if (!access.channel(actor, channelId).guild) throw new AppError("CANNOT_EXECUTE_ON_DM");
      const view = access.channelWith(actor, channelId, Permission.MANAGE_CHANNELS);
      const { channel } = view;
      const guild = (view.guild as NonNullable<typeof view.guild>).guild;
      const children = stores.channels.listForGuild(guild.id).filter((c) => c.parentId === channelId);
      stores.channels.delete(channelId);
      const changes = changesOrNull(auditChanges(toChannelView(channel), null, CHANNEL_AUDIT_KEYS));
      audit.record({ guildId: guild.id, userId: actor.user.id, action: AuditAction.CHANNEL_DELETE, targetId: channelId, reason, changes });
      publish("CHANNEL_DELETE", channel);
      // A deleted category's channels stay, now without a parent.
      for (const child of children) publish("CHANNEL_UPDATE", { ...child, parentId: null });
      forgetChannel(guild, channelId);
      // The rows are gone; their files follow (the whole channel folder, strays included).
      await deps.blobCleanup.remove([prefixToDelete(attachmentPrefixOfChannel(channelId))]);
    },
  };
}

export type ChannelsService = ReturnType<typeof createChannelsService>;
