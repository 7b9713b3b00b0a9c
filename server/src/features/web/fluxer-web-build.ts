/**
 * An official Fluxer web build on disk (the owner's, never shipped with us), prepared once at start:
 * its index.html gets our bootstrap script as the first thing in <head>, its build-time
 * placeholders filled in, and its own inline scripts hashed for the Content-Security-Policy.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";
import { ConfigError } from "../../config.ts";
import { inlineScriptHashes } from "../../http/security-headers.ts";

export const BOOTSTRAP_SCRIPT_PATH = "/__fluxer_bootstrap.js";

/** Text files of the build that carry `{{STATIC_CDN_ENDPOINT}}` (the upstream page server fills it in). */
export const TEMPLATED_FILES = ["manifest.json", "browserconfig.xml"];

const STATIC_CDN_PLACEHOLDER = /\{\{STATIC_CDN_ENDPOINT\}\}/g;
/** Older builds name upstream's CDN outright; pointing them at ours keeps browsers on this instance. */
const UPSTREAM_STATIC_CDN = /https:\/\/fluxerstatic\.com/g;

export interface FluxerWebBuild {
  dir: string;
  /** index.html as served: bootstrap first, placeholders filled, no nonce attributes. */
  indexHtml: string;
  /** CSP hash sources of the inline scripts index.html keeps. */
  scriptHashes: string[];
  /** Every regular file of the build as a URL path (`/assets/app.js`), hidden names left out. */
  files: Set<string>;
}

/** Fills the static CDN placeholders (and upstream's CDN host) with this instance's static endpoint. */
export function withStaticCdn(text: string, staticCdn: string): string {
  const base = staticCdn.replace(/\/+$/, "");
  return text.replace(STATIC_CDN_PLACEHOLDER, base).replace(UPSTREAM_STATIC_CDN, base);
}

/** index.html as this instance serves it. Throws when there is no <head> to put the bootstrap in. */
export function prepareIndexHtml(html: string, staticCdn: string): { html: string; scriptHashes: string[] } {
  let page = withStaticCdn(html, staticCdn)
    .replace(/<!--\s*\{\{FLUXER_BOOTSTRAP\}\}\s*-->|\{\{FLUXER_BOOTSTRAP\}\}/g, "")
    // Nonces would need a fresh value per response; the scripts are allowed by hash instead.
    .replace(/\s+nonce="\{\{CSP_NONCE_PLACEHOLDER\}\}"/g, "");
  const head = /<head(\s[^>]*)?>/i.exec(page);
  if (!head) throw new Error("its index.html has no <head>");
  const at = head.index + head[0].length;
  page = `${page.slice(0, at)}\n<script src="${BOOTSTRAP_SCRIPT_PATH}"></script>${page.slice(at)}`;
  return { html: page, scriptHashes: inlineScriptHashes(page) };
}

/** Reads and checks the build folder; a missing or wrong folder stops the start with its path named. */
export function loadFluxerWebBuild(configured: string, staticCdn: string): FluxerWebBuild {
  const dir = resolve(configured);
  const named = dir === configured ? JSON.stringify(dir) : `${JSON.stringify(configured)} (${dir})`;
  const fail = (why: string) => new ConfigError(`config: web.fluxer_app_dir = ${named}: ${why}`);
  const info = statSync(dir, { throwIfNoEntry: false });
  if (!info) throw fail("no such folder");
  if (!info.isDirectory()) throw fail("not a folder");
  let html: string;
  try {
    html = readFileSync(resolve(dir, "index.html"), "utf8");
  } catch {
    throw fail("no readable index.html in it (expected a built Fluxer web app: index.html and assets/)");
  }
  try {
    const prepared = prepareIndexHtml(html, staticCdn);
    return { dir, indexHtml: prepared.html, scriptHashes: prepared.scriptHashes, files: listFiles(dir) };
  } catch (error) {
    throw fail((error as Error).message);
  }
}

/** Listed once at start, so a request can only ever name a file that was in the folder then. */
function listFiles(dir: string): Set<string> {
  const files = new Set<string>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const name = relative(dir, join(entry.parentPath, entry.name)).split(sep);
    if (name.some((part) => part.startsWith("."))) continue;
    files.add(`/${name.join("/")}`);
  }
  return files;
}
