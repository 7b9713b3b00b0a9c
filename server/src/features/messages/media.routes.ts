/**
 * Attachment files at `/media/attachments/<channel_id>/<attachment_id>/<filename>`, public like
 * Discord's CDN (the ids are unguessable). Only files of existing messages are served; types a
 * browser could run on this origin (HTML, SVG, scripts) are sent as downloads.
 */
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import type { Deps } from "../../deps.ts";
import { AppError } from "../../errors.ts";
import { route } from "../../http/route.ts";
import { snowflake } from "../../http/validation.ts";
import { createAttachmentFiles } from "./attachment-files.ts";

const INLINE = /^(image\/(png|jpeg|gif|webp|avif)|video\/(mp4|webm|quicktime)|audio\/(mpeg|ogg|wav|webm)|text\/plain|application\/pdf)$/;

const params = z.object({ channel_id: snowflake, attachment_id: snowflake, filename: z.string().min(1).max(256) });

export function attachmentMediaRoutes(app: FastifyInstance, deps: Deps) {
  const files = createAttachmentFiles(deps.dataDir);
  route(app, {
    method: "GET",
    url: "/media/attachments/:channel_id/:attachment_id/:filename",
    auth: "none",
    params,
    handler: async ({ params, reply }) => {
      const attachment = deps.stores.messages.getAttachment(params.channel_id, params.attachment_id);
      if (!attachment || attachment.filename !== params.filename) throw new AppError("NOT_FOUND", "Unknown attachment");
      const path = files.pathOf(attachment.storageKey);
      const info = await stat(path).catch(() => null);
      if (!info?.isFile()) throw new AppError("NOT_FOUND", "Unknown attachment");
      const type = attachment.contentType ?? "application/octet-stream";
      const inline = INLINE.test(type);
      reply
        .type(inline ? type : "application/octet-stream")
        .header("content-length", info.size)
        .header("content-disposition", `${inline ? "inline" : "attachment"}; filename="${attachment.filename}"`)
        .header("x-content-type-options", "nosniff")
        .header("content-security-policy", "default-src 'none'; sandbox")
        .header("cache-control", "public, max-age=31536000, immutable")
        .header("access-control-allow-origin", "*");
      return createReadStream(path);
    },
  });
}
