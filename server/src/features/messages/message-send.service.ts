import { AppError, fieldError } from "../../errors.ts";
import type { Actor } from "../../http/actor.ts";
import type { ChannelId, MessageId } from "../../ids.ts";
import { has, Permission } from "../../permissions.ts";
import type { Attachment, Embed, Message, MessageReference } from "../../storage/records.ts";
import type { FeatureContext } from "../context.ts";
import { type ChannelAccess, isTextLike } from "../guilds/access.ts";
import type { AttachmentFiles, IncomingFile } from "./attachment-files.ts";
import { type EmbedRequest, embedTextLength, MAX_EMBED_TEXT, toEmbedRecord } from "./embeds.ts";
import type { AllowedMentions, MentionResolver } from "./mentions.ts";
import type { MessageView } from "./message.views.ts";
import type { MessageEvents } from "./message-events.ts";
import type { MessageRenderer } from "./message-render.ts";

export const MessageType = { default: 0, pinned: 6, reply: 19 } as const;

/** Flags a client may set: SUPPRESS_EMBEDS, SUPPRESS_NOTIFICATIONS, VOICE_MESSAGE, COMPACT_ATTACHMENTS. */
export const CLIENT_MESSAGE_FLAGS = 4 | 4096 | 8192 | 131072;
const SPOILER_FLAG = 8;
const SLOWMODE_EXEMPT = [Permission.MANAGE_MESSAGES, Permission.MANAGE_CHANNELS, Permission.BYPASS_SLOWMODE];

export interface AttachmentMeta {
  id: number | string;
  filename?: string;
  title?: string | null;
  description?: string | null;
  flags?: number;
}

export interface SendInput {
  content?: string | null;
  nonce?: string | null;
  tts?: boolean;
  flags?: number;
  message_reference?: {
    message_id: MessageId;
    channel_id?: ChannelId;
    guild_id?: bigint;
    type?: number;
    fail_if_not_exists?: boolean;
  } | null;
  allowed_mentions?: AllowedMentions | null;
  attachments?: AttachmentMeta[];
  embeds?: EmbedRequest[] | null;
  sticker_ids?: bigint[] | null;
}

interface Parts {
  render: MessageRenderer;
  mentions: MentionResolver;
  events: MessageEvents;
  files: AttachmentFiles;
}

/** Embeds as stored; all of a message's embeds together hold at most 6,000 characters of text, as in Discord. */
export function embedRecords(requests: readonly EmbedRequest[] | null | undefined): Embed[] {
  const embeds = (requests ?? []).map(toEmbedRecord);
  if (embeds.reduce((sum, embed) => sum + embedTextLength(embed), 0) > MAX_EMBED_TEXT) {
    throw fieldError("embeds", `Embeds may hold at most ${MAX_EMBED_TEXT} characters of text in total`, "BASE_TYPE_MAX_LENGTH");
  }
  return embeds;
}

export function createMessageSendService(context: FeatureContext, parts: Parts) {
  const { deps, access } = context;
  const { stores, ids, kv } = deps;

  /** Replies stay in their channel; an unknown target fails unless fail_if_not_exists is false. */
  function replyTarget(channelAccess: ChannelAccess, input: SendInput): Message | null {
    const ref = input.message_reference;
    if (!ref) return null;
    const channel = channelAccess.channel;
    if ((ref.type ?? 0) !== 0)
      throw fieldError("message_reference.type", "Forwarding messages is not supported", "INVALID_MESSAGE_REFERENCE");
    if (ref.channel_id !== undefined && ref.channel_id !== channel.id) {
      throw fieldError("message_reference.channel_id", "Replies must be in the same channel", "INVALID_MESSAGE_REFERENCE");
    }
    const target = stores.messages.get(channel.id, ref.message_id);
    if (!target && ref.fail_if_not_exists !== false) {
      throw fieldError("message_reference.message_id", "Unknown message", "MESSAGE_REFERENCE_UNKNOWN_MESSAGE");
    }
    return target;
  }

  /** Matches each file with its `attachments[]` entry (by `files[n]` = id) and refuses entries without a file. */
  function attachmentMeta(files: readonly IncomingFile[], metas: readonly AttachmentMeta[] = []): (AttachmentMeta | undefined)[] {
    const byIndex = new Map(metas.map((meta) => [Number(meta.id), meta]));
    metas.forEach((meta, i) => {
      if (!files.some((file) => file.index === Number(meta.id))) {
        throw fieldError(`attachments.${i}.id`, "No file was uploaded for this attachment", "ATTACHMENT_NOT_FOUND");
      }
    });
    return files.map((file) => byIndex.get(file.index));
  }

  const slowmodeKey = (channelId: ChannelId, actor: Actor) => `slowmode:${channelId}:${actor.user.id}`;
  const bypassesSlowmode = (channelAccess: ChannelAccess) =>
    !channelAccess.guild || SLOWMODE_EXEMPT.some((bit) => has(channelAccess.permissions, bit));

  async function slowmode(actor: Actor, channelAccess: ChannelAccess) {
    const seconds = channelAccess.channel.rateLimitPerUser;
    if (seconds <= 0 || bypassesSlowmode(channelAccess)) return;
    const left = await kv.claim(slowmodeKey(channelAccess.channel.id, actor), seconds * 1000);
    if (left > 0) {
      const retryAfter = Math.ceil(left / 100) / 10;
      throw new AppError("SLOWMODE_RATE_LIMITED", `Slowmode is on: wait ${retryAfter} seconds`, undefined, { retry_after: retryAfter });
    }
  }

  /** Sends per user per channel, shared across processes through the key-value store. */
  async function sendRate(actor: Actor, channelId: ChannelId) {
    if (deps.config.dev.disable_rate_limits) return;
    const { count, resetAfterMs } = await kv.hit(`rl:send:${channelId}:${actor.user.id}`, 5000);
    if (count > deps.config.rate_limits.messages_per_5s) {
      const retryAfter = Math.ceil(resetAfterMs) / 1000;
      throw new AppError("RATE_LIMITED", "You are sending messages too quickly", undefined, { retry_after: retryAfter, global: false });
    }
  }

  return {
    /** The caller's slowmode in a channel: how long until they may send again. */
    async slowmodeState(actor: Actor, channelId: ChannelId) {
      const channelAccess = access.channel(actor, channelId);
      const canBypass = bypassesSlowmode(channelAccess);
      const left = canBypass ? 0 : await kv.remaining(slowmodeKey(channelId, actor));
      return {
        rate_limit_per_user: channelAccess.channel.rateLimitPerUser,
        retry_after_ms: left,
        next_send_allowed_at: left > 0 ? new Date(deps.clock() + left).toISOString() : null,
        can_bypass: canBypass,
      };
    },

    async send(actor: Actor, channelId: ChannelId, input: SendInput, files: readonly IncomingFile[]): Promise<MessageView> {
      // Visible first (404/403 before the channel type), then the permissions the send needs: one load for both.
      const visible = access.channel(actor, channelId);
      if (!isTextLike(visible.channel)) throw new AppError("CANNOT_SEND_MESSAGES_IN_NON_TEXT_CHANNEL");
      let wanted = Permission.SEND_MESSAGES;
      if (files.length > 0) wanted |= Permission.ATTACH_FILES;
      if (input.message_reference) wanted |= Permission.READ_MESSAGE_HISTORY;
      const channelAccess = access.checkChannel(visible, wanted);
      const { channel } = channelAccess;

      const embeds = embedRecords(input.embeds);
      if ((input.sticker_ids?.length ?? 0) > 0) throw fieldError("sticker_ids", "Unknown sticker", "UNKNOWN_STICKER");
      const content = input.content ?? "";
      if (content.trim() === "" && files.length === 0 && embeds.length === 0) throw new AppError("CANNOT_SEND_EMPTY_MESSAGE");
      const metas = attachmentMeta(files, input.attachments);
      const target = replyTarget(channelAccess, input);
      const mentions = parts.mentions.resolve(channelAccess, content, input.allowed_mentions, target?.authorId);
      await slowmode(actor, channelAccess);
      await sendRate(actor, channel.id);

      const id = ids.next();
      const reference: MessageReference | null = target
        ? { channelId: channel.id, messageId: target.id, guildId: channel.guildId, type: 0 }
        : null;
      const attachments: Attachment[] = [];
      const message: Message = {
        id,
        channelId: channel.id,
        authorId: actor.user.id,
        type: target ? MessageType.reply : MessageType.default,
        content,
        flags: (input.flags ?? 0) & CLIENT_MESSAGE_FLAGS,
        // TTS needs its own permission; without it the message is simply not spoken, as in Discord.
        tts: (input.tts ?? false) && has(channelAccess.permissions, Permission.SEND_TTS_MESSAGES),
        mentionEveryone: mentions.everyone,
        mentionUserIds: mentions.userIds,
        mentionRoleIds: mentions.roleIds,
        nonce: input.nonce ?? null,
        editedAt: null,
        pinnedAt: null,
        reference,
        attachments,
        embeds,
      };
      try {
        for (const [i, file] of files.entries()) {
          const meta = metas[i];
          const attachmentId = ids.next();
          const spoiler = file.filename.startsWith("SPOILER_") ? SPOILER_FLAG : 0;
          attachments.push({
            id: attachmentId,
            filename: file.filename,
            title: meta?.title ?? null,
            description: meta?.description ?? null,
            contentType: file.contentType,
            size: file.size,
            width: file.width,
            height: file.height,
            storageKey: await parts.files.commit(file, channel.id, attachmentId),
            flags: ((meta?.flags ?? 0) & SPOILER_FLAG) | spoiler,
          });
        }
        stores.messages.create(message);
      } catch (error) {
        await parts.files.remove(attachments.map((attachment) => attachment.storageKey));
        throw error;
      }
      const view = parts.render.created(message, actor.user, target);
      parts.events.message("MESSAGE_CREATE", channel, view, parts.events.memberOf(actor, channelAccess));
      return view;
    },
  };
}

export type MessageSendService = ReturnType<typeof createMessageSendService>;
