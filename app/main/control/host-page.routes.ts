/**
 * Serves the host UI (the `host` build of app/renderer) at the control API's `/`: a strict CSP with
 * no inline script or style and nothing from another origin, index.html never cached, the
 * content-hashed assets cached forever. Without a build, `/` says how to make one.
 */
import { readFile, stat } from "node:fs/promises";
import { extname, isAbsolute, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { FastifyInstance, FastifyReply } from "fastify";

export const defaultHostUiDir = fileURLToPath(new URL("../../renderer/dist/host", import.meta.url));

export const HOST_PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join("; ");

/** For everything the control API answers outside `/api/` (the page, its assets, the setup link). */
export const PAGE_SECURITY_HEADERS = {
  "content-security-policy": HOST_PAGE_CSP,
  "referrer-policy": "no-referrer",
  "x-content-type-options": "nosniff",
  "cross-origin-opener-policy": "same-origin",
};

const contentTypes: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".woff2": "font/woff2",
};

export function hostPageRoutes(app: FastifyInstance, dir = defaultHostUiDir): void {
  const secure = (reply: FastifyReply) => reply.headers(PAGE_SECURITY_HEADERS);

  app.get("/", async (_request, reply) => {
    const html = await readIfFile(join(dir, "index.html"));
    return secure(reply)
      .header("cache-control", "no-cache")
      .type("text/html; charset=utf-8")
      .send(html ?? notBuiltPage);
  });

  // Vite names every file under assets/ by its content hash, so they never change in place.
  app.get("/assets/*", async (request, reply) => {
    const file = inside(join(dir, "assets"), (request.params as { "*": string })["*"]);
    const body = file ? await readIfFile(file) : undefined;
    if (!file || !body) return secure(reply).code(404).type("text/plain; charset=utf-8").send("Not found");
    return secure(reply)
      .header("cache-control", "public, max-age=31536000, immutable")
      .type(contentTypes[extname(file)] ?? "application/octet-stream")
      .send(body);
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
    return (await stat(file)).isFile() ? await readFile(file) : undefined;
  } catch {
    return undefined;
  }
}

const notBuiltPage = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Fluxer Appliance host</title></head>
<body><h1>The host page is not built</h1><p>The host is running. Build the web client with <code>npm run build:client</code>
(or start with <code>npm start</code>, which builds it when it is missing), then reload this page.</p></body></html>
`;
