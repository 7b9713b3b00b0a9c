/**
 * A route as a recipe: method, URL, who may call it, the zod shapes of its input, and a handler
 * that calls one service. A handler's return value is the JSON body; `undefined` answers 204.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { z } from "zod";
import { AppError, invalidForm } from "../errors.ts";
import type { Actor } from "./actor.ts";
import { parseWith } from "./validation.ts";

type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

/** user: session or bot token; session: user sessions only (bots are refused). */
export type AuthMode = "user" | "session";

interface Shapes<P, Q, B> {
  method: Method;
  url: string;
  params?: z.ZodType<P>;
  query?: z.ZodType<Q>;
  body?: z.ZodType<B>;
  /** Reads the raw body another way (e.g. multipart) before `body` validates it. */
  readBody?: (request: FastifyRequest) => Promise<unknown>;
}

interface Input<P, Q, B> {
  params: P;
  query: Q;
  body: B;
  request: FastifyRequest;
  reply: FastifyReply;
}

export interface AuthedRoute<P, Q, B> extends Shapes<P, Q, B> {
  auth: AuthMode;
  handler(input: Input<P, Q, B> & { actor: Actor }): unknown;
}

export interface PublicRoute<P, Q, B> extends Shapes<P, Q, B> {
  /** none: anyone; optional: anyone, with the actor when a valid token is sent. */
  auth: "none" | "optional";
  handler(input: Input<P, Q, B> & { actor: Actor | null }): unknown;
}

/** Resolves an Authorization header to an actor (or null); set once by the app. */
export type Authenticator = (header: string | undefined) => Promise<Actor | null>;

declare module "fastify" {
  interface FastifyInstance {
    authenticate: Authenticator;
  }
  interface FastifyRequest {
    /** The caller once resolved (null: no valid token); undefined until `requestActor` ran. */
    actor: Actor | null | undefined;
  }
}

/** The request's caller, authenticated at most once: the rate limits and the route share the answer. */
export async function requestActor(app: FastifyInstance, request: FastifyRequest): Promise<Actor | null> {
  if (request.actor === undefined) request.actor = await app.authenticate(request.headers.authorization);
  return request.actor;
}

export function route<P = unknown, Q = unknown, B = unknown>(
  app: FastifyInstance,
  definition: AuthedRoute<P, Q, B> | PublicRoute<P, Q, B>,
): void {
  app.route({
    method: definition.method,
    url: definition.url,
    handler: async (request, reply) => {
      const actor = definition.auth === "none" ? null : await requestActor(app, request);
      if (!actor && (definition.auth === "user" || definition.auth === "session")) throw new AppError("UNAUTHORIZED");
      if (actor?.user.bot && definition.auth === "session") throw new AppError("BOT_USER_AUTH_ENDPOINT_ACCESS_DENIED");
      const params = definition.params ? parseWith(definition.params, request.params, "params") : (request.params as P);
      const query = definition.query ? parseWith(definition.query, request.query ?? {}, "query") : (request.query as Q);
      // Only routes that read forms themselves take multipart; elsewhere the form would be silently empty.
      if (!definition.readBody && request.isMultipart()) {
        throw invalidForm([{ path: "body", code: "BASE_TYPE_INVALID", message: "This route takes a JSON body, not multipart/form-data" }]);
      }
      const raw = definition.readBody ? await definition.readBody(request) : request.body;
      const body = definition.body ? parseWith(definition.body, raw ?? {}, "body") : (raw as B);
      const result = await (definition.handler as PublicRoute<P, Q, B>["handler"])({ actor, params, query, body, request, reply });
      if (result === undefined) return reply.code(204).send();
      return result;
    },
  });
}
