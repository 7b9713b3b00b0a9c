/**
 * The composition root: every engine adapter is chosen and connected here, at start-up,
 * from the config. Tests build the same root with a temporary SQLite file.
 */
import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { createPasswordHasher, type PasswordHasher } from "./auth/passwords.ts";
import { type BlobCleanup, createBlobCleanup } from "./blobs/blob-cleanup.ts";
import { createBlobStore } from "./blobs/blob-store.factory.ts";
import type { BlobStore } from "./blobs/blob-store.port.ts";
import type { EventBus } from "./bus/bus.port.ts";
import { createLocalEventBus } from "./bus/local.bus.ts";
import { createNatsEventBus } from "./bus/nats.bus.ts";
import type { Config } from "./config.ts";
import { createIdGenerator, type IdGenerator } from "./ids.ts";
import type { KeyValueStore } from "./kv/kv.port.ts";
import { createMemoryKeyValueStore } from "./kv/memory.kv.ts";
import { createValkeyKeyValueStore } from "./kv/valkey.kv.ts";
import { StartupError } from "./startup-checks.ts";
import type { Stores } from "./storage/ports.ts";
import { createSqliteStores } from "./storage/sqlite/stores.ts";

export interface Deps {
  config: Config;
  stores: Stores;
  kv: KeyValueStore;
  bus: EventBus;
  ids: IdGenerator;
  passwords: PasswordHasher;
  clock: () => number;
  /** Uploaded files (attachments): a folder under `dataDir`, or S3. */
  blobs: BlobStore;
  /** Deletes blobs through a persisted retry queue; buildApp starts its periodic drain. */
  blobCleanup: BlobCleanup;
  /** Local folder: uploads in flight (`attachments/.incoming/`) and, without S3, the blobs themselves. */
  dataDir: string;
  close(): Promise<void>;
}

export async function createDeps(config: Config): Promise<Deps> {
  if (config.database.backend !== "sqlite") {
    throw new StartupError(`database.backend "${config.database.backend}" is not available in this build yet; use "sqlite"`);
  }
  if (config.internal.kv && config.internal.kv_mode !== "standalone") {
    throw new StartupError(`internal.kv_mode "${config.internal.kv_mode}" is not available in this build yet; use "standalone"`);
  }
  const dataDir = resolve(config.storage.data_dir);
  mkdirSync(dataDir, { recursive: true });
  // Builds a client only; the first request is the first connection.
  const blobs = createBlobStore(config, dataDir);
  const stores = createSqliteStores(resolve(config.database.sqlite_path), config.database.sqlite_pragmas);
  let kv: KeyValueStore | undefined;
  let bus: EventBus;
  try {
    kv = config.internal.kv ? await createValkeyKeyValueStore(config.internal.kv) : createMemoryKeyValueStore();
    // NATS when API and gateway are separate processes; else the in-process bus.
    const nats = config.services.nats;
    bus = nats.core_url ? await createNatsEventBus(nats.core_url, nats.auth_token) : createLocalEventBus();
    // A configured bucket must answer now: uploads would fail one by one otherwise.
    if (config.s3.bucket) await blobs.ping().catch((error: Error) => Promise.reject(new Error(`s3: cannot use ${error.message}`)));
  } catch (error) {
    // Open connections would keep the process (and a test run) alive after a failed start.
    await kv?.close().catch(() => {});
    await blobs.close().catch(() => {});
    stores.close();
    // The adapters' messages already name the engine and its URL (password hidden): one line for the owner.
    throw error instanceof Error ? new StartupError(error.message) : error;
  }
  const blobCleanup = createBlobCleanup({ blobs, queue: stores.blobDeletions, clock: Date.now });
  return {
    config,
    stores,
    kv,
    bus,
    ids: createIdGenerator(config.instance.worker_id),
    passwords: createPasswordHasher(config.dev.password_hash_cost),
    clock: Date.now,
    blobs,
    blobCleanup,
    dataDir,
    async close() {
      await blobCleanup.stop();
      // Each is closed even if another fails, so no connection keeps the process alive.
      const results = await Promise.allSettled([bus.close(), kv.close(), blobs.close()]);
      stores.close();
      const failed = results.find((result) => result.status === "rejected");
      if (failed) throw failed.reason;
    },
  };
}
