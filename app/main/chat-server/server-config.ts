/**
 * The chat server's config file, generated from the host's settings on every (re)start: loopback
 * bind, data under the host's data folder, the managed Valkey when it runs, and registration shut
 * until the owner is claimed through the admin API.
 */
import { join } from "node:path";
import type { HostPaths } from "../paths.ts";

export interface ServerConfigInputs {
  paths: HostPaths;
  port: number;
  /** Valkey URL with credentials, when Valkey runs. */
  kvUrl?: string;
  /** The key of the server's admin API (claim, figures), which only the host holds. */
  adminKey: string;
  /** Extra keys merged over the generated ones (tests, advanced settings). */
  overrides?: Record<string, unknown>;
}

export function serverConfig({ paths, port, kvUrl, adminKey, overrides = {} }: ServerConfigInputs): Record<string, unknown> {
  const generated = {
    env: "production",
    // No public_scheme: the server derives it (https once services.server.tls is set).
    domain: { base_domain: "127.0.0.1" },
    database: { backend: "sqlite", sqlite_path: join(paths.data, "fluxer.db") },
    storage: { data_dir: join(paths.data, "files") },
    // Nothing of the appliance listens beyond loopback until the owner exposes it (a later wizard).
    services: { server: { host: "127.0.0.1", port } },
    internal: kvUrl ? { kv: kvUrl } : {},
    // Claim before anything else: nobody registers until the owner is claimed through the host.
    instance: { require_claim: true, admin_api_key: adminKey },
    log: { level: "info" },
  };
  return deepMerge(generated, overrides);
}

function deepMerge(base: Record<string, unknown>, extra: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    const current = out[key];
    out[key] = isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : value;
  }
  return out;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
