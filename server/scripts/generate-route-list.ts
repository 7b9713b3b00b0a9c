// Writes server/src/http/fluxer-routes.generated.ts: every route of the pinned Fluxer spec
// in fastify's path syntax, so the server can tell "not implemented yet" from "no such route".
// Usage: npx tsx server/scripts/generate-route-list.ts
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { specPath, specRoutes } from "../test/support/openapi.ts";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));
const target = join(repoRoot, "server", "src", "http", "fluxer-routes.generated.ts");

// `{channel_id}` → `:channel_id`; literal segments such as `@me` stay as they are.
function toFastifyPath(template: string): string {
  return template.replace(/\{([^}]+)\}/g, ":$1");
}

// Sorted by path, then method, with a locale-free comparison so regeneration is stable.
const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const routes = specRoutes()
  .map(({ method, template }) => [method.toUpperCase(), toFastifyPath(template)] as const)
  .sort(([am, ap], [bm, bp]) => byCodeUnits(ap, bp) || byCodeUnits(am, bm));

const lines = [
  "// GENERATED FILE: do not edit by hand.",
  `// Generated from the pinned Fluxer OpenAPI description (${relative(repoRoot, specPath())})`,
  "// by server/scripts/generate-route-list.ts; re-run that script to update it.",
  "",
  "export const fluxerRoutes: ReadonlyArray<readonly [method: string, template: string]> = [",
  ...routes.map(([method, path]) => `  [${JSON.stringify(method)}, ${JSON.stringify(path)}],`),
  "];",
  "",
];

mkdirSync(dirname(target), { recursive: true });
writeFileSync(target, lines.join("\n"));

console.log(`wrote ${relative(repoRoot, target)}: ${routes.length} routes`);
