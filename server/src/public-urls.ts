/** The URLs clients use to reach this instance, derived from the config (never an outside host). */
import type { Config } from "./config.ts";

/** Ports the OS picked for configs that asked for port 0, recorded once the server listens. */
const boundPorts = new WeakMap<Config, number>();

/** Records the port the server is listening on (app.ts does it on listen). */
export function recordBoundPort(config: Config, port: number): void {
  boundPorts.set(config, port);
}

/** The instance's public origin, as clients must use it (never an outside host). */
export function publicOrigin(config: Config): string {
  const host = config.domain.base_domain;
  // A server that serves TLS itself is reached over https unless the owner says otherwise.
  const scheme = config.domain.public_scheme ?? (config.services.server.tls ? "https" : "http");
  const configured = config.services.server.port;
  // Port 0 means "any free port": the real one is the bound one, once known.
  const port = config.domain.public_port ?? (configured === 0 ? (boundPorts.get(config) ?? configured) : configured);
  const defaultPort = scheme === "https" ? 443 : 80;
  return `${scheme}://${host}${port === defaultPort ? "" : `:${port}`}`;
}

export function gatewayUrl(config: Config): string {
  return `${publicOrigin(config).replace(/^http/, "ws")}/gateway`;
}
