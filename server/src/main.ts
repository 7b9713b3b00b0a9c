/**
 * `npm run server`: the chat server alone, in the foreground. Config from `--config <file>` or
 * FLUXER_CONFIG; with neither it runs on 127.0.0.1:8080 with data in ./data. When started by the
 * appliance host it reports `{type: "ready", port}` on stdout (and over IPC when there is a channel).
 */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { buildApp } from "./app.ts";
import { ConfigError, loadConfig } from "./config.ts";
import { createDeps } from "./deps.ts";
import { reloadTlsCertificate } from "./http/tls.ts";
import { linkToParent } from "./parent-link.ts";
import { checkDataFolders, listenFailure, StartupError } from "./startup-checks.ts";

async function main() {
  const { values } = parseArgs({ options: { config: { type: "string" } }, allowPositionals: false });
  const config = loadConfig(values.config ?? process.env.FLUXER_CONFIG);
  checkDataFolders(config);
  const deps = await createDeps(config).catch((error) => {
    if (!String(error?.code ?? "").startsWith("SQLITE_")) throw error;
    throw new StartupError(`cannot open database.sqlite_path ${resolve(config.database.sqlite_path)}: ${error.message}`);
  });
  const app = await buildApp(deps, { logLevel: config.env === "test" ? "silent" : config.log.level, logRequests: config.log.requests });
  const { host, port: configuredPort } = config.services.server;
  try {
    await app.listen({ host, port: configuredPort });
  } catch (error) {
    await app.close().catch(() => {});
    await deps.close().catch(() => {});
    throw listenFailure(error, host, configuredPort) ?? error;
  }
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : configuredPort;
  const ready = { type: "ready", port };
  process.stdout.write(`${JSON.stringify(ready)}\n`);
  process.send?.(ready);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.log.info(`${signal}: shutting down`);
    await app.close();
    await deps.close();
    process.exit(0);
  };
  const { tls } = config.services.server;
  // SIGHUP: a renewed certificate is picked up without dropping anyone (the host sends it). Without
  // TLS the signal keeps its default meaning.
  if (tls) {
    process.on("SIGHUP", () => {
      try {
        reloadTlsCertificate(app, tls);
        app.log.info("TLS certificate reloaded");
      } catch (error) {
        app.log.error(`TLS certificate not reloaded, the previous one stays: ${(error as Error).message}`);
      }
    });
  }
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
  linkToParent((reason) => void stop(reason));
}

main().catch((error) => {
  // What the owner can fix is one line and exit code 2; anything else is a bug, with its stack.
  if (error instanceof ConfigError || error instanceof StartupError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`fatal: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
