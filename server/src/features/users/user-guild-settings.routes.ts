import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { route } from "../../http/route.ts";
import { snowflake } from "../../http/validation.ts";
import { userGuildSettingsPatch } from "./user-guild-settings.schemas.ts";
import type { UserGuildSettingsService } from "./user-guild-settings.service.ts";
import { toUserGuildSettingsView } from "./user-guild-settings.views.ts";

export function userGuildSettingsRoutes(app: FastifyInstance, settings: UserGuildSettingsService) {
  // The static @me path is matched before the parameter one.
  route(app, {
    method: "PATCH",
    url: "/users/@me/guilds/@me/settings",
    auth: "session",
    body: userGuildSettingsPatch,
    handler: ({ actor, body }) => toUserGuildSettingsView(settings.update(actor, null, body)),
  });

  route(app, {
    method: "PATCH",
    url: "/users/@me/guilds/:guild_id/settings",
    auth: "session",
    params: z.object({ guild_id: snowflake }),
    body: userGuildSettingsPatch,
    handler: ({ actor, params, body }) => toUserGuildSettingsView(settings.update(actor, params.guild_id, body)),
  });
}
