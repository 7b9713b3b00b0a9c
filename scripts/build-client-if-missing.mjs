// `npm start` runs this first: builds the web client when app/renderer/dist/chat has no index.html,
// so a fresh clone serves the client at / without a separate step.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../", import.meta.url));
if (!existsSync(new URL("../app/renderer/dist/chat/index.html", import.meta.url))) {
  console.error("[start] the web client is not built yet: running `npm run build:client`");
  const result = spawnSync("npm", ["run", "build:client"], { cwd: root, stdio: "inherit", shell: process.platform === "win32" });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
