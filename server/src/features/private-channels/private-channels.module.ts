/** The private channels feature (DMs and group DMs): its service and its routes under /api/v1. */
import type { FastifyInstance } from "fastify";
import type { FeatureContext } from "../context.ts";
import { privateChannelsRoutes } from "./private-channels.routes.ts";
import { createPrivateChannelsService } from "./private-channels.service.ts";

export function createPrivateChannelsModule(context: FeatureContext) {
  const service = createPrivateChannelsService(context);
  return {
    routes(scope: FastifyInstance) {
      privateChannelsRoutes(scope, service);
    },
  };
}
