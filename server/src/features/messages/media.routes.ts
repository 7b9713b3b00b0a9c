/**
 * Attachment files at `/media/attachments/<channel_id>/<attachment_id>/<filename>`, public like
 * Discord's CDN (the ids are unguessable). Only files of existing messages are served, from the blob
 * store, with ranges and conditional requests; types a browser could run on this origin (HTML, SVG,
 * scripts) are sent as downloads.
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { Deps } from "../../deps.ts";
import { AppError } from "../../errors.ts";
import { route } from "../../http/route.ts";
import { snowflake } from "../../http/validation.ts";
import { downloadType, notModified, requestedRange } from "./download-headers.ts";

const params = z.object({ channel_id: snowflake, attachment_id: snowflake, filename: z.string().min(1).max(256) });

export function attachmentMediaRoutes(app: FastifyInstance, deps: Deps) {
  route(app, {
    method: "GET",
    url: "/media/attachments/:channel_id/:attachment_id/:filename",
    auth: "none",
    params,
    handler: async ({ params, request, reply }) => {
      const attachment = deps.stores.messages.getAttachment(params.channel_id, params.attachment_id);
      if (!attachment || attachment.filename !== params.filename) throw new AppError("NOT_FOUND", "Unknown attachment");
      const info = await deps.blobs.head(attachment.storageKey);
      if (!info) throw new AppError("NOT_FOUND", "Unknown attachment");
      const { type, disposition } = downloadType(attachment.contentType, attachment.filename);
      reply
        .header("etag", info.etag)
        .header("last-modified", info.lastModified.toUTCString())
        .header("accept-ranges", "bytes")
        .header("x-content-type-options", "nosniff")
        .header("content-security-policy", "default-src 'none'; sandbox")
        .header("cache-control", "public, max-age=31536000, immutable")
        .header("access-control-allow-origin", "*");
      if (notModified(request.headers, info)) return reply.code(304).send();
      const wanted = requestedRange(request.headers, info);
      if (wanted.kind === "unsatisfiable") {
        return reply.code(416).header("content-range", `bytes */${info.size}`).send();
      }
      const range = wanted.kind === "partial" ? wanted.range : undefined;
      // Gone between the two looks (deleted meanwhile): the same 404 as before.
      const found = await deps.blobs.get(attachment.storageKey, range);
      if (!found) throw new AppError("NOT_FOUND", "Unknown attachment");
      reply.type(type).header("content-disposition", disposition);
      if (range) {
        reply
          .code(206)
          .header("content-range", `bytes ${range.start}-${range.end}/${found.info.size}`)
          .header("content-length", range.end - range.start + 1);
      } else reply.header("content-length", found.info.size);
      return reply.send(found.body);
    },
  });
}
