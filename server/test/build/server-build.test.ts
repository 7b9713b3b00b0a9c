// `npm run build:server` produces plain JavaScript that `node` runs without tsx, using only the
// production dependencies: what the appliance host forks and the installer ships.
import assert from "node:assert/strict";
import { execFileSync, fork } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { builtinModules } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, test } from "node:test";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const distDir = join(root, "dist/server");

function* jsFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* jsFiles(path);
    else if (path.endsWith(".js")) yield path;
  }
}

// "zstd-napi/binding.js" → "zstd-napi"; "@scope/pkg/x" → "@scope/pkg".
function packageOf(specifier: string): string {
  const parts = specifier.split("/");
  return specifier.startsWith("@") ? parts.slice(0, 2).join("/") : (parts[0] ?? specifier);
}

let home: string;
before(() => {
  execFileSync("npm", ["run", "--silent", "build:server"], { cwd: root, stdio: "pipe" });
  home = mkdtempSync(join(tmpdir(), "fluxer-build-"));
});
after(() => rmSync(home, { recursive: true, force: true }));

test("the built server imports only node built-ins and production dependencies", () => {
  const { dependencies } = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { dependencies: Record<string, string> };
  const allowed = new Set([...Object.keys(dependencies), ...builtinModules]);
  const offenders: string[] = [];
  for (const file of jsFiles(distDir)) {
    const text = readFileSync(file, "utf8");
    assert.doesNotMatch(text, /from "\.{1,2}\/[^"]*\.ts"/, `${file} still imports a .ts file`);
    for (const [, specifier] of text.matchAll(/(?:from |import\(|require\()"([^".][^"]*)"/g)) {
      const name = packageOf(specifier!.replace(/^node:/, ""));
      if (!allowed.has(name)) offenders.push(`${file}: ${specifier}`);
    }
  }
  assert.deepEqual(offenders, []);
});

test("node dist/server/main.js (no tsx) migrates a fresh database, reports ready over IPC and serves /_health", async (t) => {
  const child = fork(join(distDir, "main.js"), [], {
    cwd: home,
    execArgv: [], // the test itself runs under tsx; the child must not inherit it
    stdio: ["ignore", "pipe", "pipe", "ipc"],
    env: {
      PATH: process.env.PATH,
      FLUXER_CONFIG__ENV: "test",
      FLUXER_CONFIG__SERVICES__SERVER__PORT: "0",
      FLUXER_CONFIG__DATABASE__SQLITE_PATH: join(home, "fluxer.db"),
      FLUXER_CONFIG__STORAGE__DATA_DIR: join(home, "files"),
    },
  });
  let stderr = "";
  child.stderr?.on("data", (chunk) => {
    stderr += chunk;
  });
  t.after(() => {
    child.kill("SIGKILL");
  });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ready message in 30 s: ${stderr}`)), 30_000);
    child.once("exit", (code) => reject(new Error(`built server exited with ${code}: ${stderr}`)));
    child.on("message", (message: { type?: string; port?: number }) => {
      if (message.type !== "ready" || typeof message.port !== "number") return;
      clearTimeout(timer);
      resolve(message.port);
    });
  });
  const health = await fetch(`http://127.0.0.1:${port}/_health`);
  assert.equal(health.status, 200);
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  child.kill("SIGTERM");
  assert.equal(await exited, 0);
});
