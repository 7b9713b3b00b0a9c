/**
 * An official Fluxer web build (from `web.fluxer_app_dir`) served at `/`: its files, index.html for
 * every client-side route (history fallback), and the bootstrap it expects from its page server.
 * Registered only when the key is set. Paths the server itself owns (/api, /gateway, /.well-known,
 * /media, /static, /_health...) never fall back to the app: unknown ones stay the API's 404.
 */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { Config } from "../../config.ts";
import { originOf, setSecurityHeaders, webAppContentSecurityPolicy } from "../../http/security-headers.ts";
import { publicOrigin } from "../../public-urls.ts";
import { wellKnown } from "../instance/instance.routes.ts";
import { fluxerBootstrapScript } from "./fluxer-bootstrap.ts";
import { BOOTSTRAP_SCRIPT_PATH, loadFluxerWebBuild, TEMPLATED_FILES, withStaticCdn } from "./fluxer-web-build.ts";

const IMMUTABLE = "public, max-age=31536000, immutable";
/** Paths the server owns (and `/_…` health-style ones, hidden `/.…` names): never the app's page. */
const SERVER_PATHS = /^\/(api|gateway|media|static)(\/|$)|^\/_|\/\./;
/** A request for a file (not a client route) that is missing is a 404, never the HTML page. */
const LOOKS_LIKE_FILE = /^\/assets\/|\.(js|mjs|css|map|wasm|json|png|jpe?g|gif|webp|avif|svg|ico|woff2?|ttf|txt|xml|webmanifest)$/i;
/** Build output whose name carries a content hash may be cached for good. */
const HASHED = /^\/assets\/|[.-][0-9a-f]{8,}\.[a-z0-9]+$/i;

export interface FluxerWebAppOptions {
  config: Config;
}

export async function fluxerWebAppRoutes(app: FastifyInstance, { config }: FluxerWebAppOptions) {
  const dir = config.web.fluxer_app_dir;
  if (!dir) throw new Error("fluxerWebAppRoutes needs web.fluxer_app_dir");
  const discovery = wellKnown(config);
  const { endpoints } = discovery;
  const build = loadFluxerWebBuild(dir, endpoints.static_cdn);
  const self = publicOrigin(config);
  const elsewhere = (url: string) => {
    const origin = originOf(url);
    return origin && origin !== self ? [origin] : [];
  };
  const csp = webAppContentSecurityPolicy({
    scriptHashes: build.scriptHashes,
    // Browsers differ on whether 'self' covers ws(s):, so the gateway is named outright.
    connectSources: [originOf(endpoints.gateway) ?? endpoints.gateway],
    assetSources: [...elsewhere(endpoints.static_cdn), ...elsewhere(endpoints.media)],
  });
  const bootstrap = fluxerBootstrapScript(config, discovery);
  const templated = new Map<string, string>();
  for (const name of TEMPLATED_FILES) {
    if (build.files.has(`/${name}`))
      templated.set(`/${name}`, withStaticCdn(readFileSync(resolve(build.dir, name), "utf8"), endpoints.static_cdn));
  }

  const page = (reply: FastifyReply, type: string, body: string) => {
    setSecurityHeaders(reply, csp);
    return reply.header("cache-control", "no-cache").type(type).send(body);
  };
  const index = (_request: FastifyRequest, reply: FastifyReply) => page(reply, "text/html; charset=utf-8", build.indexHtml);

  // sendFile confined to the build folder; encapsulated so another module's decorator cannot clash.
  await app.register(fastifyStatic, { root: build.dir, serve: false, decorateReply: true });

  // Plain fastify routes: these are a page and its files, not API recipes (no actor, no JSON).
  app.get(BOOTSTRAP_SCRIPT_PATH, (_request, reply) => page(reply, "application/javascript; charset=utf-8", bootstrap));
  app.get("/", index);
  app.get("/index.html", index);
  for (const [path, text] of templated) {
    const type = path.endsWith(".json") ? "application/manifest+json; charset=utf-8" : "application/xml; charset=utf-8";
    app.get(path, (_request, reply) => page(reply, type, text));
  }
  app.get("/*", (request, reply) => {
    const path = decodePath(request.url);
    if (path === null || SERVER_PATHS.test(path)) return reply.callNotFound();
    if (build.files.has(path)) {
      setSecurityHeaders(reply, csp);
      reply.header("cache-control", HASHED.test(path) ? IMMUTABLE : "no-cache");
      return reply.sendFile(path.slice(1), build.dir, { cacheControl: false, dotfiles: "ignore" });
    }
    if (LOOKS_LIKE_FILE.test(path)) return reply.callNotFound();
    return index(request, reply);
  });
}

function decodePath(url: string): string | null {
  try {
    return decodeURIComponent(url.split("?")[0] ?? "/");
  } catch {
    return null;
  }
}
