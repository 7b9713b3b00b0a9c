/** Channel routes: a guild's channel list, creation and order; one channel; its permission overwrites. */
import type { FastifyInstance, FastifyRequest } from "fastify";
import { z } from "zod";
import { route } from "../../http/route.ts";
import { snowflake } from "../../http/validation.ts";
import { auditReason } from "../guilds/audit.ts";
import { channelCreateBody, channelUpdateBody, overwriteBody, positionsBody } from "./channel.schemas.ts";
import type { ChannelPositionsService } from "./channel-positions.service.ts";
import type { ChannelsService } from "./channels.service.ts";
import type { OverwritesService } from "./overwrites.service.ts";

const guildParams = z.object({ guild_id: snowflake });
const channelParams = z.object({ channel_id: snowflake });
const overwriteParams = z.object({ channel_id: snowflake, overwrite_id: snowflake });
const reasonOf = (request: FastifyRequest) => auditReason(request.headers["x-audit-log-reason"]);

export function channelsRoutes(
  app: FastifyInstance,
  channels: ChannelsService,
  positions: ChannelPositionsService,
  overwrites: OverwritesService,
) {
  route(app, {
    method: "GET",
    url: "/guilds/:guild_id/channels",
    auth: "user",
    params: guildParams,
    handler: ({ actor, params }) => channels.list(actor, params.guild_id),
  });

  route(app, {
    method: "POST",
    url: "/guilds/:guild_id/channels",
    auth: "user",
    params: guildParams,
    body: channelCreateBody,
    handler: ({ actor, params, body, request }) => channels.create(actor, params.guild_id, body, reasonOf(request)),
  });

  route(app, {
    method: "PATCH",
    url: "/guilds/:guild_id/channels",
    auth: "user",
    params: guildParams,
    body: positionsBody,
    handler: ({ actor, params, body, request }) => positions.update(actor, params.guild_id, body, reasonOf(request)),
  });

  route(app, {
    method: "GET",
    url: "/channels/:channel_id",
    auth: "user",
    params: channelParams,
    handler: ({ actor, params }) => channels.get(actor, params.channel_id),
  });

  route(app, {
    method: "PATCH",
    url: "/channels/:channel_id",
    auth: "user",
    params: channelParams,
    body: channelUpdateBody,
    handler: ({ actor, params, body, request }) => channels.update(actor, params.channel_id, body, reasonOf(request)),
  });

  route(app, {
    method: "DELETE",
    url: "/channels/:channel_id",
    auth: "user",
    params: channelParams,
    handler: ({ actor, params, request }) => channels.delete(actor, params.channel_id, reasonOf(request)),
  });

  route(app, {
    method: "PUT",
    url: "/channels/:channel_id/permissions/:overwrite_id",
    auth: "user",
    params: overwriteParams,
    body: overwriteBody,
    handler: ({ actor, params, body, request }) =>
      overwrites.set(actor, params.channel_id, { id: params.overwrite_id, ...body }, reasonOf(request)),
  });

  route(app, {
    method: "DELETE",
    url: "/channels/:channel_id/permissions/:overwrite_id",
    auth: "user",
    params: overwriteParams,
    handler: ({ actor, params, request }) => overwrites.delete(actor, params.channel_id, params.overwrite_id, reasonOf(request)),
  });
}
