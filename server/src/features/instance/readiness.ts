/**
 * Readiness for `/_ready`: the database is open and migrated, and every engine the config names
 * (Valkey `internal.kv`, NATS `services.nats.core_url`, the S3 bucket `s3.bucket`) answers right now. Asked on every probe, so
 * an engine that stops answering turns the instance not-ready until it is back.
 */
import type { Deps } from "../../deps.ts";

export interface ReadinessReport {
  ready: boolean;
  /** One entry per dependency: "ok", or what is wrong with it. */
  checks: Record<string, string>;
}

export type Readiness = () => Promise<ReadinessReport>;

/** A probe that neither answers nor fails counts as not answering. */
const PROBE_TIMEOUT_MS = 1_500;

function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export function createReadiness(
  deps: Pick<Deps, "config" | "stores" | "kv" | "bus" | "blobs">,
  isStopping: () => boolean = () => false,
): Readiness {
  const probes: [string, () => void | Promise<void>][] = [["database", () => deps.stores.ping()]];
  if (deps.config.internal.kv) probes.push(["kv", () => deps.kv.ping()]);
  if (deps.config.services.nats.core_url) probes.push(["nats", () => deps.bus.ping()]);
  if (deps.config.s3.bucket) probes.push(["blobs", () => deps.blobs.ping()]);

  return async () => {
    const checks: Record<string, string> = {};
    if (isStopping()) checks.server = "shutting down";
    await Promise.all(
      probes.map(async ([name, probe]) => {
        try {
          await within(Promise.resolve().then(probe), PROBE_TIMEOUT_MS);
          checks[name] = "ok";
        } catch (error) {
          checks[name] = `not answering: ${error instanceof Error ? error.message : String(error)}`;
        }
      }),
    );
    return { ready: Object.values(checks).every((state) => state === "ok"), checks };
  };
}
