import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { route } from "../../http/route.ts";
import { snowflake } from "../../http/validation.ts";
import type { PreloadMessagesService } from "./preload-messages.service.ts";

const preloadBody = z.object({ channels: z.array(snowflake).max(100) });

export function preloadMessagesRoutes(app: FastifyInstance, preload: PreloadMessagesService) {
  for (const url of ["/users/@me/preload-messages", "/users/@me/channels/messages/preload"]) {
    route(app, {
      method: "POST",
      url,
      auth: "session",
      body: preloadBody,
      handler: ({ actor, body }) => preload.preload(actor, body.channels),
    });
  }
}
