/**
 * The mentions inbox (GET /users/@me/mentions): messages that mention the user directly, by a role
 * they hold or with @everyone/@here, newest first, only from channels they may still read.
 */
import type { Actor } from "../../http/actor.ts";
import type { ChannelId, MessageId } from "../../ids.ts";
import { Permission } from "../../permissions.ts";
import type { Message } from "../../storage/records.ts";
import type { FeatureContext } from "../context.ts";
import type { MessageView } from "../messages/message.views.ts";
import type { MessageRenderer } from "../messages/message-render.ts";

export interface MentionsQuery {
  limit: number;
  roles: boolean;
  everyone: boolean;
  /** False: only mentions in DMs and group DMs. */
  guilds: boolean;
  before?: MessageId;
}

/** Pages read past channels the user can no longer read, before giving a short page back. */
const MAX_PAGES = 10;

export function createMentionsService(context: FeatureContext, render: MessageRenderer) {
  const { deps, access } = context;
  const { stores } = deps;

  function readable(actor: Actor): (channelId: ChannelId) => boolean {
    const known = new Map<ChannelId, boolean>();
    return (channelId) => {
      let ok = known.get(channelId);
      if (ok === undefined) {
        try {
          access.channelWith(actor, channelId, Permission.READ_MESSAGE_HISTORY);
          ok = true;
        } catch {
          ok = false; // gone, left, or no longer allowed: the mention stays in the index, unseen
        }
        known.set(channelId, ok);
      }
      return ok;
    };
  }

  return {
    list(actor: Actor, query: MentionsQuery): MessageView[] {
      const userId = actor.user.id;
      const guildIds = query.guilds ? stores.members.guildIdsForUser(userId) : [];
      const roleIds = query.roles ? guildIds.flatMap((guildId) => stores.members.get(guildId, userId)?.roleIds ?? []) : [];
      const mayRead = readable(actor);
      const found: Message[] = [];
      let before = query.before;
      for (let page = 0; page < MAX_PAGES && found.length < query.limit; page++) {
        const batch = stores.messages.listMentions({
          userId,
          roleIds,
          everyoneGuildIds: query.everyone ? guildIds : [],
          privateOnly: !query.guilds,
          before,
          limit: query.limit,
        });
        found.push(...batch.filter((message) => mayRead(message.channelId)));
        if (batch.length < query.limit) break;
        before = batch[batch.length - 1]?.id;
      }
      return render.many(found.slice(0, query.limit), userId);
    },

    /** Takes messages out of the inbox; ids that are not in it are ignored, as upstream. */
    dismiss(actor: Actor, messageIds: readonly MessageId[]): void {
      stores.messages.dismissMentions(actor.user.id, messageIds);
    },
  };
}

export type MentionsService = ReturnType<typeof createMentionsService>;
