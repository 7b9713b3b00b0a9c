/**
 * The static CDN the discovery document advertises (`endpoints.static_cdn` = `<origin>/static`):
 * default avatars, the favicon set and the font stylesheet with its files, all ours. Public and
 * long-cached; anything else under /static is a 404.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import fastifyStatic from "@fastify/static";
import type { FastifyInstance, FastifyReply } from "fastify";
import { z } from "zod";
import { AppError } from "../../errors.ts";
import { route } from "../../http/route.ts";
import { buildFontStylesheet, FONT_PACKAGES } from "./font-stylesheet.ts";
import { DEFAULT_AVATAR_COUNT, defaultAvatarSvg, icoFromPngs, instanceIconSvg, renderPng } from "./generated-images.ts";

const YEAR = "public, max-age=31536000, immutable";
/** Names that never change but whose content may with a new release: a month, then revalidate. */
const MONTH = "public, max-age=2592000";

interface Asset {
  type: string;
  render: () => Promise<Buffer>;
}

/** Renders on first request, then serves the same bytes. */
function cached(render: () => Promise<Buffer>): () => Promise<Buffer> {
  let bytes: Promise<Buffer> | undefined;
  return () => {
    bytes ??= render().catch((error) => {
      bytes = undefined; // a failed render is retried next time rather than cached
      throw error;
    });
    return bytes;
  };
}

const png = (svg: () => string, size: number): Asset => ({ type: "image/png", render: cached(() => renderPng(svg(), size)) });

function avatarAssets(): Map<string, Asset> {
  const assets = new Map<string, Asset>();
  for (let index = 0; index < DEFAULT_AVATAR_COUNT; index++)
    assets.set(
      `${index}.png`,
      png(() => defaultAvatarSvg(index), 512),
    );
  return assets;
}

/** The favicon set Fluxer's web app and manifest link to (`web/…`). */
function webIconAssets(): Map<string, Asset> {
  const icon = (size: number, rounded = true) => png(() => instanceIconSvg(size, { rounded }), size);
  const assets = new Map<string, Asset>([
    ["favicon-16x16.png", icon(16)],
    ["favicon-32x32.png", icon(32)],
    ["apple-touch-icon.png", icon(180, false)], // iOS rounds the corners itself
    ["android-chrome-192x192.png", icon(192)],
    ["android-chrome-512x512.png", icon(512)],
    ["mstile-150x150.png", icon(150, false)],
    ["icon.svg", { type: "image/svg+xml", render: async () => Buffer.from(instanceIconSvg(512)) }],
  ]);
  const small = [16, 32, 48].map((size) => ({ size, asset: icon(size) }));
  assets.set("favicon.ico", {
    type: "image/x-icon",
    render: cached(async () => icoFromPngs(await Promise.all(small.map(async ({ size, asset }) => ({ size, png: await asset.render() }))))),
  });
  return assets;
}

/** Headers every static file gets: other origins (a desktop client, a separate web host) may load them. */
function staticHeaders(reply: FastifyReply, cacheControl: string): FastifyReply {
  return reply
    .header("cache-control", cacheControl)
    .header("access-control-allow-origin", "*")
    .header("cross-origin-resource-policy", "cross-origin")
    .header("x-content-type-options", "nosniff");
}

const fileParams = z.object({ file: z.string().min(1).max(64) });

function assetRoute(app: FastifyInstance, prefix: string, assets: Map<string, Asset>) {
  route(app, {
    method: "GET",
    url: `${prefix}/:file`,
    auth: "none",
    params: fileParams,
    handler: async ({ params, reply }) => {
      const asset = assets.get(params.file);
      if (!asset) throw new AppError("NOT_FOUND", "Unknown static file");
      const body = await asset.render();
      staticHeaders(reply, MONTH).type(asset.type);
      return body;
    },
  });
}

export async function staticAssetRoutes(app: FastifyInstance) {
  assetRoute(app, "/static/avatars", avatarAssets());
  assetRoute(app, "/static/web", webIconAssets());

  const stylesheet = buildFontStylesheet();
  route(app, {
    method: "GET",
    url: "/static/fonts/ibm-plex.css",
    auth: "none",
    handler: ({ reply }) => {
      staticHeaders(reply, MONTH).type("text/css; charset=utf-8");
      return stylesheet;
    },
  });

  for (const pkg of Object.values(FONT_PACKAGES)) {
    const prefix = `/static/fonts/${pkg.id}`;
    // The font's license travels with its files, as the OFL asks.
    const license = readFileSync(join(pkg.dir, "LICENSE"), "utf8");
    route(app, {
      method: "GET",
      url: `${prefix}/LICENSE`,
      auth: "none",
      handler: ({ reply }) => {
        staticHeaders(reply, MONTH).type("text/plain; charset=utf-8");
        return license;
      },
    });
    // @fastify/static resolves the path inside `root` (no traversal), sets the content type and 404s the rest.
    await app.register(fastifyStatic, {
      root: join(pkg.dir, "files"),
      prefix: `${prefix}/`,
      decorateReply: false,
      index: false,
      list: false,
      dotfiles: "deny",
      cacheControl: false,
      allowedPath: (path) => path.endsWith(".woff2"),
      setHeaders: (reply) => staticHeaders(reply, YEAR),
    });
  }
}
