/** New channel rows: one place for the fields every guild channel, DM or group DM starts with empty. */
import type { Channel } from "../../storage/records.ts";

export type NewChannelFields = Pick<Channel, "id" | "type" | "createdAt"> & Partial<Channel>;

/** A channel outside any guild, without a name, parent, overwrites or recipients unless `fields` set them. */
export function newChannelRecord(fields: NewChannelFields): Channel {
  return {
    guildId: null,
    name: null,
    topic: null,
    url: null,
    icon: null,
    ownerId: null,
    position: 0,
    parentId: null,
    bitrate: null,
    userLimit: null,
    rtcRegion: null,
    nsfw: false,
    rateLimitPerUser: 0,
    lastMessageId: null,
    lastPinAt: null,
    overwrites: [],
    recipientIds: [],
    ...fields,
  };
}
