/**
 * REST rate limits behind the key-value port (memory or Valkey): a global budget per caller and a
 * tighter one for login and registration per address. Every response carries the headers SDKs read.
 */
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { Config } from "../config.ts";
import { AppError } from "../errors.ts";
import type { KeyValueStore, WindowHit } from "../kv/kv.port.ts";
import type { Actor } from "./actor.ts";
import { requestActor } from "./route.ts";

interface Bucket {
  name: string;
  limit: number;
  windowMs: number;
  key: string;
}

const AUTH_ROUTES = /^\/api(\/v1)?\/auth\/(login|register)\b/;

/** A valid token counts against its user (all their sessions together); anything else against the address. */
const callerKey = (request: FastifyRequest, actor: Actor | null): string => (actor ? `u:${actor.user.id}` : `ip:${request.ip}`);

async function bucketFor(app: FastifyInstance, request: FastifyRequest, limits: Config["rate_limits"]): Promise<Bucket | null> {
  // Discovery and health checks are never limited; nor are CORS preflights, which browsers send on their own.
  if (!request.url.startsWith("/api/") || request.method === "OPTIONS") return null;
  if (request.method === "POST" && AUTH_ROUTES.test(request.url)) {
    return { name: "auth", limit: limits.auth_per_minute, windowMs: 60_000, key: `rl:auth:ip:${request.ip}` };
  }
  // The token is checked before it picks the bucket, so a new made-up token per request is still one caller.
  const actor = await requestActor(app, request);
  return { name: "global", limit: limits.global_per_second, windowMs: 1_000, key: `rl:global:${callerKey(request, actor)}` };
}

export function registerRateLimits(app: FastifyInstance, config: Config, kv: KeyValueStore) {
  if (config.dev.disable_rate_limits) return;
  app.addHook("onRequest", async (request, reply) => {
    const bucket = await bucketFor(app, request, config.rate_limits);
    if (!bucket) return;
    let hit: WindowHit;
    try {
      hit = await kv.hit(bucket.key, bucket.windowMs);
    } catch (error) {
      // A key-value outage must not take the whole API down with it: serve unlimited meanwhile.
      request.log.warn({ err: error }, "rate limits unavailable, request let through");
      return;
    }
    const resetAfterMs = Math.max(1, hit.resetAfterMs);
    const resetAfter = Number((resetAfterMs / 1000).toFixed(3));
    reply.header("x-ratelimit-limit", bucket.limit);
    reply.header("x-ratelimit-remaining", Math.max(0, bucket.limit - hit.count));
    // Whole epoch seconds as the spec types it (rounded up, so waiting until then is always enough);
    // Reset-After keeps Discord's millisecond precision.
    reply.header("x-ratelimit-reset", Math.ceil((Date.now() + resetAfterMs) / 1000));
    reply.header("x-ratelimit-reset-after", resetAfter.toFixed(3));
    reply.header("x-ratelimit-bucket", bucket.name);
    if (hit.count > bucket.limit) {
      const global = bucket.name === "global";
      reply.header("retry-after", Math.max(1, Math.ceil(resetAfterMs / 1000)));
      if (global) reply.header("x-ratelimit-global", "true");
      // Thrown, so the 429 leaves through the one error path; headers set on the reply go with it.
      throw new AppError("RATE_LIMITED", "You are being rate limited", undefined, { retry_after: resetAfter, global });
    }
  });
}
