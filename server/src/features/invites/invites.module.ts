/** The invites feature: its services and its routes under /api/v1. */
import type { FastifyInstance } from "fastify";
import type { FeatureContext } from "../context.ts";

export function createInvitesModule(_context: FeatureContext) {
  return {
    routes(_scope: FastifyInstance) {},
  };
}
