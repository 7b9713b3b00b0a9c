import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { route } from "../../http/route.ts";
import { snowflake } from "../../http/validation.ts";
import { auditReason } from "../guilds/audit.ts";
import type { InvitesService } from "./invites.service.ts";

const createBody = z.object({
  max_age: z.number().int().min(0).max(604_800).nullish(),
  max_uses: z.number().int().min(0).max(100).nullish(),
  temporary: z.boolean().nullish(),
  unique: z.boolean().nullish(),
});

const codeParams = z.object({ invite_code: z.string().min(1).max(64) });

export function invitesRoutes(app: FastifyInstance, invites: InvitesService) {
  route(app, {
    method: "POST",
    url: "/channels/:channel_id/invites",
    auth: "user",
    params: z.object({ channel_id: snowflake }),
    body: createBody,
    handler: ({ actor, params, body, request }) =>
      invites.create(actor, params.channel_id, body, auditReason(request.headers["x-audit-log-reason"])),
  });

  route(app, {
    method: "GET",
    url: "/channels/:channel_id/invites",
    auth: "user",
    params: z.object({ channel_id: snowflake }),
    handler: ({ actor, params }) => invites.listForChannel(actor, params.channel_id),
  });

  route(app, {
    method: "GET",
    url: "/guilds/:guild_id/invites",
    auth: "user",
    params: z.object({ guild_id: snowflake }),
    handler: ({ actor, params }) => invites.listForGuild(actor, params.guild_id),
  });

  // Public: a link preview works before anyone logs in.
  route(app, {
    method: "GET",
    url: "/invites/:invite_code",
    auth: "none",
    params: codeParams,
    handler: ({ params }) => invites.get(params.invite_code),
  });

  route(app, {
    method: "POST",
    url: "/invites/:invite_code",
    auth: "session",
    params: codeParams,
    handler: ({ actor, params }) => invites.accept(actor, params.invite_code),
  });

  route(app, {
    method: "DELETE",
    url: "/invites/:invite_code",
    auth: "user",
    params: codeParams,
    handler: ({ actor, params, request }) => invites.delete(actor, params.invite_code, auditReason(request.headers["x-audit-log-reason"])),
  });
}
