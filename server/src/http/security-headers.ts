/**
 * Security headers for the HTML pages we serve (a web client at `/`): a Content-Security-Policy
 * that lets a single-page app talk to this instance and nothing else, plus the usual hardening
 * headers. Shared by every web-client module, so they all hold the same line.
 */
import { createHash } from "node:crypto";
import type { FastifyReply } from "fastify";

export interface WebAppCspOptions {
  /** Origins (or ws(s) URLs) the app may fetch from besides its own: the gateway, an outside static CDN... */
  connectSources?: string[];
  /** Origins images, media, fonts and styles may come from besides its own (static CDN, media host). */
  assetSources?: string[];
  /** `'sha256-…'` sources of the inline scripts the page itself carries (see inlineScriptHashes). */
  scriptHashes?: string[];
}

/**
 * A CSP for a bundled SPA: scripts only from this origin (plus hashed inline ones, WebAssembly and
 * blob workers the Fluxer client uses), no plugins, no framing, forms and <base> pinned to self.
 * Styles allow inline because the client sets style attributes at run time.
 */
export function webAppContentSecurityPolicy(options: WebAppCspOptions = {}): string {
  const assets = unique(options.assetSources ?? []);
  const directives: Record<string, string[]> = {
    "default-src": ["'self'"],
    "script-src": ["'self'", ...(options.scriptHashes ?? []), "'wasm-unsafe-eval'", "blob:"],
    "style-src": ["'self'", "'unsafe-inline'", ...assets],
    "img-src": ["'self'", "data:", "blob:", ...assets],
    "media-src": ["'self'", "blob:", ...assets],
    "font-src": ["'self'", "data:", ...assets],
    "connect-src": ["'self'", ...unique(options.connectSources ?? []), ...assets],
    "worker-src": ["'self'", "blob:"],
    "manifest-src": ["'self'"],
    "frame-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'self'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
  };
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${unique(sources).join(" ")}`)
    .join("; ");
}

/** The CSP hash source of each inline `<script>` (one without `src`) in an HTML page. */
export function inlineScriptHashes(html: string): string[] {
  const hashes: string[] = [];
  for (const match of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script\s*>/gi)) {
    const [, attributes = "", body = ""] = match;
    if (/\bsrc\s*=/i.test(attributes)) continue;
    hashes.push(`'sha256-${createHash("sha256").update(body, "utf8").digest("base64")}'`);
  }
  return unique(hashes);
}

/** The origin of an absolute http(s)/ws(s) URL, or null when it has none. */
export function originOf(url: string): string | null {
  try {
    const parsed = new URL(url);
    return /^(https?|wss?):$/.test(parsed.protocol) ? `${parsed.protocol}//${parsed.host}` : null;
  } catch {
    return null;
  }
}

/** Hardening every page and file of a web client gets; the CSP only where one is given (HTML). */
export function setSecurityHeaders(reply: FastifyReply, contentSecurityPolicy?: string): void {
  reply
    .header("x-content-type-options", "nosniff")
    .header("referrer-policy", "strict-origin-when-cross-origin")
    .header("x-frame-options", "DENY")
    .header("cross-origin-opener-policy", "same-origin")
    // Voice needs the microphone and camera for this origin; nothing needs the rest.
    .header("permissions-policy", "camera=(self), microphone=(self), display-capture=(self), geolocation=(), payment=(), usb=()");
  if (contentSecurityPolicy) reply.header("content-security-policy", contentSecurityPolicy);
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
