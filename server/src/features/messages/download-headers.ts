/**
 * HTTP download semantics for stored files: conditional requests (`If-None-Match`,
 * `If-Modified-Since`), one byte range (`Range`, honoured only while `If-Range` still matches), and a
 * `Content-Disposition` that never lets an upload run as a page on our origin.
 */
import type { BlobInfo, BlobRange } from "../../blobs/blob-store.port.ts";

/** Types a browser shows but cannot run: anything else (HTML, SVG, scripts...) is a download. */
const INLINE = /^(image\/(png|jpeg|gif|webp|avif)|video\/(mp4|webm|quicktime)|audio\/(mpeg|ogg|wav|webm)|text\/plain|application\/pdf)$/;

type Headers = Record<string, string | string[] | undefined>;

const header = (headers: Headers, name: string) => {
  const value = headers[name];
  return Array.isArray(value) ? value.join(",") : value;
};

/** True when the client's copy is current, so the answer is 304 without a body. */
export function notModified(headers: Headers, info: BlobInfo): boolean {
  const ifNoneMatch = header(headers, "if-none-match");
  if (ifNoneMatch !== undefined) {
    // Weak comparison, as RFC 9110 asks for If-None-Match.
    const tags = ifNoneMatch.split(",").map((tag) => tag.trim().replace(/^W\//, ""));
    return tags.includes("*") || tags.includes(info.etag);
  }
  const since = Date.parse(header(headers, "if-modified-since") ?? "");
  return Number.isFinite(since) && Math.floor(info.lastModified.getTime() / 1000) * 1000 <= since;
}

export type RangeAnswer = { kind: "whole" } | { kind: "partial"; range: BlobRange } | { kind: "unsatisfiable" };

/** What a `Range` header asks of an object of `info.size` bytes; several ranges get the whole object. */
export function requestedRange(headers: Headers, info: BlobInfo): RangeAnswer {
  const value = header(headers, "range");
  if (!value) return { kind: "whole" };
  const ifRange = header(headers, "if-range");
  if (ifRange !== undefined && ifRange.trim() !== info.etag) return { kind: "whole" };
  const match = /^bytes=(\d*)-(\d*)$/.exec(value.trim());
  if (!match || (match[1] === "" && match[2] === "")) return { kind: "whole" }; // not one range we read: ignore it
  const size = info.size;
  let start: number;
  let end: number;
  if (match[1] === "") {
    const suffix = Number(match[2]);
    if (suffix === 0) return { kind: "unsatisfiable" };
    start = Math.max(0, size - suffix);
    end = size - 1;
  } else {
    start = Number(match[1]);
    end = match[2] === "" ? size - 1 : Math.min(Number(match[2]), size - 1);
    if (match[2] !== "" && Number(match[2]) < start) return { kind: "whole" }; // invalid: ignored, as RFC 9110 says
  }
  if (start >= size || end < start) return { kind: "unsatisfiable" };
  return { kind: "partial", range: { start, end } };
}

/** The served type and disposition: inline only for types a browser cannot execute. */
export function downloadType(contentType: string | null, filename: string): { type: string; disposition: string } {
  const type = contentType ?? "application/octet-stream";
  const inline = INLINE.test(type);
  // The filename is already plain ASCII (sanitised at upload); quotes and backslashes go anyway.
  const safe = filename.replace(/["\\\r\n]/g, "_");
  return { type: inline ? type : "application/octet-stream", disposition: `${inline ? "inline" : "attachment"}; filename="${safe}"` };
}
