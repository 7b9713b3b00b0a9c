/**
 * `npm run server`: the chat server alone, in the foreground. Config from `--config <file>` or
 * FLUXER_CONFIG; with neither it runs on 127.0.0.1:8080 with data in ./data. When started by the
 * appliance host it reports `{type: "ready", port}` on stdout (and over IPC when there is a channel).
 */
import { parseArgs } from "node:util";
import { buildApp } from "./app.ts";
import { ConfigError, loadConfig } from "./config.ts";
import { createDeps } from "./deps.ts";
import { linkToParent } from "./parent-link.ts";

async function main() {
  const { values } = parseArgs({ options: { config: { type: "string" } }, allowPositionals: false });
  const config = loadConfig(values.config ?? process.env.FLUXER_CONFIG);
  const deps = await createDeps(config);
  const app = await buildApp(deps, { logLevel: config.env === "test" ? "silent" : config.log.level, logRequests: config.log.requests });
  await app.listen({ host: config.services.server.host, port: config.services.server.port });
  const address = app.server.address();
  const port = typeof address === "object" && address ? address.port : config.services.server.port;
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
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
  linkToParent((reason) => void stop(reason));
}

main().catch((error) => {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`fatal: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
