import type { FastifyInstance } from "fastify";
import { z } from "zod";
import { route } from "../../http/route.ts";
import { permissionBits, snowflake } from "../../http/validation.ts";
import { auditReason } from "../guilds/audit.ts";
import { discriminator, username } from "../users/user.schemas.ts";
import { toApplicationMeView, toApplicationView, toBotProfileView, toBotView, toPublicApplicationView } from "./application.views.ts";
import type { ApplicationsService } from "./applications.service.ts";
import type { BotAuthorization } from "./bot-authorization.service.ts";

const name = z.string().trim().min(1).max(100);
const redirectUris = z.array(z.url().max(2048)).max(10).nullish();

const createBody = z.object({
  name,
  redirect_uris: redirectUris,
  bot_public: z.boolean().optional(),
  bot_require_code_grant: z.boolean().optional(),
});

const updateBody = createBody.partial();

/** SudoVerification: only the password, which the service requires (there is no MFA on this instance). */
const sudoBody = z.object({ password: z.string().min(1).max(256).optional() });

const botBody = z.object({
  username: username.optional(),
  discriminator: discriminator.optional(),
  avatar: z.string().nullish(),
  banner: z.string().nullish(),
  bio: z.string().max(320).nullish(),
  // FRIENDLY_BOT (16) and FRIENDLY_BOT_MANUAL_APPROVAL (32) are the only bot flags.
  bot_flags: z
    .number()
    .int()
    .min(0)
    .refine((flags) => (flags & ~48) === 0, "Unknown bot flag")
    .optional(),
});

const consentBody = z.object({
  response_type: z.string().max(64).optional(),
  client_id: snowflake,
  redirect_uri: z.string().max(2048).optional(),
  scope: z.string().min(1).max(1024),
  state: z.string().max(1024).optional(),
  permissions: permissionBits.optional(),
  guild_id: snowflake.optional(),
  channel_id: snowflake.optional(),
});

const idParams = z.object({ id: snowflake });

export function applicationsRoutes(app: FastifyInstance, apps: ApplicationsService, bots: BotAuthorization) {
  route(app, {
    method: "POST",
    url: "/oauth2/applications",
    auth: "session",
    body: createBody,
    handler: ({ actor, body }) => {
      const created = apps.create(actor, body);
      return toApplicationView(created.app, created.bot, created);
    },
  });

  route(app, {
    method: "GET",
    url: "/users/@me/applications",
    auth: "session",
    handler: ({ actor }) => apps.listMine(actor).map(({ app, bot }) => toApplicationView(app, bot)),
  });

  // A bot gets its own application; a user gets the list of theirs.
  route(app, {
    method: "GET",
    url: "/oauth2/applications/@me",
    auth: "user",
    handler: ({ actor }) => {
      if (!actor.user.bot) return apps.listMine(actor).map(({ app, bot }) => toApplicationView(app, bot));
      const mine = apps.ofBot(actor);
      return toApplicationMeView(mine.app, mine.owner, mine.bot);
    },
  });

  route(app, {
    method: "GET",
    url: "/applications/@me",
    auth: "user",
    handler: ({ actor }) => {
      const mine = apps.ofBot(actor);
      return toApplicationMeView(mine.app, mine.owner, mine.bot);
    },
  });

  route(app, {
    method: "GET",
    url: "/oauth2/applications/:id",
    auth: "session",
    params: idParams,
    handler: ({ actor, params }) => {
      const found = apps.get(actor, params.id);
      return toApplicationView(found.app, found.bot);
    },
  });

  route(app, {
    method: "PATCH",
    url: "/oauth2/applications/:id",
    auth: "session",
    params: idParams,
    body: updateBody,
    handler: ({ actor, params, body }) => {
      const updated = apps.update(actor, params.id, body);
      return toApplicationView(updated.app, updated.bot);
    },
  });

  route(app, {
    method: "DELETE",
    url: "/oauth2/applications/:id",
    auth: "session",
    params: idParams,
    body: sudoBody,
    handler: async ({ actor, params, body }) => {
      await apps.delete(actor, params.id, body.password);
    },
  });

  route(app, {
    method: "PATCH",
    url: "/oauth2/applications/:id/bot",
    auth: "session",
    params: idParams,
    body: botBody,
    handler: ({ actor, params, body }) => {
      const updated = apps.updateBot(actor, params.id, body);
      return toBotProfileView(updated.app, updated.bot);
    },
  });

  route(app, {
    method: "POST",
    url: "/oauth2/applications/:id/bot/reset-token",
    auth: "session",
    params: idParams,
    body: sudoBody,
    handler: async ({ actor, params, body }) => {
      const reset = await apps.resetBotToken(actor, params.id, body.password);
      return { token: reset.token, bot: toBotView(reset.app, reset.bot) };
    },
  });

  route(app, {
    method: "POST",
    url: "/oauth2/applications/:id/client-secret/reset",
    auth: "session",
    params: idParams,
    body: sudoBody,
    handler: async ({ actor, params, body }) => {
      const reset = await apps.resetClientSecret(actor, params.id, body.password);
      return toApplicationView(reset.app, reset.bot, { clientSecret: reset.clientSecret });
    },
  });

  route(app, {
    method: "GET",
    url: "/oauth2/applications/:id/public",
    auth: "optional",
    params: idParams,
    handler: ({ actor, params }) => {
      const found = apps.getPublic(params.id);
      return toPublicApplicationView(found.app, found.bot, actor?.user ?? null);
    },
  });

  route(app, {
    method: "POST",
    url: "/oauth2/authorize/consent",
    auth: "session",
    body: consentBody,
    handler: ({ actor, body, request }) => bots.consent(actor, body, auditReason(request.headers["x-audit-log-reason"])),
  });
}
