/** The user's reads across channels (the mentions inbox, message preloads): services and routes. */
import type { FastifyInstance } from "fastify";
import type { FeatureContext } from "../context.ts";
import { createMessageRenderer } from "../messages/message-render.ts";
import { mentionsRoutes } from "./mentions.routes.ts";
import { createMentionsService } from "./mentions.service.ts";
import { preloadMessagesRoutes } from "./preload-messages.routes.ts";
import { createPreloadMessagesService } from "./preload-messages.service.ts";

export function createMentionsModule(context: FeatureContext) {
  const render = createMessageRenderer(context.deps);
  const mentions = createMentionsService(context, render);
  const preload = createPreloadMessagesService(context, render);
  return {
    routes(scope: FastifyInstance) {
      mentionsRoutes(scope, mentions);
      preloadMessagesRoutes(scope, preload);
    },
  };
}
