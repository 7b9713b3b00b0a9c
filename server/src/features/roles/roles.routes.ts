/** Role routes under /guilds/{guild_id}/roles. */
import type { FastifyInstance, FastifyRequest } from "fastify";
import { z } from "zod";
import { route } from "../../http/route.ts";
import { permissionBits, snowflake } from "../../http/validation.ts";
import { auditReason } from "../guilds/audit.ts";
import type { RolePositionsService } from "./role-positions.service.ts";
import type { RoleInput, RolesService } from "./roles.service.ts";

const guildParams = z.object({ guild_id: snowflake });
const roleParams = z.object({ guild_id: snowflake, role_id: snowflake });

const reasonOf = (request: FastifyRequest) => auditReason(request.headers["x-audit-log-reason"]);

const roleFields = {
  name: z.string().trim().min(1).max(100).optional(),
  color: z.number().int().min(0).max(0xffffff).optional(),
  permissions: permissionBits.refine((bits) => bits < 1n << 64n, "Permissions fit in 64 bits").optional(),
  hoist: z.boolean().optional(),
  mentionable: z.boolean().optional(),
  unicode_emoji: z.string().min(1).max(64).nullable().optional(),
};

const roleUpdate = z.object({ ...roleFields, hoist_position: z.number().int().min(0).max(2_147_483_647).nullable().optional() });

type RoleBody = z.infer<typeof roleUpdate>;

const toInput = (body: RoleBody): RoleInput => ({
  name: body.name,
  color: body.color,
  permissions: body.permissions,
  hoist: body.hoist,
  hoistPosition: body.hoist_position,
  mentionable: body.mentionable,
  unicodeEmoji: body.unicode_emoji,
});

const positions = z
  .array(z.object({ id: snowflake, position: z.number().int().min(0).max(2_147_483_647).optional() }))
  .min(1)
  .max(250);

const hoistPositions = z
  .array(z.object({ id: snowflake, hoist_position: z.number().int().min(0).max(2_147_483_647) }))
  .min(1)
  .max(250);

export function rolesRoutes(app: FastifyInstance, roles: RolesService, order: RolePositionsService) {
  route(app, {
    method: "GET",
    url: "/guilds/:guild_id/roles",
    auth: "user",
    params: guildParams,
    handler: ({ actor, params }) => roles.list(actor, params.guild_id),
  });

  route(app, {
    method: "POST",
    url: "/guilds/:guild_id/roles",
    auth: "user",
    params: guildParams,
    body: z.object(roleFields),
    handler: ({ actor, params, body, request }) => roles.create(actor, params.guild_id, toInput(body), reasonOf(request)),
  });

  route(app, {
    method: "PATCH",
    url: "/guilds/:guild_id/roles",
    auth: "user",
    params: guildParams,
    body: positions,
    handler: ({ actor, params, body, request }) => order.setPositions(actor, params.guild_id, body, reasonOf(request)),
  });

  route(app, {
    method: "PATCH",
    url: "/guilds/:guild_id/roles/hoist-positions",
    auth: "user",
    params: guildParams,
    body: hoistPositions,
    handler: ({ actor, params, body, request }) => order.setHoistPositions(actor, params.guild_id, body, reasonOf(request)),
  });

  route(app, {
    method: "DELETE",
    url: "/guilds/:guild_id/roles/hoist-positions",
    auth: "user",
    params: guildParams,
    handler: ({ actor, params, request }) => order.resetHoistPositions(actor, params.guild_id, reasonOf(request)),
  });

  route(app, {
    method: "PATCH",
    url: "/guilds/:guild_id/roles/:role_id",
    auth: "user",
    params: roleParams,
    body: roleUpdate,
    handler: ({ actor, params, body, request }) => roles.update(actor, params.guild_id, params.role_id, toInput(body), reasonOf(request)),
  });

  route(app, {
    method: "DELETE",
    url: "/guilds/:guild_id/roles/:role_id",
    auth: "user",
    params: roleParams,
    handler: ({ actor, params, request }) => roles.remove(actor, params.guild_id, params.role_id, reasonOf(request)),
  });
}
