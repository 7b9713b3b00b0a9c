/**
 * Reactions: unicode emoji by their text, custom emoji as `name:id` (none exist on this instance yet,
 * so those are unknown). One key per emoji (records.emojiKey), events to the channel's viewers.
 */
import type { Deps } from "../../deps.ts";
import { AppError } from "../../errors.ts";
import type { Actor } from "../../http/actor.ts";
import type { ChannelId, MessageId, UserId } from "../../ids.ts";
import { Permission } from "../../permissions.ts";
import { emojiKey, type Message, type User } from "../../storage/records.ts";
import type { FeatureContext } from "../context.ts";
import type { ChannelAccess } from "../guilds/access.ts";
import { toEmojiView } from "./message.views.ts";
import type { MessageEvents } from "./message-events.ts";
import { refuseTimedOut } from "./messages.service.ts";

export interface Emoji {
  emojiId: bigint | null;
  emojiName: string;
  animated: boolean;
}

const CUSTOM_EMOJI = /^(?:a:)?([^:]{1,32}):(\d{1,20})$/;
/** Unicode emoji: pictographs, flags, keycaps, joined by ZWJ and variation selectors; nothing else. */
const UNICODE_EMOJI = /^(?:\p{Emoji}|\p{Emoji_Component}|\u200d|\ufe0f|\u20e3)+$/u;
const PICTOGRAPH = /\p{Extended_Pictographic}|\p{Regional_Indicator}|\u20e3/u;

/** Parses the `{emoji}` path segment (already URL-decoded). */
export function parseEmoji(text: string): Emoji {
  if (CUSTOM_EMOJI.test(text) || /^\d{1,20}$/.test(text)) throw new AppError("UNKNOWN_EMOJI"); // no custom emoji exist yet
  if (text.length > 64 || !UNICODE_EMOJI.test(text) || !PICTOGRAPH.test(text)) throw new AppError("UNKNOWN_EMOJI");
  return { emojiId: null, emojiName: text, animated: false };
}

export interface ReactionUsersPage {
  users: User[];
  hasMore: boolean;
}

export function createReactionsService(context: FeatureContext, events: MessageEvents, deps: Deps = context.deps) {
  const { access } = context;
  const { stores, ids, config } = deps;

  function find(channelId: ChannelId, messageId: MessageId): Message {
    const message = stores.messages.get(channelId, messageId);
    if (!message) throw new AppError("UNKNOWN_MESSAGE");
    return message;
  }

  function announce(channelAccess: ChannelAccess, type: string, messageId: MessageId, data: Record<string, unknown>) {
    events.publish(channelAccess.channel, type, {
      channel_id: channelAccess.channel.id.toString(),
      message_id: messageId.toString(),
      ...data,
    });
  }

  /** Removing reactions of others is moderation. */
  function moderate(actor: Actor, channelId: ChannelId, messageId: MessageId) {
    const channelAccess = access.channelWith(actor, channelId, Permission.MANAGE_MESSAGES);
    return { channelAccess, message: find(channelId, messageId) };
  }

  return {
    /** Adding an emoji already on the message needs only READ_MESSAGE_HISTORY; a new one also ADD_REACTIONS. */
    add(actor: Actor, channelId: ChannelId, messageId: MessageId, emoji: Emoji) {
      const channelAccess = access.channelWith(actor, channelId, Permission.READ_MESSAGE_HISTORY);
      refuseTimedOut(channelAccess);
      find(channelId, messageId);
      const key = emojiKey(emoji);
      const present = stores.messages.reactionUsers(messageId, key, { limit: 1 }).length > 0;
      if (!present) {
        access.channelWith(actor, channelId, Permission.READ_MESSAGE_HISTORY | Permission.ADD_REACTIONS);
        if (stores.messages.countDistinctEmojis(messageId) >= config.limits.max_reactions_per_message) throw new AppError("MAX_REACTIONS");
      }
      const added = stores.messages.addReaction(channelId, messageId, { userId: actor.user.id, ...emoji, seq: ids.next() });
      if (!added) return;
      announce(channelAccess, "MESSAGE_REACTION_ADD", messageId, {
        user_id: actor.user.id.toString(),
        emoji: toEmojiView(emoji),
        ...events.memberOf(actor, channelAccess, true),
      });
    },

    removeOwn(actor: Actor, channelId: ChannelId, messageId: MessageId, emoji: Emoji) {
      const channelAccess = access.channel(actor, channelId);
      find(channelId, messageId);
      if (!stores.messages.removeReaction(messageId, emojiKey(emoji), actor.user.id)) return;
      announce(channelAccess, "MESSAGE_REACTION_REMOVE", messageId, { user_id: actor.user.id.toString(), emoji: toEmojiView(emoji) });
    },

    removeUser(actor: Actor, channelId: ChannelId, messageId: MessageId, emoji: Emoji, userId: UserId) {
      const { channelAccess } = moderate(actor, channelId, messageId);
      if (!stores.messages.removeReaction(messageId, emojiKey(emoji), userId)) return;
      announce(channelAccess, "MESSAGE_REACTION_REMOVE", messageId, { user_id: userId.toString(), emoji: toEmojiView(emoji) });
    },

    removeAll(actor: Actor, channelId: ChannelId, messageId: MessageId) {
      const { channelAccess } = moderate(actor, channelId, messageId);
      stores.messages.removeAllReactions(messageId);
      announce(channelAccess, "MESSAGE_REACTION_REMOVE_ALL", messageId, {});
    },

    removeEmoji(actor: Actor, channelId: ChannelId, messageId: MessageId, emoji: Emoji) {
      const { channelAccess } = moderate(actor, channelId, messageId);
      stores.messages.removeEmojiReactions(messageId, emojiKey(emoji));
      announce(channelAccess, "MESSAGE_REACTION_REMOVE_EMOJI", messageId, { emoji: toEmojiView(emoji) });
    },

    /** Users who reacted with the emoji, by user id, after `after`. */
    users(
      actor: Actor,
      channelId: ChannelId,
      messageId: MessageId,
      emoji: Emoji,
      query: { after?: UserId; limit: number },
    ): ReactionUsersPage {
      access.channelWith(actor, channelId, Permission.READ_MESSAGE_HISTORY);
      find(channelId, messageId);
      const userIds = stores.messages.reactionUsers(messageId, emojiKey(emoji), { after: query.after, limit: query.limit + 1 });
      const page = userIds.slice(0, query.limit);
      const users = stores.users.getMany(page);
      return { users: page.flatMap((id) => users.get(id) ?? []), hasMore: userIds.length > query.limit };
    },
  };
}

export type ReactionsService = ReturnType<typeof createReactionsService>;
