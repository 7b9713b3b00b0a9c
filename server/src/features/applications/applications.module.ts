/** The applications feature (OAuth2 applications, bots, adding bots to guilds): services and routes. */
import type { FastifyInstance } from "fastify";
import type { FeatureContext } from "../context.ts";
import { applicationsRoutes } from "./applications.routes.ts";
import { createApplicationsService } from "./applications.service.ts";
import { createBotAuthorization } from "./bot-authorization.service.ts";

export function createApplicationsModule(context: FeatureContext) {
  const applications = createApplicationsService(context);
  const bots = createBotAuthorization(context);
  return {
    routes(scope: FastifyInstance) {
      applicationsRoutes(scope, applications, bots);
    },
  };
}
