/** Pin and read-state routes. Acks are a user's own business: bots cannot use them, as in Discord. */
import type { FastifyInstance } from "fastify";
import { route } from "../../http/route.ts";
import { auditReason } from "../guilds/audit.ts";
import { ackBody, ackBulkBody, channelParams, messageParams, pinsQuery } from "./message.schemas.ts";
import type { PinsService } from "./pins.service.ts";
import type { ReadStatesService } from "./read-states.service.ts";

export function pinsRoutes(app: FastifyInstance, pins: PinsService, readStates: ReadStatesService) {
  route(app, {
    method: "GET",
    url: "/channels/:channel_id/messages/pins",
    auth: "user",
    params: channelParams,
    query: pinsQuery,
    handler: ({ actor, params, query }) => pins.list(actor, params.channel_id, query),
  });

  route(app, {
    method: "PUT",
    url: "/channels/:channel_id/pins/:message_id",
    auth: "user",
    params: messageParams,
    handler: ({ actor, params, request }) =>
      pins.pin(actor, params.channel_id, params.message_id, auditReason(request.headers["x-audit-log-reason"])),
  });

  route(app, {
    method: "DELETE",
    url: "/channels/:channel_id/pins/:message_id",
    auth: "user",
    params: messageParams,
    handler: ({ actor, params, request }) =>
      pins.unpin(actor, params.channel_id, params.message_id, auditReason(request.headers["x-audit-log-reason"])),
  });

  route(app, {
    method: "POST",
    url: "/channels/:channel_id/pins/ack",
    auth: "session",
    params: channelParams,
    handler: ({ actor, params }) => readStates.ackPins(actor, params.channel_id),
  });

  route(app, {
    method: "POST",
    url: "/channels/:channel_id/messages/:message_id/ack",
    auth: "session",
    params: messageParams,
    body: ackBody,
    handler: ({ actor, params, body }) => readStates.ackMessage(actor, params.channel_id, params.message_id, body),
  });

  route(app, {
    method: "DELETE",
    url: "/channels/:channel_id/messages/ack",
    auth: "session",
    params: channelParams,
    handler: ({ actor, params }) => readStates.clear(actor, params.channel_id),
  });

  route(app, {
    method: "POST",
    url: "/read-states/ack-bulk",
    auth: "session",
    body: ackBulkBody,
    handler: ({ actor, body }) => readStates.ackBulk(actor, body.read_states),
  });
}
