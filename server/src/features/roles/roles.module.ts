/** The roles feature: its services and its routes under /api/v1. */
import type { FastifyInstance } from "fastify";
import type { FeatureContext } from "../context.ts";
import { createRolePositionsService } from "./role-positions.service.ts";
import { rolesRoutes } from "./roles.routes.ts";
import { createRolesService } from "./roles.service.ts";

export function createRolesModule(context: FeatureContext) {
  const roles = createRolesService(context);
  const positions = createRolePositionsService(context);
  return {
    roles,
    routes(scope: FastifyInstance) {
      rolesRoutes(scope, roles, positions);
    },
  };
}
