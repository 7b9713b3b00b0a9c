/** Message routes: send (JSON or multipart), history, get, edit, delete, bulk delete, slowmode state, typing. */
import type { FastifyInstance } from "fastify";
import type { Config } from "../../config.ts";
import { fieldError } from "../../errors.ts";
import { route } from "../../http/route.ts";
import { parseWith } from "../../http/validation.ts";
import { auditReason } from "../guilds/audit.ts";
import type { AttachmentFiles, MessageForm } from "./attachment-files.ts";
import { bulkDeleteBody, channelParams, historyQuery, messageParams, messageSchemas } from "./message.schemas.ts";
import type { MessageSendService } from "./message-send.service.ts";
import type { MessagesService } from "./messages.service.ts";

export interface MessageRouteServices {
  send: MessageSendService;
  messages: MessagesService;
  files: AttachmentFiles;
  config: Config;
}

export function messagesRoutes(app: FastifyInstance, { send, messages, files, config }: MessageRouteServices) {
  const schemas = messageSchemas(config);

  route(app, {
    method: "POST",
    url: "/channels/:channel_id/messages",
    auth: "user",
    params: channelParams,
    readBody: (request) => files.receive(request),
    handler: async ({ actor, params, body }) => {
      const form = body as MessageForm;
      try {
        const input = parseWith(schemas.send, form.payload ?? {}, "body");
        return await send.send(actor, params.channel_id, input, form.files);
      } finally {
        await files.discard(form.files); // whatever was not moved into place
      }
    },
  });

  route(app, {
    method: "GET",
    url: "/channels/:channel_id/messages",
    auth: "user",
    params: channelParams,
    query: historyQuery,
    handler: ({ actor, params, query }) => messages.list(actor, params.channel_id, query),
  });

  route(app, {
    method: "GET",
    url: "/channels/:channel_id/messages/:message_id",
    auth: "user",
    params: messageParams,
    handler: ({ actor, params }) => messages.get(actor, params.channel_id, params.message_id),
  });

  route(app, {
    method: "PATCH",
    url: "/channels/:channel_id/messages/:message_id",
    auth: "user",
    params: messageParams,
    readBody: (request) => files.receive(request),
    handler: async ({ actor, params, body }) => {
      const form = body as MessageForm;
      try {
        if (form.files.length > 0) throw fieldError("files", "Adding files to a sent message is not supported", "BASE_TYPE_INVALID");
        const input = parseWith(schemas.edit, form.payload ?? {}, "body");
        return messages.edit(actor, params.channel_id, params.message_id, input);
      } finally {
        await files.discard(form.files);
      }
    },
  });

  route(app, {
    method: "DELETE",
    url: "/channels/:channel_id/messages/:message_id",
    auth: "user",
    params: messageParams,
    handler: ({ actor, params, request }) =>
      messages.delete(actor, params.channel_id, params.message_id, auditReason(request.headers["x-audit-log-reason"])),
  });

  route(app, {
    method: "POST",
    url: "/channels/:channel_id/messages/bulk-delete",
    auth: "user",
    params: channelParams,
    body: bulkDeleteBody,
    handler: ({ actor, params, body, request }) =>
      messages.bulkDelete(
        actor,
        params.channel_id,
        body.messages ?? body.message_ids ?? [],
        auditReason(request.headers["x-audit-log-reason"]),
      ),
  });

  route(app, {
    method: "GET",
    url: "/channels/:channel_id/slowmode",
    auth: "user",
    params: channelParams,
    handler: ({ actor, params }) => send.slowmodeState(actor, params.channel_id),
  });

  route(app, {
    method: "POST",
    url: "/channels/:channel_id/typing",
    auth: "user",
    params: channelParams,
    handler: ({ actor, params }) => messages.typing(actor, params.channel_id),
  });
}
