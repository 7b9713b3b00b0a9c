/**
 * DMs and group DMs as their recipients see them, and the group-DM membership changes shared by
 * the recipients routes and group-DM invites: events to each recipient, system messages in the chat.
 */
import type { Deps } from "../../deps.ts";
import { AppError } from "../../errors.ts";
import type { UserId } from "../../ids.ts";
import { publicOrigin } from "../../public-urls.ts";
import { type Channel, ChannelType, type Message, type User } from "../../storage/records.ts";
import { attachmentPrefixOfChannel, prefixToDelete } from "../attachment-removal.ts";
import { toChannelView } from "../channels/channel.views.ts";
import { newChannelRecord } from "../channels/channel-records.ts";
import { placeholderUser, toMessageView } from "../messages/message.views.ts";
import { toUserPartial } from "../users/user.views.ts";

/** Everyone in a group DM, the owner included (Fluxer's default limit). */
export const MAX_GROUP_DM_RECIPIENTS = 10;

export const MessageType = { recipientAdd: 1, recipientRemove: 2 } as const;

export function createGroupDms(deps: Deps) {
  const { stores, bus, ids, clock } = deps;

  /** The channel as `viewer` sees it: `recipients` are the others, never the viewer. */
  function viewFor(channel: Channel, viewer: UserId, users: Map<UserId, User>) {
    const others = channel.recipientIds.filter((id) => id !== viewer).flatMap((id) => users.get(id) ?? []);
    return toChannelView(channel, others);
  }

  function view(channel: Channel, viewer: UserId) {
    return viewFor(channel, viewer, stores.users.getMany(channel.recipientIds));
  }

  /** CHANNEL_CREATE to each of `userIds`, each with its own view of the recipients. */
  function announce(type: "CHANNEL_CREATE" | "CHANNEL_UPDATE" | "CHANNEL_DELETE", channel: Channel, userIds: readonly UserId[]) {
    const users = stores.users.getMany(channel.recipientIds);
    for (const userId of userIds) {
      bus.publish({ type, audience: { kind: "users", userIds: [userId] }, data: viewFor(channel, userId, users) });
    }
  }

  /** A RECIPIENT_ADD/REMOVE line in the chat, as clients render the join or leave. */
  function systemMessage(channel: Channel, type: number, authorId: UserId, subject: UserId): Message {
    const message: Message = {
      id: ids.next(),
      channelId: channel.id,
      authorId,
      type,
      content: "",
      flags: 0,
      tts: false,
      mentionEveryone: false,
      mentionUserIds: [subject],
      mentionRoleIds: [],
      nonce: null,
      editedAt: null,
      pinnedAt: null,
      reference: null,
      attachments: [],
      embeds: [],
    };
    stores.messages.create(message);
    return message;
  }

  /** MESSAGE_CREATE for system lines, to whoever is in the channel now (after its CHANNEL_CREATE). */
  function announceMessages(channel: Channel, messages: Message[]) {
    if (messages.length === 0 || channel.recipientIds.length === 0) return;
    const users = stores.users.getMany([...new Set(messages.flatMap((m) => [m.authorId, ...m.mentionUserIds]))]);
    const userOf = (id: UserId) => users.get(id) ?? placeholderUser(id);
    for (const message of messages) {
      const view = toMessageView(message, {
        author: userOf(message.authorId),
        mentions: message.mentionUserIds.map(userOf),
        reactions: [],
        origin: publicOrigin(deps.config),
      });
      bus.publish({ type: "MESSAGE_CREATE", audience: { kind: "users", userIds: channel.recipientIds }, data: view });
    }
  }

  function recipientEvent(type: "CHANNEL_RECIPIENT_ADD" | "CHANNEL_RECIPIENT_REMOVE", channel: Channel, user: User, to: UserId[]) {
    if (to.length === 0) return;
    bus.publish({
      type,
      audience: { kind: "users", userIds: to },
      data: { channel_id: channel.id.toString(), user: toUserPartial(user) },
    });
  }

  return {
    view,
    announce,

    newChannel(type: number, ownerId: UserId | null, recipientIds: UserId[]): Channel {
      return newChannelRecord({ id: ids.next(), type, ownerId, recipientIds, createdAt: clock() });
    },

    systemMessage,
    announceMessages,

    /** Adds `user` to the group DM (no-op when already in it); `by` is who added them. */
    add(channel: Channel, user: User, by: UserId): Channel {
      if (channel.type !== ChannelType.groupDm) throw new AppError("INVALID_CHANNEL_TYPE");
      if (channel.recipientIds.includes(user.id)) return channel;
      if (channel.recipientIds.length >= MAX_GROUP_DM_RECIPIENTS) throw new AppError("MAX_GROUP_DM_RECIPIENTS");
      const before = channel.recipientIds;
      stores.channels.addRecipient(channel.id, user.id);
      const line = systemMessage(channel, MessageType.recipientAdd, by, user.id);
      const updated = stores.channels.get(channel.id) as Channel;
      announce("CHANNEL_CREATE", updated, [user.id]);
      recipientEvent("CHANNEL_RECIPIENT_ADD", updated, user, before);
      announceMessages(updated, [line]);
      return updated;
    },

    /** Takes `userId` out of the group DM; the last one out deletes it, an owner leaving hands it on. */
    async remove(channel: Channel, userId: UserId, by: UserId, silent: boolean): Promise<void> {
      const user = stores.users.get(userId);
      const remaining = channel.recipientIds.filter((id) => id !== userId);
      stores.channels.removeRecipient(channel.id, userId);
      if (remaining.length === 0) {
        stores.channels.delete(channel.id);
        announce("CHANNEL_DELETE", channel, [userId]);
        await deps.blobCleanup.remove([prefixToDelete(attachmentPrefixOfChannel(channel.id))]);
        return;
      }
      if (channel.ownerId === userId) stores.channels.update(channel.id, { ownerId: remaining[0] ?? null });
      const line = silent ? null : systemMessage(channel, MessageType.recipientRemove, by, userId);
      const updated = stores.channels.get(channel.id) as Channel;
      if (user) recipientEvent("CHANNEL_RECIPIENT_REMOVE", updated, user, remaining);
      if (channel.ownerId === userId) announce("CHANNEL_UPDATE", updated, remaining);
      if (line) announceMessages(updated, [line]);
      // The one who left no longer sees the channel at all.
      announce("CHANNEL_DELETE", channel, [userId]);
    },
  };
}

export type GroupDms = ReturnType<typeof createGroupDms>;
