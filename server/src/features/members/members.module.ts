/** The members feature: members, member roles, member search, kicks and bans, under /api/v1. */
import type { FastifyInstance } from "fastify";
import type { FeatureContext } from "../context.ts";
import { createMemberSearch } from "./member-search.ts";
import { membersRoutes } from "./members.routes.ts";
import { createMembersService } from "./members.service.ts";
import { createModerationService } from "./moderation.service.ts";

export function createMembersModule(context: FeatureContext) {
  const members = createMembersService(context);
  const moderation = createModerationService(context);
  const search = createMemberSearch(context);
  return {
    members,
    moderation,
    routes(scope: FastifyInstance) {
      membersRoutes(scope, members, moderation, search);
    },
  };
}
