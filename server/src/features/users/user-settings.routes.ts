import type { FastifyInstance } from "fastify";
import { route } from "../../http/route.ts";
import { userSettingsPatch } from "./user-settings.schemas.ts";
import type { UserSettingsService } from "./user-settings.service.ts";
import { toUserSettingsView } from "./user-settings.views.ts";

export function userSettingsRoutes(app: FastifyInstance, settings: UserSettingsService) {
  route(app, {
    method: "GET",
    url: "/users/@me/settings",
    auth: "session",
    handler: ({ actor }) => toUserSettingsView(settings.get(actor)),
  });

  route(app, {
    method: "PATCH",
    url: "/users/@me/settings",
    auth: "session",
    body: userSettingsPatch,
    handler: ({ actor, body }) => toUserSettingsView(settings.update(actor, body)),
  });
}
