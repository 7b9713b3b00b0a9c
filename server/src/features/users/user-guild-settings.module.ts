import type { FastifyInstance } from "fastify";
import type { FeatureContext } from "../context.ts";
import { userGuildSettingsRoutes } from "./user-guild-settings.routes.ts";
import { createUserGuildSettingsService } from "./user-guild-settings.service.ts";

/** Per-guild notification settings: service and routes. */
export function createUserGuildSettingsModule(context: FeatureContext) {
  const settings = createUserGuildSettingsService(context);
  return {
    routes(scope: FastifyInstance) {
      userGuildSettingsRoutes(scope, settings);
    },
  };
}
