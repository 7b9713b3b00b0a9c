import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { route } from "../../http/route.ts";
import { snowflake } from "../../http/validation.ts";
import type { PrivateChannelsService } from "./private-channels.service.ts";

const createBody = z.object({
  recipient_id: snowflake.optional(),
  recipients: z.array(snowflake).max(49).optional(),
});

const recipientParams = z.object({ channel_id: snowflake, user_id: snowflake });

/** Sudo fields are accepted (clients send them) but a group DM needs no password to leave. */
const removeQuery = z.object({
  silent: z.enum(["true", "false"]).optional(),
  delete_messages: z.enum(["true", "false"]).optional(),
});

export function privateChannelsRoutes(app: FastifyInstance, service: PrivateChannelsService) {
  route(app, {
    method: "GET",
    url: "/users/@me/channels",
    auth: "user",
    handler: ({ actor }) => service.list(actor),
  });

  route(app, {
    method: "POST",
    url: "/users/@me/channels",
    auth: "user",
    body: createBody,
    handler: ({ actor, body }) => service.create(actor, body),
  });

  route(app, {
    method: "PUT",
    url: "/channels/:channel_id/recipients/:user_id",
    auth: "user",
    params: recipientParams,
    handler: ({ actor, params }) => service.addRecipient(actor, params.channel_id, params.user_id),
  });

  route(app, {
    method: "DELETE",
    url: "/channels/:channel_id/recipients/:user_id",
    auth: "user",
    params: recipientParams,
    query: removeQuery,
    handler: ({ actor, params, query }) => service.removeRecipient(actor, params.channel_id, params.user_id, query.silent === "true"),
  });
}
