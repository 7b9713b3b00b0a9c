/** The guilds feature: its services and its routes under /api/v1. */
import type { FastifyInstance } from "fastify";
import type { FeatureContext } from "../context.ts";
import { createAuditLogService } from "./audit-log.service.ts";
import { createGuildSettingsService } from "./guild-settings.service.ts";
import { guildsRoutes } from "./guilds.routes.ts";
import { createGuildsService } from "./guilds.service.ts";

export function createGuildsModule(context: FeatureContext) {
  const guilds = createGuildsService(context);
  const settings = createGuildSettingsService(context);
  const auditLog = createAuditLogService(context);
  return {
    guilds,
    settings,
    auditLog,
    routes(scope: FastifyInstance) {
      guildsRoutes(scope, guilds, settings, auditLog);
    },
  };
}
