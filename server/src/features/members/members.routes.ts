/** Member, member-role, search and ban routes under /guilds/{guild_id}. */
import type { FastifyInstance, FastifyRequest } from "fastify";
import { z } from "zod";
import { route } from "../../http/route.ts";
import { queryInt, snowflake } from "../../http/validation.ts";
import { auditReason } from "../guilds/audit.ts";
import type { MemberSearch } from "./member-search.ts";
import type { MembersService } from "./members.service.ts";
import type { ModerationService } from "./moderation.service.ts";

const guildParams = z.object({ guild_id: snowflake });
const memberParams = z.object({ guild_id: snowflake, user_id: snowflake });
const memberRoleParams = z.object({ guild_id: snowflake, user_id: snowflake, role_id: snowflake });

const reasonOf = (request: FastifyRequest) => auditReason(request.headers["x-audit-log-reason"]);

const nick = z.string().max(32).nullable().optional();

const memberPatch = z.object({
  nick,
  roles: z.array(snowflake).max(100).optional(),
  mute: z.boolean().optional(),
  deaf: z.boolean().optional(),
  communication_disabled_until: z.iso.datetime({ offset: true }).nullable().optional(),
  timeout_reason: z.string().max(512).nullable().optional(),
});

/** Your own member: only the nickname. Roles sent here are refused, not silently dropped. */
const selfPatch = z.object({
  nick,
  roles: z
    .unknown()
    .refine((value) => value === undefined, {
      message: "Roles cannot be changed through @me; use PATCH /guilds/{guild_id}/members/{user_id} with MANAGE_ROLES",
    })
    .optional(),
});

const banBody = z.object({
  delete_message_days: z.number().int().min(0).max(7).optional(),
  delete_message_seconds: z.number().int().min(0).max(604_800).optional(),
  reason: z.string().max(512).nullable().optional(),
  ban_duration_seconds: z
    .number()
    .int()
    .refine((s) => s === 0 || (s >= 60 && s <= 63_072_000), "Use 0 (permanent) or 60 to 63072000 seconds")
    .optional(),
});

const searchBody = z.object({
  query: z.string().max(100).optional(),
  limit: z.number().int().min(1).max(100).optional(),
  offset: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
  role_ids: z.array(snowflake).max(10).optional(),
  joined_at_gte: z.number().int().optional(),
  joined_at_lte: z.number().int().optional(),
  join_source_type: z.array(z.number().int()).max(10).optional(),
  source_invite_code: z.array(z.string()).max(10).optional(),
  is_bot: z.boolean().optional(),
  user_created_at_gte: z.number().int().optional(),
  user_created_at_lte: z.number().int().optional(),
  sort_by: z.enum(["joinedAt", "relevance"]).optional(),
  sort_order: z.enum(["asc", "desc"]).optional(),
});

export function membersRoutes(app: FastifyInstance, members: MembersService, moderation: ModerationService, search: MemberSearch) {
  route(app, {
    method: "GET",
    url: "/guilds/:guild_id/members",
    auth: "user",
    params: guildParams,
    query: z.object({ limit: queryInt(1, 1000, 1), after: snowflake.optional() }),
    handler: ({ actor, params, query }) => members.list(actor, params.guild_id, query),
  });

  route(app, {
    method: "GET",
    url: "/guilds/:guild_id/members/@me",
    auth: "user",
    params: guildParams,
    handler: ({ actor, params }) => members.get(actor, params.guild_id, actor.user.id),
  });

  route(app, {
    method: "PATCH",
    url: "/guilds/:guild_id/members/@me",
    auth: "user",
    params: guildParams,
    body: selfPatch,
    handler: ({ actor, params, body, request }) => members.updateSelf(actor, params.guild_id, { nick: body.nick }, reasonOf(request)),
  });

  route(app, {
    method: "GET",
    url: "/guilds/:guild_id/members/:user_id",
    auth: "user",
    params: memberParams,
    handler: ({ actor, params }) => members.get(actor, params.guild_id, params.user_id),
  });

  route(app, {
    method: "PATCH",
    url: "/guilds/:guild_id/members/:user_id",
    auth: "user",
    params: memberParams,
    body: memberPatch,
    handler: ({ actor, params, body, request }) =>
      members.update(
        actor,
        params.guild_id,
        params.user_id,
        {
          nick: body.nick,
          roles: body.roles,
          mute: body.mute,
          deaf: body.deaf,
          communicationDisabledUntil:
            body.communication_disabled_until === undefined
              ? undefined
              : body.communication_disabled_until === null
                ? null
                : Date.parse(body.communication_disabled_until),
          timeoutReason: body.timeout_reason,
        },
        reasonOf(request),
      ),
  });

  route(app, {
    method: "DELETE",
    url: "/guilds/:guild_id/members/:user_id",
    auth: "user",
    params: memberParams,
    handler: ({ actor, params, request }) => moderation.kick(actor, params.guild_id, params.user_id, reasonOf(request)),
  });

  for (const [method, held] of [
    ["PUT", true],
    ["DELETE", false],
  ] as const) {
    route(app, {
      method,
      url: "/guilds/:guild_id/members/:user_id/roles/:role_id",
      auth: "user",
      params: memberRoleParams,
      handler: ({ actor, params, request }) =>
        members.setRole(actor, params.guild_id, params.user_id, params.role_id, held, reasonOf(request)),
    });
  }

  route(app, {
    method: "POST",
    url: "/guilds/:guild_id/members-search",
    auth: "user",
    params: guildParams,
    body: searchBody,
    handler: ({ actor, params, body }) => search.search(actor, params.guild_id, body),
  });

  route(app, {
    method: "GET",
    url: "/guilds/:guild_id/bans",
    auth: "user",
    params: guildParams,
    query: z.object({ limit: queryInt(1, 1000, 1000), before: snowflake.optional(), after: snowflake.optional() }),
    handler: ({ actor, params, query }) => moderation.listBans(actor, params.guild_id, query),
  });

  route(app, {
    method: "PUT",
    url: "/guilds/:guild_id/bans/:user_id",
    auth: "user",
    params: memberParams,
    body: banBody,
    handler: ({ actor, params, body, request }) =>
      moderation.ban(actor, params.guild_id, params.user_id, {
        // Fluxer takes the reason in the body; Discord clients send the header.
        reason: body.reason?.trim() || reasonOf(request),
        deleteMessageSeconds: body.delete_message_seconds ?? (body.delete_message_days ?? 0) * 86_400,
        durationSeconds: body.ban_duration_seconds ?? 0,
      }),
  });

  route(app, {
    method: "DELETE",
    url: "/guilds/:guild_id/bans/:user_id",
    auth: "user",
    params: memberParams,
    handler: ({ actor, params, request }) => moderation.unban(actor, params.guild_id, params.user_id, reasonOf(request)),
  });
}
