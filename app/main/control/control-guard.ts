/**
 * The control API's gate, before any route runs. DNS rebinding: a page on a foreign name that
 * resolves to 127.0.0.1 reaches the socket, but its requests carry that name in `Host` and its
 * origin in `Origin`, so both must be exactly this server's loopback address. Cross-site writes:
 * state changes need the session cookie (SameSite=Strict) and a custom header, which no page of
 * another origin can send without a CORS preflight that this server never grants.
 */
import type { FastifyReply, FastifyRequest } from "fastify";
import type { ControlSessions } from "./control-sessions.ts";

export const CONTROL_HEADER = "x-fluxer-host";
const READS = new Set(["GET", "HEAD"]);

export interface Refusal {
  status: number;
  code: string;
  message: string;
}

export function checkRequest(request: FastifyRequest, origin: string, sessions: ControlSessions): Refusal | undefined {
  const ownHost = new URL(origin).host;
  if (request.headers.host !== ownHost) return { status: 403, code: "FOREIGN_HOST", message: `only ${ownHost} is served here` };
  const from = request.headers.origin;
  if (from !== undefined && from !== origin) return { status: 403, code: "FOREIGN_ORIGIN", message: `requests from ${from} are refused` };
  const site = request.headers["sec-fetch-site"];
  if (site !== undefined && site !== "same-origin" && site !== "none") {
    return { status: 403, code: "FOREIGN_ORIGIN", message: `cross-site requests are refused (${site})` };
  }
  if (!request.url.startsWith("/api/")) return undefined;
  if (!sessions.valid(request.headers.cookie)) {
    return { status: 401, code: "NO_SESSION", message: "open the setup link printed on the host's console first" };
  }
  if (!READS.has(request.method) && request.headers[CONTROL_HEADER] !== "1") {
    return { status: 403, code: "MISSING_CONTROL_HEADER", message: `state changes need the ${CONTROL_HEADER}: 1 header` };
  }
  return undefined;
}

export function refuse(reply: FastifyReply, refusal: Refusal): FastifyReply {
  return reply.code(refusal.status).send({ code: refusal.code, message: refusal.message });
}
