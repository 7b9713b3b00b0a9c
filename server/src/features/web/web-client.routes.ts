/**
 * Serves our own web client (the `chat` build of app/renderer) at `/`, same origin as the API so
 * it finds everything through `/.well-known/fluxer`. Client-side routes fall back to index.html;
 * hashed assets are cached forever, index.html never. Without a build, `/` says how to make one.
 */
import { readFile, stat } from "node:fs/promises";
import { extname, isAbsolute, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyInstance, FastifyReply } from "fastify";
import type { Config } from "../../config.ts";
import { gatewayUrl, publicOrigin } from "../../public-urls.ts";

const repoRoot = fileURLToPath(new URL("../../../../", import.meta.url));
export const defaultClientDir = join(repoRoot, "app/renderer/dist/chat");

const contentTypes: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".webp": "image/webp",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".woff": "font/woff",
  ".json": "application/json; charset=utf-8",
  ".txt": "text/plain; charset=utf-8",
  ".map": "application/json; charset=utf-8",
};

/** Client-side routes: each answers index.html and the client router takes over. */
const historyRoutes = ["/", "/login", "/register", "/channels/*", "/invite/:code"];

/**
 * No inline script or style, nothing from another origin: the gateway is the one extra
 * connect-src entry (a ws: URL is not covered by 'self' in every browser).
 */
export function webClientCsp(config: Config): string {
  const origin = publicOrigin(config);
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "media-src 'self' blob:",
    `connect-src 'self' ${origin} ${gatewayUrl(config)}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join("; ");
}

export interface WebClientOptions {
  /** The folder holding the built `chat` entry (index.html + assets/). */
  clientDir?: string;
}

export function webClientRoutes(app: FastifyInstance, config: Config, options: WebClientOptions = {}) {
  const dir = resolve(options.clientDir ?? config.web.client_dir ?? defaultClientDir);
  const csp = webClientCsp(config);
  const secure = (reply: FastifyReply) =>
    reply
      .header("content-security-policy", csp)
      .header("x-content-type-options", "nosniff")
      .header("referrer-policy", "no-referrer")
      .header("cross-origin-opener-policy", "same-origin");

  const sendIndex = async (reply: FastifyReply) => {
    const html = await readIfFile(join(dir, "index.html"));
    secure(reply).header("cache-control", "no-cache");
    if (!html) return reply.type("text/html; charset=utf-8").send(notBuiltPage);
    return reply.type("text/html; charset=utf-8").send(html);
  };
  for (const url of historyRoutes) app.get(url, (_request, reply) => sendIndex(reply));

  // Vite names every file under assets/ by its content hash, so they never change in place.
  app.get("/assets/*", async (request, reply) => {
    const file = inside(join(dir, "assets"), (request.params as { "*": string })["*"]);
    const body = file ? await readIfFile(file) : undefined;
    if (!file || !body) return reply.code(404).type("text/plain; charset=utf-8").send("Not found");
    secure(reply).header("cache-control", "public, max-age=31536000, immutable");
    return reply.type(contentTypes[extname(file)] ?? "application/octet-stream").send(body);
  });
  app.get("/favicon.svg", async (_request, reply) => {
    const body = await readIfFile(join(dir, "favicon.svg"));
    if (!body) return reply.code(404).type("text/plain; charset=utf-8").send("Not found");
    return secure(reply).header("cache-control", "no-cache").type("image/svg+xml").send(body);
  });
}

/** The resolved path when `child` stays inside `base`; undefined for `..` tricks. */
function inside(base: string, child: string): string | undefined {
  const file = resolve(base, child);
  const rel = relative(base, file);
  return rel && !rel.startsWith("..") && !isAbsolute(rel) ? file : undefined;
}

async function readIfFile(file: string): Promise<Buffer | undefined> {
  try {
    if (!(await stat(file)).isFile()) return undefined;
    return await readFile(file);
  } catch {
    return undefined;
  }
}

const notBuiltPage = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Fluxer Appliance</title></head>
<body><h1>The web client is not built</h1>
<p>The chat server is running. Build the web client with <code>npm run build</code> (or start with
<code>npm start</code>, which builds it when it is missing), then reload this page.</p></body></html>
`;
