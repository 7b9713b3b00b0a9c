/**
 * buildApp: the HTTP server without listen(). Routes → services → ports; services are created
 * here from the composition root's deps, so tests and main build the very same app.
 */
import { constants as zlib } from "node:zlib";
import compress from "@fastify/compress";
import multipart from "@fastify/multipart";
import Fastify, { type FastifyInstance, LogController } from "fastify";
import type { Deps } from "./deps.ts";
import { adminRoutes } from "./features/admin/admin.routes.ts";
import { createAdminService } from "./features/admin/admin.service.ts";
import { createApplicationsModule } from "./features/applications/applications.module.ts";
import { authRoutes } from "./features/auth/auth.routes.ts";
import { createAuthService } from "./features/auth/auth.service.ts";
import { createChannelsModule } from "./features/channels/channels.module.ts";
import type { FeatureContext } from "./features/context.ts";
import { createAccess } from "./features/guilds/access.ts";
import { createAudit } from "./features/guilds/audit.ts";
import { createGuildsModule } from "./features/guilds/guilds.module.ts";
import { discoveryRoutes, instanceApiRoutes, instanceRootRoutes } from "./features/instance/instance.routes.ts";
import { createReadiness } from "./features/instance/readiness.ts";
import { createInvitesModule } from "./features/invites/invites.module.ts";
import { createMembersModule } from "./features/members/members.module.ts";
import { createMembership } from "./features/members/membership.ts";
import { attachmentMediaRoutes } from "./features/messages/media.routes.ts";
import { createMessagesModule } from "./features/messages/messages.module.ts";
import { createPrivateChannelsModule } from "./features/private-channels/private-channels.module.ts";
import { createRolesModule } from "./features/roles/roles.module.ts";
import { staticAssetRoutes } from "./features/static/static-assets.routes.ts";
import { caCertificateRoutes } from "./features/tls/ca-certificate.routes.ts";
import { createMentionsModule } from "./features/users/mentions.module.ts";
import { selfHostedAccountRoutes } from "./features/users/self-hosted.routes.ts";
import { createUserGuildSettingsModule } from "./features/users/user-guild-settings.module.ts";
import { userSettingsRoutes } from "./features/users/user-settings.routes.ts";
import { createUserSettingsService } from "./features/users/user-settings.service.ts";
import { usersRoutes } from "./features/users/users.routes.ts";
import { createUsersService } from "./features/users/users.service.ts";
import { fluxerWebAppRoutes } from "./features/web/fluxer-web-app.routes.ts";
import { webClientRoutes } from "./features/web/web-client.routes.ts";
import { attachGateway, type Gateway } from "./gateway/gateway.ts";
import { registerErrorHandling } from "./http/errors.plugin.ts";
import { registerRateLimits } from "./http/rate-limit.plugin.ts";
import { attachRedirectServer, readTlsFiles } from "./http/tls.ts";
import { recordBoundPort } from "./public-urls.ts";

export function createServices(deps: Deps) {
  const auth = createAuthService(deps);
  const users = createUsersService(deps, auth);
  const context: FeatureContext = { deps, auth, access: createAccess(deps), audit: createAudit(deps), membership: createMembership(deps) };
  const invites = createInvitesModule(context);
  const modules = [
    createGuildsModule(context),
    createMembersModule(context),
    createRolesModule(context),
    createChannelsModule(context),
    createMessagesModule(context),
    invites,
    createApplicationsModule(context),
    createPrivateChannelsModule(context),
    createMentionsModule(context),
    createUserGuildSettingsModule(context),
  ];
  return { auth, users, userSettings: createUserSettingsService(deps), modules, invites: invites.service };
}

export type Services = ReturnType<typeof createServices>;

declare module "fastify" {
  interface FastifyInstance {
    routeTable: { method: string; url: string }[];
    /** The WebSocket gateway on /gateway of this app's server. */
    gateway: Gateway;
  }
}

export interface BuildOptions {
  /** Log to stderr at this level (stdout is kept for the ready message); omitted: no logging. */
  logLevel?: string;
  logRequests?: boolean;
}

export async function buildApp(deps: Deps, options: BuildOptions = {}): Promise<FastifyInstance> {
  const { config } = deps;
  const { tls, trusted_proxies: trustedProxies } = config.services.server;
  const app = Fastify({
    logger: options.logLevel ? { level: options.logLevel, stream: process.stderr } : false,
    logController: new LogController({ disableRequestLogging: !options.logRequests }),
    bodyLimit: config.limits.max_request_body_bytes,
    // Forwarded headers count only from the proxies the owner lists; anyone else is the real peer.
    trustProxy: trustedProxies.length > 0 ? trustedProxies : false,
    routerOptions: { ignoreTrailingSlash: true },
    ...(tls ? { https: readTlsFiles(tls) } : {}),
  }) as unknown as FastifyInstance;
  attachRedirectServer(app, config);
  const services = createServices(deps);
  app.decorate("authenticate", services.auth.authenticate);
  app.decorateRequest("actor", undefined); // resolved once per request by requestActor (http/route.ts)
  // Every route we serve, so a test can hold them against Fluxer's published API.
  const routeTable: { method: string; url: string }[] = [];
  app.decorate("routeTable", routeTable);
  app.addHook("onRoute", (options) => {
    for (const method of [options.method].flat()) routeTable.push({ method: String(method), url: options.url });
  });

  // Bodyless POSTs often still say application/json; an empty body is then simply no body.
  app.addContentTypeParser("application/json", { parseAs: "string" }, (_request, text, done) => {
    if (text === "" || text === undefined) return done(null, undefined);
    try {
      done(null, JSON.parse(text as string));
    } catch (error) {
      done(Object.assign(error as Error, { code: "FST_ERR_CTP_INVALID_JSON_BODY", statusCode: 400 }), undefined);
    }
  });

  await app.register(compress, {
    threshold: 1024,
    encodings: ["br", "gzip", "deflate"],
    zlibOptions: { level: 6 },
    brotliOptions: { params: { [zlib.BROTLI_PARAM_QUALITY]: 6 } },
  });
  await app.register(multipart, {
    limits: { fileSize: config.limits.max_attachment_bytes, files: config.limits.max_attachments_per_message, fields: 20 },
  });
  registerErrorHandling(app);
  registerRateLimits(app, config, deps.kv);

  app.addHook("onListen", async () => {
    const address = app.server.address();
    if (typeof address === "object" && address) recordBoundPort(config, address.port);
  });
  // Blob deletions that failed before (or in a previous run) are retried from here on.
  app.addHook("onReady", async () => deps.blobCleanup.start());
  app.addHook("onClose", async () => deps.blobCleanup.stop());
  let stopping = false;
  app.addHook("preClose", async () => {
    stopping = true;
  });
  instanceRootRoutes(
    app,
    config,
    createReadiness(deps, () => stopping),
  );
  adminRoutes(
    app,
    createAdminService(deps, () => app.gateway.stats(), services.invites),
    config.instance.admin_api_key,
  );
  if (tls?.ca_certificate_path) caCertificateRoutes(app, config);
  attachmentMediaRoutes(app, deps);
  await staticAssetRoutes(app);
  // An official Fluxer web build, when the owner supplies one, takes `/` instead of our own client.
  if (config.web.fluxer_app_dir) await app.register(fluxerWebAppRoutes, { config });
  else webClientRoutes(app, config);
  const api = async (scope: FastifyInstance) => {
    authRoutes(scope, services.auth);
    usersRoutes(scope, services.users);
    userSettingsRoutes(scope, services.userSettings);
    selfHostedAccountRoutes(scope);
    instanceApiRoutes(scope, config);
    discoveryRoutes(scope, config); // clients resolve it relative to the API base too
    for (const module of services.modules) module.routes(scope);
  };
  await app.register(api, { prefix: "/api/v1" });
  await app.register(api, { prefix: "/api" });

  // The gateway shares the HTTP server; its sockets close before the server stops listening.
  const gateway = attachGateway(app.server, deps, services.auth);
  app.decorate("gateway", gateway);
  app.addHook("preClose", async () => gateway.close());
  return app;
}
