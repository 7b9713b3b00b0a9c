/**
 * POST /users/@me/preload-messages (and its alias): the latest message of each asked channel, as
 * the app fetches them for its DM list on start. A channel the user cannot read answers null,
 * like an empty one, so nothing about it is revealed.
 */
import type { Actor } from "../../http/actor.ts";
import type { ChannelId } from "../../ids.ts";
import { Permission } from "../../permissions.ts";
import type { FeatureContext } from "../context.ts";
import type { MessageView } from "../messages/message.views.ts";
import type { MessageRenderer } from "../messages/message-render.ts";

export function createPreloadMessagesService(context: FeatureContext, render: MessageRenderer) {
  const { deps, access } = context;

  function latestReadable(actor: Actor, channelId: ChannelId) {
    try {
      access.channelWith(actor, channelId, Permission.READ_MESSAGE_HISTORY);
    } catch {
      return null;
    }
    return deps.stores.messages.list(channelId, { limit: 1 })[0] ?? null;
  }

  return {
    preload(actor: Actor, channelIds: readonly ChannelId[]): Record<string, MessageView | null> {
      const unique = [...new Set(channelIds)];
      const latest = unique.map((id) => [id, latestReadable(actor, id)] as const);
      const views = render.many(
        latest.flatMap(([, message]) => (message ? [message] : [])),
        actor.user.id,
      );
      const byChannel = new Map(views.map((view) => [view.channel_id, view]));
      return Object.fromEntries(latest.map(([id]) => [id.toString(), byChannel.get(id.toString()) ?? null]));
    },
  };
}

export type PreloadMessagesService = ReturnType<typeof createPreloadMessagesService>;
