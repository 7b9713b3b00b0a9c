/**
 * Pins: PIN_MESSAGES or MANAGE_MESSAGES (plus READ_MESSAGE_HISTORY), a per-channel limit, a CHANNEL_PINNED_MESSAGE notice as Discord
 * posts one, CHANNEL_PINS_UPDATE plus MESSAGE_UPDATE for the message, and an audit entry in guilds.
 */
import type { Deps } from "../../deps.ts";
import { AppError } from "../../errors.ts";
import type { Actor } from "../../http/actor.ts";
import type { ChannelId, MessageId } from "../../ids.ts";
import { has, Permission } from "../../permissions.ts";
import type { Channel, Message } from "../../storage/records.ts";
import type { FeatureContext } from "../context.ts";
import { AuditAction } from "../guilds/audit.ts";
import type { MessageView } from "./message.views.ts";
import type { MessageEvents } from "./message-events.ts";
import type { MessageRenderer } from "./message-render.ts";
import { MessageType } from "./message-send.service.ts";
import { refuseTimedOut } from "./messages.service.ts";

export interface PinsPage {
  items: { message: MessageView; pinned_at: string }[];
  has_more: boolean;
}

export function createPinsService(context: FeatureContext, render: MessageRenderer, events: MessageEvents, deps: Deps = context.deps) {
  const { access, audit } = context;
  const { stores, clock, ids } = deps;

  function pinAccess(actor: Actor, channelId: ChannelId, messageId: MessageId) {
    const channelAccess = access.channel(actor, channelId);
    refuseTimedOut(channelAccess);
    const { permissions } = channelAccess;
    if (!has(permissions, Permission.PIN_MESSAGES) && !has(permissions, Permission.MANAGE_MESSAGES))
      throw new AppError("MISSING_PERMISSIONS");
    // A pin announces the whole message: without the history right it would reveal older messages.
    if (!has(permissions, Permission.READ_MESSAGE_HISTORY)) throw new AppError("MISSING_PERMISSIONS");
    const message = stores.messages.get(channelId, messageId);
    if (!message) throw new AppError("UNKNOWN_MESSAGE");
    return { channelAccess, message };
  }

  function announce(actor: Actor, channel: Channel, message: Message) {
    const fresh = stores.channels.get(channel.id) ?? channel;
    const lastPin = fresh.lastPinAt === null ? null : new Date(fresh.lastPinAt).toISOString();
    events.publish(channel, "CHANNEL_PINS_UPDATE", { channel_id: channel.id.toString(), last_pin_timestamp: lastPin });
    events.message("MESSAGE_UPDATE", channel, render.one(message, actor.user.id));
  }

  return {
    list(actor: Actor, channelId: ChannelId, query: { before?: number; limit: number }): PinsPage {
      access.channelWith(actor, channelId, Permission.READ_MESSAGE_HISTORY);
      const pinned = stores.messages.listPinned(channelId, { before: query.before, limit: query.limit + 1 });
      const page = pinned.slice(0, query.limit);
      const views = render.many(page, actor.user.id);
      return {
        items: page.map((message, i) => ({
          message: views[i] as MessageView,
          pinned_at: new Date(message.pinnedAt ?? 0).toISOString(),
        })),
        has_more: pinned.length > query.limit,
      };
    },

    pin(actor: Actor, channelId: ChannelId, messageId: MessageId, reason: string | null) {
      const { channelAccess, message } = pinAccess(actor, channelId, messageId);
      if (message.pinnedAt !== null) return; // already pinned: nothing changes
      if (stores.messages.countPinned(channelId) >= deps.config.limits.max_pins_per_channel) throw new AppError("MAX_PINS_PER_CHANNEL");
      const now = clock();
      stores.messages.setPinned(channelId, messageId, now);
      const channel = channelAccess.channel;
      const notice: Message = {
        id: ids.next(),
        channelId,
        authorId: actor.user.id,
        type: MessageType.pinned,
        content: "",
        flags: 0,
        tts: false,
        mentionEveryone: false,
        mentionUserIds: [],
        mentionRoleIds: [],
        nonce: null,
        editedAt: null,
        pinnedAt: null,
        reference: { channelId, messageId, guildId: channel.guildId, type: 0 },
        attachments: [],
        embeds: [],
      };
      stores.messages.create(notice);
      const guild = channelAccess.guild;
      if (guild) {
        audit.record({
          guildId: guild.guild.id,
          userId: actor.user.id,
          action: AuditAction.MESSAGE_PIN,
          targetId: message.authorId,
          reason,
          options: { channel_id: channelId.toString(), message_id: messageId.toString() },
        });
      }
      announce(actor, channel, { ...message, pinnedAt: now });
      events.message("MESSAGE_CREATE", channel, render.one(notice, actor.user.id), events.memberOf(actor, channelAccess));
    },

    unpin(actor: Actor, channelId: ChannelId, messageId: MessageId, reason: string | null) {
      const { channelAccess, message } = pinAccess(actor, channelId, messageId);
      if (message.pinnedAt === null) return;
      stores.messages.setPinned(channelId, messageId, null);
      const guild = channelAccess.guild;
      if (guild) {
        audit.record({
          guildId: guild.guild.id,
          userId: actor.user.id,
          action: AuditAction.MESSAGE_UNPIN,
          targetId: message.authorId,
          reason,
          options: { channel_id: channelId.toString(), message_id: messageId.toString() },
        });
      }
      announce(actor, channelAccess.channel, { ...message, pinnedAt: null });
    },
  };
}

export type PinsService = ReturnType<typeof createPinsService>;
