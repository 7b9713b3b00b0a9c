/**
 * The appliance host: paths, settings, sizing, and the supervisor running Valkey (when there is a
 * binary) and then the chat server. `headless.ts` runs it under plain Node; the Electron shell
 * wraps the very same object.
 */
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { adminClient } from "./chat-server/admin-client.ts";
import type { ServerEntry } from "./chat-server/chat-server.unit.ts";
import { chatServerUnit } from "./chat-server/chat-server.unit.ts";
import { type ControlServer, startControlServer } from "./control/control-server.ts";
import { createHostBackend } from "./control/host-backend.ts";
import { engineUnit } from "./engines/engine-spec.ts";
import { bundledBinDir } from "./engines/find-binary.ts";
import { freeLoopbackPort } from "./engines/loopback.ts";
import { valkeyEngine, valkeyUrl } from "./engines/valkey.engine.ts";
import { acquireHostLock, type HostLock } from "./host-lock.ts";
import { instanceIdentity } from "./identity.ts";
import { ensureHostDirs, type HostPaths, resolveHostPaths } from "./paths.ts";
import type { Settings } from "./settings/settings.schema.ts";
import { loadOrCreateSettings, writeSettings } from "./settings/settings-file.ts";
import { machineFacts, sizeFor } from "./sizing.ts";
import { parentDeathGuard } from "./supervisor/parent-death.ts";
import { createSupervisor, type Supervisor } from "./supervisor/supervisor.ts";
import type { RestartPolicy, UnitSpec, UnitStatus } from "./supervisor/unit.ts";

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

export const SOURCE_SERVER: ServerEntry = { kind: "source", file: join(repoRoot, "server/src/main.ts") };
export const BUILT_SERVER: ServerEntry = { kind: "built", file: join(repoRoot, "dist/server/main.js") };

export interface HostOptions {
  paths?: HostPaths;
  serverEntry?: ServerEntry;
  /** Holds `bin/<platform>-<arch>/` (the installer's extra resources). */
  resourcesDir?: string;
  /** PATH searched for engine binaries after the bundled folder (default: the host's PATH). */
  enginePath?: string;
  restart?: Partial<RestartPolicy>;
  stopGraceMs?: number;
  serverConfigOverrides?: Record<string, unknown>;
  machineId?: () => string;
  /** Serve the loopback control API (default: yes). */
  control?: boolean;
}

export interface HostStatus {
  chatUrl: string;
  /** The control API's origin (the host UI), when it runs. */
  controlUrl?: string;
  processes: UnitStatus[];
}

export interface Host {
  readonly paths: HostPaths;
  start(): Promise<HostStatus>;
  stop(): Promise<UnitStatus[]>;
  status(): HostStatus;
  /** The one-time link that signs the host UI in; undefined once used (or without a control API). */
  setupUrl(): string | undefined;
  /** Available once started (tests and the dashboard read units from it). */
  supervisor(): Supervisor;
}

export function createHost(options: HostOptions = {}): Host {
  const paths = options.paths ?? resolveHostPaths();
  let supervisor: Supervisor | undefined;
  let lock: HostLock | undefined;
  let chatPort = 0;
  let current: Settings | undefined;
  let control: ControlServer | undefined;

  const chatUrl = () => `http://127.0.0.1:${chatPort}/`;
  const status = (): HostStatus => ({
    chatUrl: chatUrl(),
    ...(control ? { controlUrl: `${control.origin}/` } : {}),
    processes: supervisor?.status() ?? [],
  });

  return {
    paths,
    async start() {
      if (supervisor) throw new Error("host already started");
      ensureHostDirs(paths);
      lock = acquireHostLock(join(paths.run, "host.lock"));
      let withPort: Settings;
      try {
        const { settings } = await loadOrCreateSettings(paths.settingsFile, () => instanceIdentity(options.machineId));
        withPort = await ensureServerPort(paths.settingsFile, settings);
      } catch (error) {
        lock.release();
        lock = undefined;
        throw error;
      }
      chatPort = withPort.server.port!;
      current = withPort;
      const settingsNow = () => current ?? withPort;
      const isRunning = (name: string) => supervisor?.status().some((unit) => unit.name === name && unit.state === "running") ?? false;
      supervisor = createSupervisor(await unitsFor(withPort, settingsNow, paths, options, isRunning), { logsDir: paths.logs });
      await supervisor.startAll();
      if (options.control ?? true) {
        const running = supervisor;
        control = await startControlServer(
          createHostBackend({
            supervisor: () => running,
            chatUrl,
            admin: adminClient(chatUrl, withPort.secrets.admin_key),
            settingsFile: paths.settingsFile,
            settings: {
              get: settingsNow,
              set: (next) => {
                current = next;
              },
            },
          }),
        );
      }
      return status();
    },
    async stop() {
      await control?.close();
      control = undefined;
      const statuses = supervisor ? await supervisor.stopAll() : [];
      lock?.release();
      lock = undefined;
      return statuses;
    },
    status,
    setupUrl: () => control?.setupUrl(),
    supervisor() {
      if (!supervisor) throw new Error("host not started");
      return supervisor;
    },
  };
}

// The chat port is picked once and kept, so the address members use survives restarts.
async function ensureServerPort(file: string, settings: Settings): Promise<Settings> {
  if (settings.server.port) return settings;
  const updated = { ...settings, server: { ...settings.server, port: await freeLoopbackPort() } };
  await writeSettings(file, updated);
  return updated;
}

async function unitsFor(
  settings: Settings,
  settingsNow: () => Settings,
  paths: HostPaths,
  options: HostOptions,
  isRunning: (name: string) => boolean,
): Promise<UnitSpec[]> {
  const sizing = sizeFor(machineFacts());
  const { guard } = parentDeathGuard();
  const common = { restart: options.restart, stopGraceMs: options.stopGraceMs };
  const units: UnitSpec[] = [];
  let kvUrl: (() => string | undefined) | undefined;

  const valkeySettings = settings.engines.valkey;
  if (valkeySettings.enabled) {
    // Chosen once per host run: the server's config names it, and restarts reuse it.
    const port = await freeLoopbackPort();
    const valkey = engineUnit(
      valkeyEngine({
        dataDir: join(paths.data, "valkey"),
        runDir: paths.run,
        port,
        password: settings.secrets.valkey_password,
        maxMemoryMb: valkeySettings.max_memory_mb ?? sizing.valkeyMaxMemoryMb,
        persistence: valkeySettings.persistence,
      }),
      { bundledDir: bundledBinDir(options.resourcesDir ?? join(repoRoot, "resources")), pathEnv: options.enginePath, guard, ...common },
    );
    units.push(valkey);
    kvUrl = () => valkeyUrl(port, settings.secrets.valkey_password);
  }

  units.push(
    chatServerUnit({
      entry: options.serverEntry ?? SOURCE_SERVER,
      paths,
      port: settings.server.port!,
      sizing: () => ({
        heapMb: settingsNow().server.heap_mb ?? sizing.serverHeapMb,
        uvThreadpoolSize: settingsNow().server.uv_threadpool_size ?? sizing.uvThreadpoolSize,
      }),
      adminKey: settings.secrets.admin_key,
      // A missing or failed Valkey leaves the server on its in-process store.
      kvUrl: () => (kvUrl && isRunning("valkey") ? kvUrl() : undefined),
      configOverrides: options.serverConfigOverrides,
      ...common,
    }),
  );
  return units;
}
