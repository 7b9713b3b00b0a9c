/** Every error leaves as Fluxer's `{code, message, errors?}`, whatever threw it. */
import type { FastifyError, FastifyInstance, FastifyRequest } from "fastify";
import { AppError } from "../errors.ts";
import { fluxerRoutes } from "./fluxer-routes.generated.ts";

/** Turns a fastify-style template into a matcher for one method. */
function compile([method, template]: readonly [string, string]) {
  const pattern = template.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/:[A-Za-z_]+/g, "[^/]+");
  return { method, regex: new RegExp(`^${pattern}$`) };
}

export function registerErrorHandling(app: FastifyInstance) {
  const known = fluxerRoutes.map(compile);

  app.setErrorHandler((error: FastifyError | AppError, request, reply) => {
    if (error instanceof AppError) {
      const retryAfter = error.extra?.retry_after;
      if (error.code === "RATE_LIMITED" && typeof retryAfter === "number") reply.header("retry-after", Math.max(1, Math.ceil(retryAfter)));
      return reply.code(error.status).send(error.toBody());
    }
    const mapped = fromFastifyError(error);
    if (mapped) return reply.code(mapped.status).send(mapped.toBody());
    reportCrash(request, error);
    return reply.code(500).send(new AppError("INTERNAL_SERVER_ERROR").toBody());
  });

  // A route of Fluxer's API that this build does not serve yet says so, instead of a bare 404.
  app.setNotFoundHandler((request, reply) => {
    const path = (request.url.split("?")[0] ?? "").replace(/^\/api(\/v1)?(?=\/)/, "");
    const isApi = /^\/api(\/v1)?\//.test(request.url);
    if (isApi && known.some((route) => route.method === request.method && route.regex.test(path))) {
      return reply.code(403).send(new AppError("FEATURE_TEMPORARILY_DISABLED").toBody());
    }
    return reply.code(404).send(new AppError("NOT_FOUND", `No route for ${request.method} ${path}`).toBody());
  });
}

/**
 * A 500 is a bug: it is always recorded with its stack, through the logger when it writes errors,
 * else straight to stderr (an app built with no logger, or a silent one, still reports it).
 */
function reportCrash(request: FastifyRequest, error: unknown) {
  const log = request.log as FastifyRequest["log"] & { isLevelEnabled?: (level: string) => boolean };
  if (log.isLevelEnabled?.("error")) {
    log.error({ err: error, method: request.method, url: request.url }, "unhandled error");
    return;
  }
  const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
  process.stderr.write(`${new Date().toISOString()} unhandled error on ${request.method} ${request.url} (${request.id}): ${stack}\n`);
}

function fromFastifyError(error: FastifyError): AppError | null {
  switch (error.code) {
    case "FST_ERR_CTP_INVALID_JSON_BODY":
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return new AppError("INVALID_FORM_BODY", "The request body is not valid JSON", [
        { path: "body", code: "INVALID_JSON", message: error.message },
      ]);
    case "FST_ERR_CTP_BODY_TOO_LARGE":
    case "FST_REQ_FILE_TOO_LARGE":
      return new AppError("FILE_SIZE_TOO_LARGE", "The request body is too large");
    case "FST_FILES_LIMIT":
    case "FST_PARTS_LIMIT":
    case "FST_FIELDS_LIMIT":
      return new AppError("INVALID_FORM_BODY", "Too many parts in the form", [
        { path: "body", code: "BASE_TYPE_MAX_LENGTH", message: error.message },
      ]);
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return new AppError("BAD_REQUEST", "Unsupported content type");
    case "FST_INVALID_MULTIPART_CONTENT_TYPE":
      return new AppError("BAD_REQUEST", "The request is not multipart");
  }
  if (error.statusCode === 429) return new AppError("RATE_LIMITED");
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) return new AppError("BAD_REQUEST", error.message);
  return null;
}
