/** The channels feature: its services and its routes under /api/v1. */
import type { FastifyInstance } from "fastify";
import type { FeatureContext } from "../context.ts";
import { createChannelPositionsService } from "./channel-positions.service.ts";
import { channelsRoutes } from "./channels.routes.ts";
import { createChannelsService } from "./channels.service.ts";
import { createOverwritesService } from "./overwrites.service.ts";

export function createChannelsModule(context: FeatureContext) {
  const overwrites = createOverwritesService(context);
  const channels = createChannelsService(context, overwrites);
  const positions = createChannelPositionsService(context, overwrites);
  return {
    channels,
    overwrites,
    routes(scope: FastifyInstance) {
      channelsRoutes(scope, channels, positions, overwrites);
    },
  };
}
