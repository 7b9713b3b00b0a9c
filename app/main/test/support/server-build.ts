// Builds dist/server once when it is missing or older than the sources, for tests that fork it.
import { execFileSync } from "node:child_process";
import { readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = fileURLToPath(new URL("../../../../", import.meta.url));

export function ensureServerBuilt(): void {
  const built = join(repoRoot, "dist/server/main.js");
  let builtAt = 0;
  try {
    builtAt = statSync(built).mtimeMs;
  } catch {
    // not built yet
  }
  if (builtAt > newestMtime(join(repoRoot, "server/src"))) return;
  execFileSync("npm", ["run", "--silent", "build:server"], { cwd: repoRoot, stdio: "pipe" });
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    const stat = statSync(path);
    newest = Math.max(newest, stat.isDirectory() ? newestMtime(path) : stat.mtimeMs);
  }
  return newest;
}
