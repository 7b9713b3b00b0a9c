/**
 * What a broken multipart upload means to the client. The parser (busboy, @fastify/multipart)
 * throws plain errors for a client's mistakes (no boundary, a truncated part, a bad header); those
 * are the client's fault and answer 400, while a failing disk stays a 500.
 */
import { AppError, invalidForm } from "../../errors.ts";

const LIMIT_CODES: Record<string, { path: string; message: string }> = {
  FST_FILES_LIMIT: { path: "files", message: "Too many files in one message" },
  FST_PARTS_LIMIT: { path: "body", message: "Too many parts in the form" },
  FST_FIELDS_LIMIT: { path: "body", message: "Too many fields in the form" },
  FST_PROTO_VIOLATION: { path: "body", message: "That field name is not allowed" },
  FST_INVALID_JSON_FIELD_ERROR: { path: "payload_json", message: "Not valid JSON" },
};

/** An error from reading the form, as the AppError the client should get (disk errors pass through). */
export function multipartError(error: unknown): unknown {
  if (error instanceof AppError) return error;
  const { code, syscall, message } = (error ?? {}) as { code?: unknown; syscall?: unknown; message?: unknown };
  if (typeof syscall === "string") return error; // the file system failed, not the client
  if (code === "FST_REQ_FILE_TOO_LARGE") return new AppError("FILE_SIZE_TOO_LARGE");
  const limit = typeof code === "string" ? LIMIT_CODES[code] : undefined;
  if (limit) {
    const itemCode = code === "FST_INVALID_JSON_FIELD_ERROR" ? "INVALID_JSON" : "BASE_TYPE_MAX_LENGTH";
    return invalidForm([
      { path: limit.path, code: code === "FST_PROTO_VIOLATION" ? "BASE_TYPE_INVALID" : itemCode, message: limit.message },
    ]);
  }
  // Busboy's own errors carry no code: a missing boundary, a truncated body, a malformed header.
  const text = typeof message === "string" && message !== "" ? message : "The multipart body is malformed";
  return invalidForm([{ path: "body", code: "BASE_TYPE_INVALID", message: text }]);
}
