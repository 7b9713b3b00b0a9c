/** The messages feature: its services and its routes under /api/v1. */
import type { FastifyInstance } from "fastify";
import type { FeatureContext } from "../context.ts";
import { createAttachmentFiles } from "./attachment-files.ts";
import { createMentionResolver } from "./mentions.ts";
import { createMessageEvents } from "./message-events.ts";
import { createMessageRenderer } from "./message-render.ts";
import { createMessageSendService } from "./message-send.service.ts";
import { messagesRoutes } from "./messages.routes.ts";
import { createMessagesService } from "./messages.service.ts";
import { pinsRoutes } from "./pins.routes.ts";
import { createPinsService } from "./pins.service.ts";
import { reactionsRoutes } from "./reactions.routes.ts";
import { createReactionsService } from "./reactions.service.ts";
import { createReadStatesService } from "./read-states.service.ts";

export function createMessagesModule(context: FeatureContext) {
  const { deps } = context;
  const parts = {
    render: createMessageRenderer(deps),
    mentions: createMentionResolver(deps),
    events: createMessageEvents(deps),
    files: createAttachmentFiles({
      dataDir: deps.dataDir,
      blobs: deps.blobs,
      cleanup: deps.blobCleanup,
      maxTotalBytes: deps.config.limits.max_request_body_bytes,
    }),
  };
  const send = createMessageSendService(context, parts);
  const messages = createMessagesService(context, parts);
  const reactions = createReactionsService(context, parts.events);
  const pins = createPinsService(context, parts.render, parts.events);
  const readStates = createReadStatesService(context, parts.events);
  return {
    routes(scope: FastifyInstance) {
      messagesRoutes(scope, { send, messages, files: parts.files, config: deps.config });
      reactionsRoutes(scope, reactions);
      pinsRoutes(scope, pins, readStates);
    },
  };
}
