/**
 * A new guild with upstream's default layout (two categories, #general and a voice channel), its
 * @everyone role and the owner's membership: what `GuildStore.create` writes in one go.
 */
import { type ChannelId, everyoneRoleId, type GuildId, type UserId } from "../../ids.ts";
import { DEFAULT_EVERYONE_PERMISSIONS } from "../../permissions.ts";
import type { GuildSeed } from "../../storage/ports.ts";
import { type Channel, ChannelType, type Guild } from "../../storage/records.ts";
import { newChannelRecord } from "../channels/channel-records.ts";

/** What a new guild has unless `empty_features` is asked for (upstream's base set, plus the vanity URL every guild may set here). */
const DEFAULT_FEATURES = ["ANIMATED_ICON", "ANIMATED_BANNER", "BANNER", "INVITE_SPLASH", "VANITY_URL"];
const DEFAULT_VOICE_BITRATE = 64_000;

export interface NewGuildInput {
  name: string;
  ownerId: UserId;
  emptyFeatures?: boolean;
  now: number;
  nextId(): bigint;
}

export function newGuildSeed({ name, ownerId, emptyFeatures, now, nextId }: NewGuildInput): GuildSeed {
  const guildId: GuildId = nextId();
  const newChannel = (fields: Partial<Channel> & Pick<Channel, "type" | "name">): Channel =>
    newChannelRecord({ id: nextId(), guildId, createdAt: now, ...fields });
  const textCategory = newChannel({ type: ChannelType.guildCategory, name: "Text Channels", position: 0 });
  const voiceCategory = newChannel({ type: ChannelType.guildCategory, name: "Voice Channels", position: 1 });
  const general = newChannel({ type: ChannelType.guildText, name: "general", parentId: textCategory.id });
  const voice = newChannel({
    type: ChannelType.guildVoice,
    name: "General",
    parentId: voiceCategory.id,
    bitrate: DEFAULT_VOICE_BITRATE,
    userLimit: 0,
  });
  const guild: Guild = {
    id: guildId,
    name,
    icon: null,
    banner: null,
    splash: null,
    ownerId,
    systemChannelId: general.id as ChannelId,
    systemChannelFlags: 0,
    rulesChannelId: null,
    afkChannelId: null,
    afkTimeout: 300,
    verificationLevel: 0,
    mfaLevel: 0,
    nsfwLevel: 0,
    explicitContentFilter: 0,
    defaultMessageNotifications: 0,
    disabledOperations: 0,
    vanityUrlCode: null,
    features: emptyFeatures ? [] : DEFAULT_FEATURES,
    createdAt: now,
  };
  return {
    guild,
    everyoneRole: {
      id: everyoneRoleId(guildId),
      guildId,
      name: "@everyone",
      color: 0,
      position: 0,
      hoistPosition: null,
      permissions: DEFAULT_EVERYONE_PERMISSIONS,
      hoist: false,
      mentionable: false,
      unicodeEmoji: null,
    },
    channels: [textCategory, voiceCategory, general, voice],
    owner: {
      guildId,
      userId: ownerId,
      nick: null,
      avatar: null,
      roleIds: [],
      joinedAt: now,
      communicationDisabledUntil: null,
      mute: false,
      deaf: false,
    },
  };
}
