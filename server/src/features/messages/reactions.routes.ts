/** Reaction routes; the `{emoji}` segment is URL-encoded unicode or `name:id`. */
import type { FastifyInstance } from "fastify";
import { route } from "../../http/route.ts";
import { toUserPartial } from "../users/user.views.ts";
import { emojiParams, emojiUserParams, messageParams, reactionUsersQuery } from "./message.schemas.ts";
import { parseEmoji, type ReactionsService } from "./reactions.service.ts";

export function reactionsRoutes(app: FastifyInstance, reactions: ReactionsService) {
  const base = "/channels/:channel_id/messages/:message_id/reactions";

  route(app, {
    method: "PUT",
    url: `${base}/:emoji/@me`,
    auth: "user",
    params: emojiParams,
    handler: ({ actor, params }) => reactions.add(actor, params.channel_id, params.message_id, parseEmoji(params.emoji)),
  });

  route(app, {
    method: "DELETE",
    url: `${base}/:emoji/@me`,
    auth: "user",
    params: emojiParams,
    handler: ({ actor, params }) => reactions.removeOwn(actor, params.channel_id, params.message_id, parseEmoji(params.emoji)),
  });

  route(app, {
    method: "DELETE",
    url: `${base}/:emoji/:target_id`,
    auth: "user",
    params: emojiUserParams,
    handler: ({ actor, params }) =>
      reactions.removeUser(actor, params.channel_id, params.message_id, parseEmoji(params.emoji), params.target_id),
  });

  route(app, {
    method: "DELETE",
    url: base,
    auth: "user",
    params: messageParams,
    handler: ({ actor, params }) => reactions.removeAll(actor, params.channel_id, params.message_id),
  });

  route(app, {
    method: "DELETE",
    url: `${base}/:emoji`,
    auth: "user",
    params: emojiParams,
    handler: ({ actor, params }) => reactions.removeEmoji(actor, params.channel_id, params.message_id, parseEmoji(params.emoji)),
  });

  // Discord's shape: a bare array of users.
  route(app, {
    method: "GET",
    url: `${base}/:emoji`,
    auth: "user",
    params: emojiParams,
    query: reactionUsersQuery,
    handler: ({ actor, params, query }) =>
      reactions.users(actor, params.channel_id, params.message_id, parseEmoji(params.emoji), query).users.map(toUserPartial),
  });

  // Fluxer's paged shape.
  route(app, {
    method: "GET",
    url: `${base}/:emoji/users`,
    auth: "user",
    params: emojiParams,
    query: reactionUsersQuery,
    handler: ({ actor, params, query }) => {
      const page = reactions.users(actor, params.channel_id, params.message_id, parseEmoji(params.emoji), query);
      const last = page.users.at(-1);
      return {
        items: page.users.map(toUserPartial),
        has_more: page.hasMore,
        next_after: page.hasMore && last ? last.id.toString() : null,
      };
    },
  });
}
