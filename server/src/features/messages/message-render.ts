/**
 * Turns stored messages into their wire views for one viewer, loading what they point at
 * (authors, mentioned users, reactions, replied messages) in a few batched reads.
 */
import type { Deps } from "../../deps.ts";
import type { MessageId, UserId } from "../../ids.ts";
import { publicOrigin } from "../../public-urls.ts";
import type { Message, User } from "../../storage/records.ts";
import { type MessageView, placeholderUser, toMessageView } from "./message.views.ts";

export function createMessageRenderer(deps: Deps) {
  const { stores } = deps;
  // Read when rendering, not when built: with port 0 the origin is known only once the server listens.
  const origin = () => publicOrigin(deps.config);

  function views(messages: readonly Message[], viewer: UserId, referenced: Map<MessageId, Message> | null): MessageView[] {
    const userIds = new Set<UserId>();
    for (const message of messages) {
      userIds.add(message.authorId);
      for (const id of message.mentionUserIds) userIds.add(id);
    }
    const users = stores.users.getMany([...userIds]);
    const userOf = (id: UserId): User => users.get(id) ?? placeholderUser(id);
    const reactions = stores.messages.reactionCounts(
      messages.map((message) => message.id),
      viewer,
    );
    let replied = new Map<MessageId, MessageView>();
    if (referenced && referenced.size > 0) {
      const nested = views([...referenced.values()], viewer, null);
      replied = new Map(nested.map((view) => [BigInt(view.id), view]));
    }
    return messages.map((message) => {
      const isReply = message.type === 19 && message.reference !== null && referenced !== null;
      return toMessageView(message, {
        author: userOf(message.authorId),
        mentions: message.mentionUserIds.map(userOf),
        reactions: reactions.get(message.id) ?? [],
        origin: origin(),
        ...(isReply ? { referenced: replied.get(message.reference?.messageId as bigint) ?? null } : {}),
      });
    });
  }

  /** The replied messages of a page, one read per channel (replies stay in their channel). */
  function repliedTo(messages: readonly Message[]): Map<MessageId, Message> {
    const byChannel = new Map<bigint, MessageId[]>();
    for (const message of messages) {
      if (message.type !== 19 || !message.reference) continue;
      const list = byChannel.get(message.reference.channelId) ?? [];
      list.push(message.reference.messageId);
      byChannel.set(message.reference.channelId, list);
    }
    const found = new Map<MessageId, Message>();
    for (const [channelId, ids] of byChannel) {
      for (const [id, message] of stores.messages.getMany(channelId, ids)) found.set(id, message);
    }
    return found;
  }

  return {
    /** Views of a page of messages, replies with their `referenced_message`. */
    many(messages: readonly Message[], viewer: UserId): MessageView[] {
      return views(messages, viewer, repliedTo(messages));
    },
    one(message: Message, viewer: UserId): MessageView {
      return views([message], viewer, repliedTo([message]))[0] as MessageView;
    },
    /**
     * The view of a message its author just sent, as `one` gives it without re-reading what the
     * sender already holds: the author, the replied message, and the reactions (a new message has none).
     */
    created(message: Message, author: User, referenced: Message | null): MessageView {
      const others = message.mentionUserIds.filter((id) => id !== author.id);
      const users = others.length > 0 ? stores.users.getMany(others) : new Map<UserId, User>();
      users.set(author.id, author);
      const userOf = (id: UserId): User => users.get(id) ?? placeholderUser(id);
      const isReply = message.type === 19 && message.reference !== null;
      const replied = isReply && referenced ? (views([referenced], author.id, null)[0] ?? null) : null;
      return toMessageView(message, {
        author,
        mentions: message.mentionUserIds.map(userOf),
        reactions: [],
        origin: origin(),
        ...(isReply ? { referenced: replied } : {}),
      });
    },
  };
}

export type MessageRenderer = ReturnType<typeof createMessageRenderer>;
