/** Reading, editing and deleting messages, and typing: each call checks access first, then writes and announces. */

import type { Deps } from "../../deps.ts";
import { AppError, fieldError } from "../../errors.ts";
import type { Actor } from "../../http/actor.ts";
import { type ChannelId, type MessageId, snowflakeAt } from "../../ids.ts";
import { has, isTimedOut, Permission } from "../../permissions.ts";
import type { Message } from "../../storage/records.ts";
import type { FeatureContext } from "../context.ts";
import { type ChannelAccess, isTextLike } from "../guilds/access.ts";
import { AuditAction } from "../guilds/audit.ts";
import type { AttachmentFiles } from "./attachment-files.ts";
import type { EmbedRequest } from "./embeds.ts";
import type { AllowedMentions, MentionResolver } from "./mentions.ts";
import type { MessageView } from "./message.views.ts";
import type { MessageEvents } from "./message-events.ts";
import type { MessageRenderer } from "./message-render.ts";
import { CLIENT_MESSAGE_FLAGS, embedRecords, MessageType } from "./message-send.service.ts";

/** Discord refuses to bulk-delete messages older than two weeks. */
const BULK_DELETE_MAX_AGE_MS = 14 * 24 * 60 * 60 * 1000;

export interface HistoryQuery {
  before?: MessageId;
  after?: MessageId;
  around?: MessageId;
  limit: number;
}

export interface EditInput {
  content?: string | null;
  flags?: number;
  allowed_mentions?: AllowedMentions | null;
  embeds?: EmbedRequest[] | null;
}

interface Parts {
  render: MessageRenderer;
  mentions: MentionResolver;
  events: MessageEvents;
  files: AttachmentFiles;
}

/** Timed-out members may still read, but not change anything. */
export function refuseTimedOut(channelAccess: ChannelAccess) {
  const guild = channelAccess.guild;
  if (guild && isTimedOut(guild.member, guild.now)) throw new AppError("COMMUNICATION_DISABLED");
}

export function createMessagesService(context: FeatureContext, parts: Parts, deps: Deps = context.deps) {
  const { access, audit } = context;
  const { stores, clock } = deps;

  function find(channelId: ChannelId, messageId: MessageId): Message {
    const message = stores.messages.get(channelId, messageId);
    if (!message) throw new AppError("UNKNOWN_MESSAGE");
    return message;
  }

  async function removeFiles(messages: Iterable<Message>) {
    const keys = [...messages].flatMap((message) => message.attachments.map((attachment) => attachment.storageKey));
    if (keys.length > 0) await parts.files.remove(keys);
  }

  return {
    get(actor: Actor, channelId: ChannelId, messageId: MessageId): MessageView {
      access.channelWith(actor, channelId, Permission.READ_MESSAGE_HISTORY);
      return parts.render.one(find(channelId, messageId), actor.user.id);
    },

    list(actor: Actor, channelId: ChannelId, query: HistoryQuery): MessageView[] {
      access.channelWith(actor, channelId, Permission.READ_MESSAGE_HISTORY);
      return parts.render.many(stores.messages.list(channelId, query), actor.user.id);
    },

    /** Authors edit their messages; others with MANAGE_MESSAGES may only change flags (suppress embeds). */
    edit(actor: Actor, channelId: ChannelId, messageId: MessageId, input: EditInput): MessageView {
      const channelAccess = access.channel(actor, channelId);
      refuseTimedOut(channelAccess);
      const message = find(channelId, messageId);
      const isAuthor = message.authorId === actor.user.id;
      const editsContent = input.content !== undefined || input.allowed_mentions !== undefined || input.embeds !== undefined;
      const mayEdit = isAuthor
        ? message.type === MessageType.default || message.type === MessageType.reply
        : !editsContent && has(channelAccess.permissions, Permission.MANAGE_MESSAGES);
      if (!mayEdit) throw new AppError("CANNOT_EDIT_OTHER_USER_MESSAGE");

      const patch: Parameters<typeof stores.messages.update>[2] = {};
      if (input.flags !== undefined) patch.flags = (message.flags & ~CLIENT_MESSAGE_FLAGS) | (input.flags & CLIENT_MESSAGE_FLAGS);
      // Only a real change of what readers see marks the message edited (clients resend unchanged text).
      let changed = false;
      if (input.embeds !== undefined) {
        patch.embeds = embedRecords(input.embeds);
        changed ||= JSON.stringify(patch.embeds) !== JSON.stringify(message.embeds);
      }
      if (input.content !== undefined) {
        const content = input.content ?? "";
        const embeds = patch.embeds ?? message.embeds;
        if (content.trim() === "" && message.attachments.length === 0 && embeds.length === 0)
          throw new AppError("CANNOT_SEND_EMPTY_MESSAGE");
        // Re-parsed; a reply keeps the ping of its replied author, which was decided when it was sent.
        const mentions = parts.mentions.resolve(channelAccess, content, input.allowed_mentions);
        const ref = message.type === MessageType.reply ? message.reference : null;
        const repliedAuthor = ref ? stores.messages.get(ref.channelId, ref.messageId)?.authorId : undefined;
        const replied = repliedAuthor !== undefined && message.mentionUserIds.includes(repliedAuthor) ? [repliedAuthor] : [];
        patch.content = content;
        patch.mentionUserIds = [...new Set([...mentions.userIds, ...replied])];
        patch.mentionRoleIds = mentions.roleIds;
        patch.mentionEveryone = mentions.everyone;
        changed ||= content !== message.content;
      }
      if (changed) patch.editedAt = clock();
      const updated = stores.messages.update(channelId, messageId, patch);
      const view = parts.render.one(updated, actor.user.id);
      parts.events.message("MESSAGE_UPDATE", channelAccess.channel, view);
      return view;
    },

    /** Authors delete their own messages; anyone else needs MANAGE_MESSAGES and is audited. */
    async delete(actor: Actor, channelId: ChannelId, messageId: MessageId, reason: string | null) {
      const channelAccess = access.channel(actor, channelId);
      const message = find(channelId, messageId);
      const own = message.authorId === actor.user.id;
      if (!own) access.channelWith(actor, channelId, Permission.MANAGE_MESSAGES);
      stores.messages.delete(channelId, [messageId]);
      const guild = channelAccess.guild;
      if (!own && guild) {
        audit.record({
          guildId: guild.guild.id,
          userId: actor.user.id,
          action: AuditAction.MESSAGE_DELETE,
          targetId: message.authorId,
          reason,
          options: { channel_id: channelId.toString(), count: "1" },
        });
      }
      parts.events.publish(channelAccess.channel, "MESSAGE_DELETE", { id: messageId.toString(), channel_id: channelId.toString() });
      await removeFiles([message]);
    },

    async bulkDelete(actor: Actor, channelId: ChannelId, messageIds: readonly MessageId[], reason: string | null) {
      const channelAccess = access.channelWith(actor, channelId, Permission.MANAGE_MESSAGES);
      const unique = [...new Set(messageIds)];
      if (unique.length < 2 || unique.length > 100) {
        throw fieldError("messages", "Between 2 and 100 distinct message ids are required", "BASE_TYPE_BAD_LENGTH");
      }
      const oldest = snowflakeAt(clock() - BULK_DELETE_MAX_AGE_MS);
      const tooOld = unique.findIndex((id) => id < oldest);
      if (tooOld >= 0) throw fieldError(`messages.${tooOld}`, "This message is too old to bulk delete", "MESSAGE_TOO_OLD_TO_BULK_DELETE");
      const found = stores.messages.getMany(channelId, unique);
      const deleted = stores.messages.delete(channelId, unique);
      if (deleted.length === 0) return;
      const guild = channelAccess.guild;
      if (guild) {
        audit.record({
          guildId: guild.guild.id,
          userId: actor.user.id,
          action: AuditAction.MESSAGE_BULK_DELETE,
          targetId: channelId,
          reason,
          options: { count: String(deleted.length) },
        });
      }
      parts.events.publish(channelAccess.channel, "MESSAGE_DELETE_BULK", {
        ids: deleted.map(String),
        channel_id: channelId.toString(),
      });
      await removeFiles(found.values());
    },

    typing(actor: Actor, channelId: ChannelId) {
      const visible = access.channel(actor, channelId);
      if (!isTextLike(visible.channel)) throw new AppError("CANNOT_SEND_MESSAGES_IN_NON_TEXT_CHANNEL");
      const channelAccess = access.channelWith(actor, channelId, Permission.SEND_MESSAGES);
      parts.events.publish(channelAccess.channel, "TYPING_START", {
        channel_id: channelId.toString(),
        user_id: actor.user.id.toString(),
        timestamp: Math.floor(clock() / 1000),
        ...parts.events.memberOf(actor, channelAccess, true),
      });
    },
  };
}

export type MessagesService = ReturnType<typeof createMessagesService>;
