/**
 * The content type an attachment is stored with: what its bytes are, not what the client said.
 * A recognised format wins over the declared type (a JPEG sent as `application/octet-stream` is
 * `image/jpeg`); a file that claims a media type its bytes do not show (HTML posing as a PNG) is
 * stored as `application/octet-stream`, so it is only ever offered as a download.
 */
import { extname } from "node:path";
import { fileTypeFromBuffer } from "file-type";

const BY_EXTENSION: Record<string, string> = {
  ".png": "image/png",
  ".jpg": "image/jpeg",
  ".jpeg": "image/jpeg",
  ".gif": "image/gif",
  ".webp": "image/webp",
  ".mp4": "video/mp4",
  ".webm": "video/webm",
  ".mov": "video/quicktime",
  ".mp3": "audio/mpeg",
  ".ogg": "audio/ogg",
  ".wav": "audio/wav",
  ".txt": "text/plain",
  ".pdf": "application/pdf",
  ".zip": "application/zip",
};

/** Formats file-type reports under another name than browsers and Fluxer clients expect. */
const ALIASES: Record<string, string> = {
  "audio/x-wav": "audio/wav",
  "audio/wave": "audio/wav",
  "video/x-m4v": "video/mp4",
  "audio/x-m4a": "audio/mp4",
};

/** What the client said: its Content-Type, or the extension when it sent none (or octet-stream). */
export function declaredType(filename: string, declared: string | undefined): string {
  const clean = declared?.split(";")[0]?.trim().toLowerCase();
  if (clean && clean !== "application/octet-stream") return clean;
  return BY_EXTENSION[extname(filename).toLowerCase()] ?? "application/octet-stream";
}

/** Types that a browser renders or plays, so only bytes that prove them may carry them. */
const isMedia = (type: string) => /^(image|video|audio)\//.test(type) || type === "application/pdf";

/** The type to store, from the first bytes of the file (64 KiB are plenty for every signature). */
export async function sniffedType(head: Uint8Array, declared: string): Promise<string> {
  const found = await fileTypeFromBuffer(head);
  if (found) return ALIASES[found.mime] ?? found.mime;
  // No binary signature: text, or a format nobody recognises. Text stays what it said it was.
  return isMedia(declared) ? "application/octet-stream" : declared;
}
