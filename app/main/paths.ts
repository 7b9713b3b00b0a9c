/**
 * Where the appliance keeps its files, per OS, in one place. `FLUXER_HOME` puts everything under
 * one folder (tests, portable installs); otherwise each OS's convention: XDG on Linux,
 * `~/Library/Application Support` (and `~/Library/Logs`) on macOS, `%APPDATA%` on Windows.
 */
import { mkdirSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";

export interface HostPaths {
  /** The settings file (zod-validated, written atomically). */
  settingsFile: string;
  /** SQLite database, attachments, engine data. */
  data: string;
  /** One rotating log file per supervised process. */
  logs: string;
  backups: string;
  /** Generated config files for the children (they hold secrets: owner-only). */
  run: string;
}

const APP_DIR = "fluxer-appliance";
const APP_NAME = "Fluxer Appliance";

interface Environment {
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  home: string;
}

export function resolveHostPaths(
  { env, platform, home }: Environment = { env: process.env, platform: process.platform, home: homedir() },
): HostPaths {
  const override = env.FLUXER_HOME;
  if (override) return underOneFolder(resolve(override));
  if (platform === "darwin") {
    const support = join(home, "Library", "Application Support", APP_NAME);
    return { ...underOneFolder(support), logs: join(home, "Library", "Logs", APP_NAME) };
  }
  if (platform === "win32") {
    return underOneFolder(join(env.APPDATA || join(home, "AppData", "Roaming"), APP_NAME));
  }
  const dataHome = env.XDG_DATA_HOME || join(home, ".local", "share");
  const configHome = env.XDG_CONFIG_HOME || join(home, ".config");
  const stateHome = env.XDG_STATE_HOME || join(home, ".local", "state");
  const data = join(dataHome, APP_DIR);
  return {
    settingsFile: join(configHome, APP_DIR, "settings.json"),
    data,
    logs: join(stateHome, APP_DIR, "logs"),
    backups: join(data, "backups"),
    run: join(data, "run"),
  };
}

function underOneFolder(root: string): HostPaths {
  return {
    settingsFile: join(root, "settings.json"),
    data: join(root, "data"),
    logs: join(root, "logs"),
    backups: join(root, "backups"),
    run: join(root, "run"),
  };
}

/** Creates every folder (owner-only: they hold the database, secrets and logs). */
export function ensureHostDirs(paths: HostPaths): void {
  for (const dir of [paths.data, paths.logs, paths.backups, paths.run, resolve(paths.settingsFile, "..")]) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
  }
}
