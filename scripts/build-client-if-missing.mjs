// `npm start` runs this first: builds the web client when either of its entries (the chat client in
// app/renderer/dist/chat, the host page in app/renderer/dist/host) has no index.html, so a fresh
// clone serves both without a separate step.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../", import.meta.url));
const built = (entry) => existsSync(new URL(`../app/renderer/dist/${entry}/index.html`, import.meta.url));
if (!built("chat") || !built("host")) {
  console.error("[start] the web client is not built yet: running `npm run build:client`");
  const result = spawnSync("npm", ["run", "build:client"], { cwd: root, stdio: "inherit", shell: process.platform === "win32" });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
