/** Read states: what each user has read, per channel. Only the user's own sessions hear about changes. */
import type { Deps } from "../../deps.ts";
import { AppError } from "../../errors.ts";
import type { Actor } from "../../http/actor.ts";
import type { ChannelId, MessageId } from "../../ids.ts";
import type { FeatureContext } from "../context.ts";
import type { MessageEvents } from "./message-events.ts";

export function createReadStatesService(context: FeatureContext, events: MessageEvents, deps: Deps = context.deps) {
  const { access } = context;
  const { stores, clock } = deps;

  return {
    ackMessage(actor: Actor, channelId: ChannelId, messageId: MessageId, input: { mention_count?: number; manual?: boolean }) {
      access.channel(actor, channelId);
      if (!stores.messages.get(channelId, messageId)) throw new AppError("UNKNOWN_MESSAGE");
      const mentionCount = input.mention_count ?? 0;
      stores.readStates.ack(actor.user.id, channelId, messageId, mentionCount);
      events.toUser(actor, "MESSAGE_ACK", {
        channel_id: channelId.toString(),
        message_id: messageId.toString(),
        mention_count: mentionCount,
        ...(input.manual ? { manual: true } : {}),
      });
    },

    /** Acks many channels at once; every channel is checked before anything is written. */
    ackBulk(actor: Actor, entries: readonly { channel_id: ChannelId; message_id: MessageId }[]) {
      for (const entry of entries) access.channel(actor, entry.channel_id);
      for (const entry of entries) {
        stores.readStates.ack(actor.user.id, entry.channel_id, entry.message_id, 0);
        events.toUser(actor, "MESSAGE_ACK", {
          channel_id: entry.channel_id.toString(),
          message_id: entry.message_id.toString(),
          mention_count: 0,
        });
      }
    },

    /** Forgets the channel's read state (the channel reads as unread from the start). */
    clear(actor: Actor, channelId: ChannelId) {
      access.channel(actor, channelId);
      stores.readStates.clear(actor.user.id, channelId);
      events.toUser(actor, "MESSAGE_ACK", { channel_id: channelId.toString(), message_id: null, mention_count: 0 });
    },

    ackPins(actor: Actor, channelId: ChannelId) {
      const { channel } = access.channel(actor, channelId);
      const at = channel.lastPinAt ?? clock();
      stores.readStates.ackPins(actor.user.id, channelId, at);
      events.toUser(actor, "CHANNEL_PINS_ACK", { channel_id: channelId.toString(), timestamp: new Date(at).toISOString() });
    },
  };
}

export type ReadStatesService = ReturnType<typeof createReadStatesService>;
