/**
 * `npm run build:server`: compiles server/src to plain JavaScript in dist/server/ (tsc rewrites the
 * `.ts` import extensions) and copies the files the server reads at run time (SQL migrations), so
 * `node dist/server/main.js` runs with production dependencies only.
 */
import { execFileSync } from "node:child_process";
import { cpSync, readdirSync, rmSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const sourceDir = join(root, "server/src");
const outDir = join(root, "dist/server");
// Anything under src that is not TypeScript is a run-time asset (today: migrations/*.sql).
const ASSET = /\.(sql|json)$/;

rmSync(outDir, { recursive: true, force: true });
execFileSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", join(root, "server/tsconfig.build.json")], {
  stdio: "inherit",
});

let copied = 0;
for (const file of walk(sourceDir)) {
  if (!ASSET.test(file)) continue;
  cpSync(file, join(outDir, relative(sourceDir, file)));
  copied++;
}
process.stdout.write(`build:server: dist/server/ ready (${copied} asset files copied)\n`);

function* walk(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* walk(path);
    else yield path;
  }
}
