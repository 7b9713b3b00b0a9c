/** Channels on the wire (ChannelResponse). */
import type { Channel, User } from "../../storage/records.ts";
import { ChannelType } from "../../storage/records.ts";
import { toUserPartial } from "../users/user.views.ts";

const idOrNull = (id: bigint | null): string | null => (id === null ? null : id.toString());

/** `recipients` are the other users of a DM or group DM (never the viewer), as Discord sends them. */
export function toChannelView(channel: Channel, recipients: User[] = []) {
  const base = {
    id: channel.id.toString(),
    type: channel.type,
    last_message_id: idOrNull(channel.lastMessageId),
    last_pin_timestamp: channel.lastPinAt === null ? null : new Date(channel.lastPinAt).toISOString(),
  };
  if (channel.guildId === null) {
    return {
      ...base,
      ...(channel.type === ChannelType.groupDm
        ? { name: channel.name ?? "", icon: channel.icon, owner_id: idOrNull(channel.ownerId) }
        : {}),
      recipients: recipients.map(toUserPartial),
    };
  }
  return {
    ...base,
    guild_id: channel.guildId.toString(),
    name: channel.name ?? "",
    position: channel.position,
    parent_id: idOrNull(channel.parentId),
    permission_overwrites: channel.overwrites.map((o) => ({
      id: o.id.toString(),
      type: o.type,
      allow: o.allow.toString(),
      deny: o.deny.toString(),
    })),
    nsfw: channel.nsfw,
    rate_limit_per_user: channel.rateLimitPerUser,
    ...(channel.type === ChannelType.guildText ? { topic: channel.topic } : {}),
    ...(channel.type === ChannelType.guildVoice
      ? { bitrate: channel.bitrate, user_limit: channel.userLimit, rtc_region: channel.rtcRegion }
      : {}),
    ...(channel.type === ChannelType.guildLink ? { url: channel.url } : {}),
  };
}

export type ChannelView = ReturnType<typeof toChannelView>;
