/** Discovery, health and gateway lookup: how clients and bots find this instance. */
import type { FastifyInstance } from "fastify";
import type { Config } from "../../config.ts";
import { route } from "../../http/route.ts";
import { gatewayUrl, publicOrigin } from "../../public-urls.ts";
import type { Readiness } from "./readiness.ts";

export function wellKnown(config: Config) {
  const origin = publicOrigin(config);
  return {
    api_code_version: 1,
    endpoints: {
      api: `${origin}/api`,
      api_client: `${origin}/api`,
      api_public: `${origin}/api`,
      gateway: gatewayUrl(config),
      media: `${origin}/media`,
      static_cdn: config.domain.static_cdn_domain ? `https://${config.domain.static_cdn_domain}` : `${origin}/static`,
      marketing: origin,
      admin: `${origin}/admin`,
      invite: config.domain.invite_domain ? `https://${config.domain.invite_domain}` : `${origin}/invite`,
      gift: `${origin}/gift`,
      webapp: origin,
    },
    captcha: { provider: "none", hcaptcha_site_key: null, turnstile_site_key: null, altcha_challenge_url: null },
    features: {
      voice_enabled: config.integrations.voice.enabled,
      stripe_enabled: false,
      self_hosted: true,
      presigned_attachment_uploads: false,
      emails_enabled: false,
      easypwned_enabled: false,
    },
    gif: { provider: "none", display_name: "", attribution_required: false },
    sso: { enabled: false, enforced: false, display_name: null, redirect_uri: "" },
    registration: { mode: config.instance.registration_open ? "open" : "closed", admin_registration_urls_enabled: false },
    community: { single_community: false, single_community_guild_id: null, direct_messages_disabled: false },
    services: { gif_enabled: false, youtube_enabled: false },
    limits: { version: 2, traitDefinitions: [], rules: [], defaultsHash: "" },
    push: { public_vapid_key: null },
    monitoring: { sentry_enabled: false, sentry_dsn: null, environment: config.env },
    app_public: {
      branding: {
        product_name: "Fluxer Appliance",
        icon_url: null,
        symbol_url: null,
        logo_url: null,
        wordmark_url: null,
        favicon_url: null,
        theme_color: null,
        status_page_url: null,
        status_page_incident_history_url: null,
      },
      setup: { configured: true, admin_url: null },
      legal: { terms_url: null, privacy_url: null },
      registration: { collect_date_of_birth: false },
    },
  };
}

/** Routes at the origin root (not under /api). */
export function instanceRootRoutes(app: FastifyInstance, config: Config, readiness: Readiness) {
  discoveryRoutes(app, config);
  const ok = { status: "ok" };
  route(app, { method: "GET", url: "/_health", auth: "none", handler: () => ok });
  route(app, { method: "GET", url: "/_live", auth: "none", handler: () => ok });
  route(app, {
    method: "GET",
    url: "/_ready",
    auth: "none",
    // 503 with what is not ready, so a load balancer stops sending traffic and an owner sees why.
    handler: async ({ reply }) => {
      const { ready, checks } = await readiness();
      return ready ? { status: "ok", checks } : reply.code(503).send({ status: "not_ready", checks });
    },
  });
}

/** Routes under /api/v1. */
export function instanceApiRoutes(app: FastifyInstance, config: Config) {
  route(app, {
    method: "GET",
    url: "/gateway/bot",
    auth: "user",
    handler: () => ({
      url: gatewayUrl(config), // no query string: SDKs append their own
      shards: 1,
      session_start_limit: { total: 1000, remaining: 999, reset_after: 86_400_000, max_concurrency: 1 },
    }),
  });
}

/** GET /.well-known/fluxer on `app`: the origin root, and the API base (/api/v1, /api) clients also try. */
export function discoveryRoutes(app: FastifyInstance, config: Config) {
  route(app, {
    method: "GET",
    url: "/.well-known/fluxer",
    auth: "none",
    handler: ({ reply }) => {
      reply.header("access-control-allow-origin", "*");
      return wellKnown(config); // per request: the origin's port may be known only after listen
    },
  });
}
