import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { route } from "../../http/route.ts";
import { queryInt, snowflake } from "../../http/validation.ts";
import type { MentionsService } from "./mentions.service.ts";

/** The spec's booleans travel as text; anything but "false" keeps the default (true), as upstream reads them. */
const queryFlag = z.enum(["true", "false"]).optional();

const mentionsQuery = z.object({
  limit: queryInt(1, 100, 25),
  roles: queryFlag,
  everyone: queryFlag,
  guilds: queryFlag,
  before: snowflake.optional(),
});

export function mentionsRoutes(app: FastifyInstance, mentions: MentionsService) {
  route(app, {
    method: "GET",
    url: "/users/@me/mentions",
    auth: "session",
    query: mentionsQuery,
    handler: ({ actor, query }) =>
      mentions.list(actor, {
        limit: query.limit,
        roles: query.roles !== "false",
        everyone: query.everyone !== "false",
        guilds: query.guilds !== "false",
        before: query.before,
      }),
  });

  route(app, {
    method: "DELETE",
    url: "/users/@me/mentions/:message_id",
    auth: "session",
    params: z.object({ message_id: snowflake }),
    handler: ({ actor, params }) => mentions.dismiss(actor, [params.message_id]),
  });

  route(app, {
    method: "POST",
    url: "/users/@me/mentions/read",
    auth: "session",
    body: z.object({ message_ids: z.array(snowflake).min(1).max(100) }),
    handler: ({ actor, body }) => mentions.dismiss(actor, body.message_ids),
  });
}
