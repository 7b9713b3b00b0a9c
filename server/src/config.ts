/**
 * The server's one configuration file: Fluxer's `config.json` keys plus our own where upstream
 * has none. Loaded from `FLUXER_CONFIG` (or `--config`), overridden by `FLUXER_CONFIG__A__B=value`
 * environment variables, validated once at start. `docs/configuration.md` is generated from it.
 */
import { readFileSync } from "node:fs";
import { isIP } from "node:net";
import { z } from "zod";

/** An IP address, or one with a prefix length (CIDR); what fastify's trustProxy accepts as a list. */
function isAddressOrCidr(text: string): boolean {
  const [address = "", prefix, ...rest] = text.split("/");
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

const port = z.number().int().min(0).max(65535);
const ms = (fallback: number, what: string) => z.number().int().min(1).default(fallback).describe(what);

const sqlitePragmas = z
  .object({
    journal_mode: z.enum(["WAL", "DELETE", "TRUNCATE", "PERSIST", "MEMORY"]).default("WAL"),
    synchronous: z.enum(["OFF", "NORMAL", "FULL", "EXTRA"]).default("NORMAL"),
    cache_size: z.number().int().default(-128000).describe("Pages, or KiB when negative."),
    wal_autocheckpoint: z.number().int().min(0).default(1000),
    mmap_size: z.number().int().min(0).default(268435456),
    busy_timeout: z.number().int().min(0).default(5000),
  })
  .prefault({})
  .describe("SQLite pragmas applied when the database opens (our key; upstream has none).");

export const configSchema = z
  .object({
    env: z.enum(["development", "production", "test"]).default("production"),
    domain: z
      .object({
        base_domain: z.string().min(1).default("127.0.0.1").describe("Host name clients use to reach this instance."),
        public_scheme: z.enum(["http", "https"]).optional().describe("Defaults to https when services.server.tls is set, else http."),
        public_port: port.optional().describe("Port clients use; defaults to services.server.port."),
        invite_domain: z.string().optional(),
        static_cdn_domain: z.string().optional().describe("Never an outside host unless the owner sets one."),
      })
      .prefault({}),
    database: z
      .object({
        backend: z.enum(["sqlite", "cassandra"]).default("sqlite"),
        sqlite_path: z.string().min(1).default("./data/fluxer.db"),
        sqlite_pragmas: sqlitePragmas,
        cassandra: z
          .object({
            hosts: z.array(z.string()).default([]),
            keyspace: z.string().default("fluxer"),
            local_dc: z.string().default("datacenter1"),
            username: z.string().optional(),
            password: z.string().optional(),
          })
          .optional(),
      })
      .prefault({}),
    internal: z
      .object({
        kv: z.string().optional().describe("Valkey/Redis URL (redis://host:port/db). Unset: in-process memory."),
        kv_mode: z.enum(["standalone", "cluster"]).default("standalone").describe("`cluster` is not available in this build yet."),
      })
      .prefault({}),
    s3: z
      .object({
        bucket: z
          .string()
          .min(1)
          .optional()
          .describe("Bucket for uploaded files. Set: files live in S3 instead of `storage.data_dir`. Unset: local disk."),
        endpoint: z
          .string()
          .url()
          .optional()
          .describe("S3-compatible service URL (`http://127.0.0.1:9000` for MinIO). Unset: AWS S3 for `region`."),
        region: z.string().default("local").describe("Region name the service expects (`us-east-1` for most compatible services)."),
        access_key_id: z.string().optional().describe("Access key. Unset: the AWS SDK's own credential chain."),
        secret_access_key: z.string().optional().describe("Secret key that goes with `access_key_id`."),
        force_path_style: z
          .boolean()
          .default(true)
          .describe("`endpoint/bucket/key` URLs (MinIO, Garage, Ceph need this); false for `bucket.endpoint/key`."),
        key_prefix: z
          .string()
          .regex(/^([A-Za-z0-9_-][A-Za-z0-9._-]*\/)*$/)
          .default("")
          .describe("Prepended to every object key (e.g. `fluxer/`), to share a bucket. Empty or ending with `/`."),
      })
      .prefault({}),
    services: z
      .object({
        server: z
          .object({
            host: z.string().default("127.0.0.1").describe("Bind address. Loopback until the owner exposes the instance."),
            port: port.default(8080),
            tls: z
              .object({
                cert_path: z.string().min(1).describe("PEM certificate chain, server certificate first."),
                key_path: z.string().min(1).describe("PEM private key of that certificate."),
                http_redirect_port: port
                  .optional()
                  .describe("Plain-HTTP port that answers 308 to HTTPS, except `/.well-known/acme-challenge/`. Unset: no plain HTTP."),
                acme_challenge_dir: z
                  .string()
                  .min(1)
                  .optional()
                  .describe("Folder whose files answer `/.well-known/acme-challenge/<token>` on the redirect port (filled by the host)."),
                ca_certificate_path: z
                  .string()
                  .min(1)
                  .optional()
                  .describe("Local CA certificate (PEM) members download at `/_tls/ca.pem` and `/_tls/ca.der`, also over plain HTTP."),
              })
              .optional()
              .describe("Serve HTTPS and WSS directly (our key). SIGHUP rereads the files without a restart."),
            trusted_proxies: z
              .array(z.string().refine(isAddressOrCidr, "expected an IP address or CIDR range (10.0.0.1, 10.0.0.0/8, fd00::/64)"))
              .default([])
              .describe("Addresses or CIDRs of reverse proxies whose X-Forwarded-* headers are trusted (our key). Empty: none."),
          })
          .prefault({}),
        nats: z
          .object({
            core_url: z
              .string()
              .optional()
              .describe("NATS URL (nats://host:4222) for the event bus between API and gateway processes. Unset: in-process bus."),
            auth_token: z.string().optional().describe("Token the NATS server requires, if any."),
          })
          .prefault({}),
      })
      .prefault({}),
    instance: z
      .object({
        deployment_mode: z.enum(["monolith", "microservices"]).default("monolith"),
        self_hosted: z.boolean().default(true),
        registration_open: z.boolean().default(true).describe("Whether anyone may register (our key)."),
        require_claim: z
          .boolean()
          .default(false)
          .describe("Refuse every registration until the owner is claimed through the admin API (our key; the host sets it)."),
        admin_api_key: z
          .string()
          .min(24)
          .optional()
          .describe("Key for `Authorization: Admin <key>` on /_appliance/admin/*; without it those routes do not exist (our key)."),
        worker_id: z.number().int().min(0).max(1023).default(0).describe("Snowflake worker bits for this process."),
      })
      .prefault({}),
    integrations: z
      .object({
        voice: z.object({ enabled: z.boolean().default(false) }).prefault({}),
        search: z.object({ engine: z.enum(["sqlite", "meilisearch"]).default("sqlite"), url: z.string().optional() }).prefault({}),
      })
      .prefault({}),
    telemetry: z.object({ enabled: z.boolean().default(false) }).prefault({}),
    log: z
      .object({
        level: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
        requests: z.boolean().default(false).describe("Log every HTTP request (noisy; off by default)."),
      })
      .prefault({})
      .describe("Server logging to stderr (our key)."),
    storage: z
      .object({
        data_dir: z
          .string()
          .default("./data")
          .describe("Local files: uploads in flight, and the uploaded files themselves unless `s3.bucket` is set."),
      })
      .prefault({}),
    limits: z
      .object({
        max_message_length: z.number().int().min(1).default(4000),
        max_attachment_bytes: z
          .number()
          .int()
          .min(1)
          .default(25 * 1024 * 1024),
        max_attachments_per_message: z.number().int().min(1).max(10).default(10),
        max_request_body_bytes: z
          .number()
          .int()
          .min(1024)
          .default(30 * 1024 * 1024),
        max_guilds_per_user: z.number().int().min(1).default(200),
        max_channels_per_guild: z.number().int().min(1).default(500),
        max_roles_per_guild: z.number().int().min(1).default(250),
        max_pins_per_channel: z.number().int().min(1).default(250),
        max_reactions_per_message: z.number().int().min(1).default(20),
      })
      .prefault({}),
    rate_limits: z
      .object({
        global_per_second: z.number().int().min(1).default(50).describe("Requests per second per caller, all routes."),
        auth_per_minute: z.number().int().min(1).default(10).describe("Login/register attempts per minute per IP."),
        messages_per_5s: z.number().int().min(1).default(10).describe("Message sends per channel per user per 5 s."),
      })
      .prefault({}),
    gateway: z
      .object({
        heartbeat_interval_ms: ms(41250, "HELLO's heartbeat_interval."),
        heartbeat_timeout_ms: ms(45000, "Close 4009 after this long without a heartbeat."),
        resume_window_ms: ms(60000, "How long a dropped session can be resumed."),
        invalid_session_close_ms: ms(
          10000,
          "After op 9 (invalid session), close the socket (4009) if the client has not sent IDENTIFY within this long.",
        ),
        visibility_ttl_ms: ms(
          10000,
          "How long the gateway trusts its cached view of who may see which channel before reloading it from the store (bounds the harm of a lost event).",
        ),
        max_backlog: z.number().int().min(1).default(4096).describe("Unacknowledged events kept before 4013."),
        max_buffered_bytes: z
          .number()
          .int()
          .min(1024)
          .default(4 * 1024 * 1024)
          .describe("Bytes a socket may have queued for sending before it is closed with 4013."),
        max_frame_bytes: z.number().int().min(256).default(4096).describe("Largest client frame; bigger ones close 4002."),
        frames_per_window: z.number().int().min(1).default(120).describe("Client frames allowed per rate window (4008 beyond)."),
        frame_window_ms: ms(60000, "The client frame rate window."),
        presence_ttl_ms: ms(600000, "How long a presence lives in the key-value store without a refresh (crash safety)."),
      })
      .prefault({}),
    web: z
      .object({
        client_dir: z
          .string()
          .optional()
          .describe("Folder of our built web client served at `/`. Unset: app/renderer/dist/chat in the repository."),
        fluxer_app_dir: z
          .string()
          .min(1)
          .optional()
          .describe(
            "Folder holding a built official Fluxer web app (index.html, assets/), served at `/` with the bootstrap it expects. Supplied by the owner; unset: not served.",
          ),
        fluxer_release_channel: z.enum(["stable", "canary"]).default("stable").describe("Release channel that web app is told it runs on."),
      })
      .prefault({})
      .describe("The web client this instance serves at `/`: ours, or an official Fluxer web build (our keys)."),
    dev: z
      .object({
        disable_rate_limits: z.boolean().default(false).describe("Turn off REST rate limits (tests, benchmarks)."),
        password_hash_cost: z.enum(["normal", "fast"]).default("normal").describe("`fast` only for tests."),
      })
      .prefault({}),
  })
  .describe("Fluxer Appliance server configuration");

export type Config = z.infer<typeof configSchema>;
export type ConfigInput = z.input<typeof configSchema>;

export class ConfigError extends Error {}

/** Applies `FLUXER_CONFIG__A__B=value` variables onto a raw config object (values parsed as JSON when they can be). */
export function applyEnvOverrides(raw: Record<string, unknown>, env: NodeJS.ProcessEnv): Record<string, unknown> {
  const prefix = "FLUXER_CONFIG__";
  for (const [name, text] of Object.entries(env)) {
    if (!name.startsWith(prefix) || text === undefined) continue;
    const path = name.slice(prefix.length).toLowerCase().split("__").filter(Boolean);
    let node: Record<string, unknown> = raw;
    for (const key of path.slice(0, -1)) {
      const child = node[key];
      node[key] = child && typeof child === "object" && !Array.isArray(child) ? child : {};
      node = node[key] as Record<string, unknown>;
    }
    const leaf = path.at(-1);
    if (leaf) node[leaf] = parseEnvValue(text);
  }
  return raw;
}

function parseEnvValue(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Validates a raw config; throws a ConfigError whose message is one line naming key, value and expectation. */
export function parseConfig(raw: unknown): Config {
  const result = configSchema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const key = issue?.path.join(".") || "(root)";
  const value = JSON.stringify(valueAt(raw, issue?.path ?? []));
  throw new ConfigError(`config: ${key} = ${value ?? "(missing)"}: ${issue?.message ?? "invalid"}`);
}

function valueAt(raw: unknown, path: PropertyKey[]): unknown {
  let node = raw;
  for (const key of path) {
    if (!node || typeof node !== "object") return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

/** Reads the config file (if any), applies environment overrides and validates. */
export function loadConfig(file: string | undefined, env: NodeJS.ProcessEnv = process.env): Config {
  let raw: Record<string, unknown> = {};
  if (file) {
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (error) {
      throw new ConfigError(`config: cannot read ${file}: ${(error as Error).message}`);
    }
    try {
      raw = JSON.parse(text);
    } catch (error) {
      throw new ConfigError(`config: ${file} is not valid JSON: ${(error as Error).message}`);
    }
  }
  return parseConfig(applyEnvOverrides(raw, env));
}
