/** The URLs clients use to reach this instance, derived from the config (never an outside host). */
import type { Config } from "./config.ts";

/** The instance's public origin, as clients must use it (never an outside host). */
export function publicOrigin(config: Config): string {
  const { public_scheme: scheme, base_domain: host } = config.domain;
  const port = config.domain.public_port ?? config.services.server.port;
  const defaultPort = scheme === "https" ? 443 : 80;
  return `${scheme}://${host}${port === defaultPort ? "" : `:${port}`}`;
}

export function gatewayUrl(config: Config): string {
  return `${publicOrigin(config).replace(/^http/, "ws")}/gateway`;
}
