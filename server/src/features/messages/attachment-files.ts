/**
 * Attachment files: uploads stream into `<dataDir>/attachments/.incoming/` first (a local spool, so
 * they can be measured and checked), and only go into the blob store once the message is accepted,
 * under `attachments/<channel_id>/<attachment_id>/<filename>`. A refused or failed request leaves
 * nothing behind, and nothing half-written is ever served.
 */
import { randomUUID } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, open, rm, stat } from "node:fs/promises";
import { extname, join } from "node:path";
import { pipeline } from "node:stream/promises";
import type { FastifyRequest } from "fastify";
import type { BlobCleanup } from "../../blobs/blob-cleanup.ts";
import type { BlobStore } from "../../blobs/blob-store.port.ts";
import { AppError } from "../../errors.ts";
import { attachmentKey, keysToDelete } from "../attachment-removal.ts";
import { declaredType, sniffedType } from "./attachment-type.ts";
import { imageSize } from "./image-size.ts";
import { multipartError } from "./multipart-errors.ts";

/** A file part of a message upload, waiting in `.incoming/`. */
export interface IncomingFile {
  /** `n` of a `files[n]` part (matches `attachments[].id`), else its position among the files. */
  index: number;
  filename: string;
  contentType: string;
  size: number;
  width: number | null;
  height: number | null;
  tempPath: string;
}

/** A message request: the JSON payload (from JSON, `payload_json` or plain parts) and its files. */
export interface MessageForm {
  payload: unknown;
  files: IncomingFile[];
}

/** A filename that is safe as one path segment and in a URL: ASCII letters, digits, `._-`, no leading dot. */
export function sanitizeFilename(name: string): string {
  const base = name.split(/[\\/]/).pop() ?? "";
  let clean = base
    .replace(/[^A-Za-z0-9._-]+/g, "_")
    .replace(/_+/g, "_")
    .replace(/^\.+/, "");
  if (clean.length > 128) {
    const ext = extname(clean).slice(0, 16);
    clean = clean.slice(0, 128 - ext.length) + ext;
  }
  return clean === "" || clean === "_" ? "unknown" : clean;
}

/** Plain multipart fields (no payload_json): JSON-valued fields are parsed, flags and tts coerced. */
function payloadFromFields(fields: Record<string, unknown>): Record<string, unknown> {
  const payload: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    if (typeof value !== "string") payload[key] = value;
    else if (key === "tts") payload[key] = value === "true" || value === "1";
    else if (key === "flags" && /^\d+$/.test(value)) payload[key] = Number(value);
    else if (["message_reference", "allowed_mentions", "attachments", "embeds", "sticker_ids"].includes(key)) {
      try {
        payload[key] = JSON.parse(value);
      } catch {
        throw new AppError("INVALID_FORM_BODY", undefined, [{ path: key, code: "INVALID_JSON", message: "Not valid JSON" }]);
      }
    } else payload[key] = value;
  }
  return payload;
}

/** The message payload of a form: `payload_json` (a JSON object) when sent, else the plain fields. */
function payloadOf(fields: Record<string, unknown>): unknown {
  const raw = fields.payload_json;
  if (raw === undefined) return payloadFromFields(fields);
  let payload = raw; // a part sent as application/json is parsed already
  if (typeof raw === "string") {
    try {
      payload = JSON.parse(raw);
    } catch {
      throw new AppError("INVALID_FORM_BODY", undefined, [{ path: "payload_json", code: "INVALID_JSON", message: "Not valid JSON" }]);
    }
  }
  if (payload === null || typeof payload !== "object" || Array.isArray(payload)) {
    throw new AppError("INVALID_FORM_BODY", undefined, [
      { path: "payload_json", code: "BASE_TYPE_INVALID", message: "payload_json must be a JSON object" },
    ]);
  }
  return payload;
}

export interface AttachmentFilesOptions {
  /** The local folder whose `attachments/.incoming/` holds uploads in flight. */
  dataDir: string;
  blobs: BlobStore;
  cleanup: BlobCleanup;
  /** All files of one message together (the request body limit). */
  maxTotalBytes?: number;
}

export function createAttachmentFiles({ dataDir, blobs, cleanup, maxTotalBytes = Number.POSITIVE_INFINITY }: AttachmentFilesOptions) {
  const incoming = join(dataDir, "attachments", ".incoming");

  async function discard(files: readonly IncomingFile[]) {
    await Promise.all(files.map((file) => rm(file.tempPath, { force: true })));
  }

  /** Size, the type the bytes show, and an image's dimensions, from the spooled file. */
  async function measure(file: IncomingFile) {
    file.size = (await stat(file.tempPath)).size;
    const handle = await open(file.tempPath, "r");
    try {
      const head = Buffer.alloc(Math.min(64 * 1024, file.size));
      const { bytesRead } = await handle.read(head, 0, head.length, 0);
      const start = head.subarray(0, bytesRead);
      file.contentType = await sniffedType(start, file.contentType);
      const size = file.contentType.startsWith("image/") ? imageSize(start) : null;
      if (size) Object.assign(file, size);
    } finally {
      await handle.close();
    }
  }

  return {
    /** Reads a message request: JSON as is, multipart with its files streamed to `.incoming/`. */
    async receive(request: FastifyRequest): Promise<MessageForm> {
      if (!request.isMultipart()) return { payload: request.body ?? {}, files: [] };
      const files: IncomingFile[] = [];
      const fields: Record<string, unknown> = {};
      try {
        await mkdir(incoming, { recursive: true });
        for await (const part of request.parts()) {
          if (part.type === "field") {
            fields[part.fieldname] = part.value;
            continue;
          }
          const numbered = /^files\[(\d{1,2})\]$/.exec(part.fieldname);
          const filename = sanitizeFilename(part.filename || "unknown");
          const file: IncomingFile = {
            index: numbered ? Number(numbered[1]) : files.length,
            filename,
            contentType: declaredType(filename, part.mimetype),
            size: 0,
            width: null,
            height: null,
            tempPath: join(incoming, randomUUID()),
          };
          files.push(file); // listed before writing, so a failure mid-stream is cleaned up too
          // Opened before streaming: the file exists (and is removed) even if the part fails at once.
          const handle = await open(file.tempPath, "w");
          await pipeline(part.file, handle.createWriteStream());
          if (part.file.truncated) throw new AppError("FILE_SIZE_TOO_LARGE");
          await measure(file);
          if (files.reduce((total, one) => total + one.size, 0) > maxTotalBytes) {
            throw new AppError("MESSAGE_TOTAL_ATTACHMENT_SIZE_TOO_LARGE");
          }
        }
        return { payload: payloadOf(fields), files };
      } catch (error) {
        await discard(files);
        throw multipartError(error);
      }
    },

    /** Streams an accepted upload into the blob store, drops it from the spool, and returns its storage key. */
    async commit(file: IncomingFile, channelId: bigint, attachmentId: bigint): Promise<string> {
      const storageKey = attachmentKey(channelId, attachmentId, file.filename);
      // The spool file was measured: a size that changed since means something else wrote to it.
      await blobs.put(storageKey, createReadStream(file.tempPath), { contentType: file.contentType, maxBytes: file.size });
      await rm(file.tempPath, { force: true });
      return storageKey;
    },

    discard,

    /** Deletes stored attachments' blobs (through the retry queue: a failure is tried again later). */
    remove: (storageKeys: readonly string[]) => cleanup.remove(keysToDelete(storageKeys)),
  };
}

export type AttachmentFiles = ReturnType<typeof createAttachmentFiles>;
