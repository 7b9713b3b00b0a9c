/** The user's mentions inbox: its service and routes under /api/v1. */
import type { FastifyInstance } from "fastify";
import type { FeatureContext } from "../context.ts";
import { createMessageRenderer } from "../messages/message-render.ts";
import { mentionsRoutes } from "./mentions.routes.ts";
import { createMentionsService } from "./mentions.service.ts";

export function createMentionsModule(context: FeatureContext) {
  const mentions = createMentionsService(context, createMessageRenderer(context.deps));
  return {
    routes(scope: FastifyInstance) {
      mentionsRoutes(scope, mentions);
    },
  };
}
