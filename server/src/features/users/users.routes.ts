import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { route } from "../../http/route.ts";
import { snowflake } from "../../http/validation.ts";
import { discriminator, username } from "./user.schemas.ts";
import { toUserPartial, toUserPrivate, toUserProfileView } from "./user.views.ts";
import type { UsersService } from "./users.service.ts";

const profilePatch = z.object({
  username: username.optional(),
  discriminator: discriminator.optional(),
  global_name: z.string().min(1).max(32).nullish(),
  email: z.email().max(254).optional(),
  new_password: z.string().min(8).max(256).optional(),
  password: z.string().max(256).optional(),
  bio: z.string().max(320).nullish(),
  pronouns: z.string().max(40).nullish(),
  accent_color: z.number().int().min(0).max(0xffffff).nullish(),
});

const flag = z.enum(["true", "false"]).optional();
const profileQuery = z.object({ guild_id: snowflake.optional(), with_mutual_guilds: flag, with_mutual_friends: flag });

export function usersRoutes(app: FastifyInstance, users: UsersService) {
  route(app, {
    method: "GET",
    url: "/users/@me",
    auth: "user",
    handler: ({ actor }) => toUserPrivate(actor.user),
  });

  route(app, {
    method: "PATCH",
    url: "/users/@me",
    auth: "session",
    body: profilePatch,
    handler: async ({ actor, body }) => toUserPrivate(await users.update(actor, body)),
  });

  route(app, {
    method: "GET",
    url: "/users/:target_id/profile",
    auth: "user",
    params: z.object({ target_id: snowflake }),
    query: profileQuery,
    handler: ({ actor, params, query }) =>
      toUserProfileView(
        users.profile(actor, params.target_id, {
          guildId: query.guild_id,
          withMutualGuilds: query.with_mutual_guilds === "true",
          withMutualFriends: query.with_mutual_friends === "true",
        }),
      ),
  });

  route(app, {
    method: "GET",
    url: "/users/:user_id",
    auth: "user",
    params: z.object({ user_id: snowflake }),
    handler: ({ params }) => toUserPartial(users.get(params.user_id)),
  });
}
