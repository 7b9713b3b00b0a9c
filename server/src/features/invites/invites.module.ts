/** The invites feature: its services and its routes under /api/v1. */
import type { FastifyInstance } from "fastify";
import type { FeatureContext } from "../context.ts";
import { invitesRoutes } from "./invites.routes.ts";
import { createInvitesService } from "./invites.service.ts";

export function createInvitesModule(context: FeatureContext) {
  const invites = createInvitesService(context);
  return {
    /** Also used by the admin API, which creates the owner's invite for the host's dashboard. */
    service: invites,
    routes(scope: FastifyInstance) {
      invitesRoutes(scope, invites);
    },
  };
}
