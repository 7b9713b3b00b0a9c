/**
 * The host's admin API, outside Fluxer's `/api/v1` (the pinned spec has no admin routes, so these
 * are ours): `/_appliance/admin/*`, only with `Authorization: Admin <instance.admin_api_key>`.
 * Without a configured key the routes are not registered at all.
 */
import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { AppError } from "../../errors.ts";
import { route } from "../../http/route.ts";
import { username } from "../users/user.schemas.ts";
import { toUserPartial } from "../users/user.views.ts";
import type { AdminService } from "./admin.service.ts";
import { adminKeyMatches } from "./admin-key.ts";

export const ADMIN_PREFIX = "/_appliance/admin";

const claimBody = z.object({
  email: z.email().max(254),
  username: username.optional(),
  global_name: z.string().min(1).max(32).optional(),
  password: z.string().min(8).max(256),
  community_name: z.string().trim().min(2).max(100),
});

export function adminRoutes(app: FastifyInstance, admin: AdminService, key: string | undefined) {
  if (!key) return;
  app.register(
    async (scope) => {
      scope.addHook("onRequest", async (request) => {
        if (!adminKeyMatches(request.headers.authorization, key)) throw new AppError("UNAUTHORIZED");
      });

      route(scope, {
        method: "POST",
        url: "/claim",
        auth: "none",
        body: claimBody,
        handler: async ({ body }) => {
          const { owner, guildId } = await admin.claimOwner(body);
          return { user: toUserPartial(owner), guild_id: guildId.toString() };
        },
      });

      // The invite the host's dashboard shows (with a QR code) to the owner.
      route(scope, {
        method: "POST",
        url: "/invite",
        auth: "none",
        handler: () => admin.ownerInvite(),
      });

      route(scope, {
        method: "GET",
        url: "/instance",
        auth: "none",
        handler: () => {
          const { ownerId, ...figures } = admin.figures();
          return { ...figures, owner_id: ownerId?.toString() ?? null };
        },
      });
    },
    { prefix: ADMIN_PREFIX },
  );
}
