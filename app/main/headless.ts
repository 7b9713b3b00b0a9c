/**
 * `npm run host`: the appliance host under plain Node, without a display. Prints the chat address,
 * the one-time setup link of the host page (and, with `--json`, one machine-readable status line),
 * stops everything on SIGINT/SIGTERM.
 * `--built` forks the built server (`npm run build:server`) instead of the sources through tsx.
 */
import { homedir } from "node:os";
import { parseArgs } from "node:util";
import { BUILT_SERVER, createHost, SOURCE_SERVER } from "./host.ts";
import { HostLockedError } from "./host-lock.ts";
import { resolveHostPaths } from "./paths.ts";
import { SettingsError } from "./settings/settings-file.ts";

async function main() {
  const { values } = parseArgs({
    options: { home: { type: "string" }, built: { type: "boolean", default: false }, json: { type: "boolean", default: false } },
  });
  const env = values.home ? { ...process.env, FLUXER_HOME: values.home } : process.env;
  const host = createHost({
    paths: resolveHostPaths({ env, platform: process.platform, home: homedir() }),
    serverEntry: values.built ? BUILT_SERVER : SOURCE_SERVER,
  });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`${signal}: stopping\n`);
    await host.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));

  const status = await host.start();
  for (const unit of status.processes) {
    const detail = unit.reason ? ` (${unit.reason})` : unit.port ? ` on 127.0.0.1:${unit.port}` : "";
    process.stdout.write(`  ${unit.name}: ${unit.state}${detail}\n`);
  }
  const server = status.processes.find((unit) => unit.name === "server");
  if (server?.state !== "running") {
    process.stderr.write(`the chat server did not start; see ${server?.logFile}\n`);
    await host.stop();
    process.exit(1);
  }
  process.stdout.write(`Fluxer Appliance is running at ${status.chatUrl}\n`);
  // The link works once: it signs this browser in to the host page, where the owner is claimed.
  const setupUrl = host.setupUrl();
  if (setupUrl) process.stdout.write(`Open this link to set up your community (it works once): ${setupUrl}\n`);
  if (values.json) process.stdout.write(`${JSON.stringify({ type: "host-ready", pid: process.pid, ...status, setupUrl })}\n`);
}

main().catch((error) => {
  process.stderr.write(
    error instanceof SettingsError || error instanceof HostLockedError
      ? `${error.message}\n`
      : `fatal: ${(error as Error).stack ?? error}\n`,
  );
  process.exit(1);
});
