/**
 * The composition root: every engine adapter is chosen and connected here, at start-up,
 * from the config. Tests build the same root with a temporary SQLite file.
 */
import { mkdirSync } from "node:fs";
import { resolve } from "node:path";
import { createPasswordHasher, type PasswordHasher } from "./auth/passwords.ts";
import type { EventBus } from "./bus/bus.port.ts";
import { createLocalEventBus } from "./bus/local.bus.ts";
import type { Config } from "./config.ts";
import { createIdGenerator, type IdGenerator } from "./ids.ts";
import type { KeyValueStore } from "./kv/kv.port.ts";
import { createMemoryKeyValueStore } from "./kv/memory.kv.ts";
import { createValkeyKeyValueStore } from "./kv/valkey.kv.ts";
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
  /** Folder for files on local disk (attachments until the blob store arrives). */
  dataDir: string;
  close(): Promise<void>;
}

export async function createDeps(config: Config): Promise<Deps> {
  if (config.database.backend !== "sqlite") {
    throw new Error(`database.backend "${config.database.backend}" is not available in this build yet; use "sqlite"`);
  }
  const dataDir = resolve(config.storage.data_dir);
  mkdirSync(dataDir, { recursive: true });
  const stores = createSqliteStores(resolve(config.database.sqlite_path), config.database.sqlite_pragmas);
  const kv = config.internal.kv ? await createValkeyKeyValueStore(config.internal.kv) : createMemoryKeyValueStore();
  const bus = createLocalEventBus();
  return {
    config,
    stores,
    kv,
    bus,
    ids: createIdGenerator(config.instance.worker_id),
    passwords: createPasswordHasher(config.dev.password_hash_cost),
    clock: Date.now,
    dataDir,
    async close() {
      await bus.close();
      await kv.close();
      stores.close();
    },
  };
}
