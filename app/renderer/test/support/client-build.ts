/** Builds the web client (both entries) when a build is missing or older than its sources. */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = fileURLToPath(new URL("../../../../", import.meta.url));
const rendererDir = join(repoRoot, "app/renderer");
export const clientDir = join(rendererDir, "dist/chat");

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(path) : statSync(path).mtimeMs);
  }
  return newest;
}

const builtAfter = (index: string, sources: number) => existsSync(index) && statSync(index).mtimeMs >= sources;

export function ensureClientBuilt() {
  const chatSources = Math.max(newestMtime(join(rendererDir, "src")), newestMtime(join(rendererDir, "chat")));
  const hostSources = newestMtime(join(rendererDir, "host"));
  if (builtAfter(join(clientDir, "index.html"), chatSources) && builtAfter(join(rendererDir, "dist/host/index.html"), hostSources)) return;
  execFileSync("npm", ["run", "build:client"], { cwd: repoRoot, stdio: ["ignore", "ignore", "inherit"] });
}
