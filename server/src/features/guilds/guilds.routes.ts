/** Guild routes: the guild itself, its settings and vanity URL, the caller's guild list, and the audit log. */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { route } from "../../http/route.ts";
import { queryInt, snowflake } from "../../http/validation.ts";
import { auditReason } from "./audit.ts";
import type { AuditLogService } from "./audit-log.service.ts";
import type { GuildSettingsService } from "./guild-settings.service.ts";
import type { GuildsService } from "./guilds.service.ts";

const guildParams = z.object({ guild_id: snowflake });
const int = (min: number, max: number) => z.number().int().min(min).max(max);
const image = z
  .string()
  .max(16 * 1024 * 1024)
  .nullish();
const password = z.string().max(256).optional();

const createBody = z.object({
  name: z.string().trim().min(1).max(100),
  icon: image, // accepted and not stored yet: guild images arrive with the media feature
  empty_features: z.boolean().optional(),
});

const patchBody = z.object({
  name: z.string().trim().min(1).max(100).optional(),
  icon: image,
  banner: image,
  splash: image,
  embed_splash: image,
  system_channel_id: snowflake.nullable().optional(),
  rules_channel_id: snowflake.nullable().optional(),
  afk_channel_id: snowflake.nullable().optional(),
  afk_timeout: int(60, 3600).optional(),
  system_channel_flags: int(0, 2147483647).optional(),
  verification_level: int(0, 4).optional(),
  default_message_notifications: int(0, 1).optional(),
  explicit_content_filter: int(0, 2).optional(),
  mfa_level: int(0, 1).optional(),
  nsfw_level: z.union([z.literal(0), z.literal(3)]).optional(),
  nsfw: z.boolean().optional(),
  features: z.array(z.string().max(64)).max(100).optional(),
});

const vanityBody = z.object({
  code: z
    .string()
    .trim()
    .toLowerCase()
    .min(2)
    .max(32)
    .regex(/^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/, "Letters, digits and inner hyphens only")
    .nullable(),
});

const listQuery = z.object({
  before: snowflake.optional(),
  after: snowflake.optional(),
  limit: queryInt(1, 200, 200),
  with_counts: z.enum(["true", "false"]).optional(),
});

const auditQuery = z.object({
  limit: queryInt(1, 100, 50),
  before: snowflake.optional(),
  after: snowflake.optional(),
  user_id: snowflake.optional(),
  action_type: z.coerce.number().int().min(0).max(1000).optional(),
});

export function guildsRoutes(app: FastifyInstance, guilds: GuildsService, settings: GuildSettingsService, auditLog: AuditLogService) {
  route(app, {
    method: "POST",
    url: "/guilds",
    auth: "user", // bots pass the gate so they get Fluxer's BOTS_CANNOT_CREATE_GUILDS
    body: createBody,
    handler: ({ actor, body }) => guilds.create(actor, body),
  });

  route(app, {
    method: "GET",
    url: "/guilds/:guild_id",
    auth: "user",
    params: guildParams,
    handler: ({ actor, params }) => guilds.get(actor, params.guild_id),
  });

  route(app, {
    method: "PATCH",
    url: "/guilds/:guild_id",
    auth: "user",
    params: guildParams,
    body: patchBody,
    handler: ({ actor, params, body, request }) =>
      settings.update(actor, params.guild_id, body, auditReason(request.headers["x-audit-log-reason"])),
  });

  route(app, {
    method: "POST",
    url: "/guilds/:guild_id/delete",
    auth: "user",
    params: guildParams,
    body: z.object({ password }),
    handler: async ({ actor, params, body }) => {
      await guilds.delete(actor, params.guild_id, body.password);
    },
  });

  route(app, {
    method: "POST",
    url: "/guilds/:guild_id/transfer-ownership",
    auth: "user",
    params: guildParams,
    body: z.object({ new_owner_id: snowflake, password }),
    handler: ({ actor, params, body, request }) =>
      guilds.transferOwnership(
        actor,
        params.guild_id,
        body.new_owner_id,
        body.password,
        auditReason(request.headers["x-audit-log-reason"]),
      ),
  });

  route(app, {
    method: "GET",
    url: "/guilds/:guild_id/vanity-url",
    auth: "user",
    params: guildParams,
    handler: ({ actor, params }) => settings.getVanityUrl(actor, params.guild_id),
  });

  route(app, {
    method: "PATCH",
    url: "/guilds/:guild_id/vanity-url",
    auth: "user",
    params: guildParams,
    body: vanityBody,
    handler: ({ actor, params, body, request }) =>
      settings.updateVanityUrl(actor, params.guild_id, body.code, auditReason(request.headers["x-audit-log-reason"])),
  });

  route(app, {
    method: "GET",
    url: "/users/@me/guilds",
    auth: "user",
    query: listQuery,
    handler: ({ actor, query }) =>
      guilds.list(actor, { before: query.before, after: query.after, limit: query.limit, withCounts: query.with_counts === "true" }),
  });

  route(app, {
    method: "DELETE",
    url: "/users/@me/guilds/:guild_id",
    auth: "user",
    params: guildParams,
    handler: ({ actor, params }) => guilds.leave(actor, params.guild_id),
  });

  route(app, {
    method: "GET",
    url: "/guilds/:guild_id/audit-logs",
    auth: "user",
    params: guildParams,
    query: auditQuery,
    handler: ({ actor, params, query }) =>
      auditLog.list(actor, params.guild_id, {
        limit: query.limit,
        before: query.before,
        after: query.after,
        userId: query.user_id,
        actionType: query.action_type,
      }),
  });
}
