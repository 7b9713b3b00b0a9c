/** Messages on the wire (MessageResponseSchema) and the pieces inside them. */

import { snowflakeTime } from "../../ids.ts";
import type { Attachment, Message, ReactionCount, User } from "../../storage/records.ts";
import { toUserPartial } from "../users/user.views.ts";
import { newUserRecord } from "../users/user-records.ts";
import { toEmbedView } from "./embeds.ts";

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** `origin` is the instance's public origin: attachment URLs are absolute, as Discord's CDN URLs are. */
export function toAttachmentView(attachment: Attachment, origin: string) {
  const url = `${origin}/media/${attachment.storageKey}`;
  return {
    id: attachment.id.toString(),
    filename: attachment.filename,
    title: attachment.title,
    description: attachment.description,
    content_type: attachment.contentType,
    size: attachment.size,
    url,
    proxy_url: url,
    width: attachment.width,
    height: attachment.height,
    flags: attachment.flags,
  };
}

export function toEmojiView(emoji: { emojiId: bigint | null; emojiName: string; animated: boolean }) {
  return { id: emoji.emojiId === null ? null : emoji.emojiId.toString(), name: emoji.emojiName, animated: emoji.animated };
}

export function toReactionView(reaction: ReactionCount) {
  return { emoji: toEmojiView(reaction), count: reaction.count, me: reaction.me };
}

/** A user that no longer exists still renders, as Discord's "Deleted User". */
export function placeholderUser(id: bigint): User {
  const { passwordHash: _unused, ...user } = newUserRecord({ id, username: "Deleted User", discriminator: "0000", createdAt: 0 });
  return { ...user, passwordChangedAt: null };
}

export interface MessageViewParts {
  author: User;
  mentions: User[];
  reactions: ReactionCount[];
  origin: string;
  /** Present for replies: the replied message's view (itself without one), or null when it is gone. */
  referenced?: object | null;
}

export function toMessageView(message: Message, parts: MessageViewParts) {
  return {
    id: message.id.toString(),
    channel_id: message.channelId.toString(),
    author: toUserPartial(parts.author),
    type: message.type,
    flags: message.flags,
    content: message.content,
    timestamp: snowflakeTime(message.id).toISOString(),
    edited_timestamp: iso(message.editedAt),
    pinned: message.pinnedAt !== null,
    mention_everyone: message.mentionEveryone,
    tts: message.tts,
    mentions: parts.mentions.map(toUserPartial),
    mention_roles: message.mentionRoleIds.map(String),
    embeds: message.embeds.map(toEmbedView),
    attachments: message.attachments.map((attachment) => toAttachmentView(attachment, parts.origin)),
    stickers: [],
    // Discord leaves `reactions` out of a message nobody has reacted to.
    ...(parts.reactions.length > 0 ? { reactions: parts.reactions.map(toReactionView) } : {}),
    ...(message.reference
      ? {
          message_reference: {
            channel_id: message.reference.channelId.toString(),
            message_id: message.reference.messageId.toString(),
            guild_id: message.reference.guildId === null ? null : message.reference.guildId.toString(),
            type: message.reference.type,
          },
        }
      : {}),
    ...(parts.referenced !== undefined ? { referenced_message: parts.referenced } : {}),
    ...(message.nonce !== null ? { nonce: message.nonce } : {}),
  };
}

export type MessageView = ReturnType<typeof toMessageView>;
