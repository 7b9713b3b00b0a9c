/**
 * Start-up failures an owner can fix, each as ONE line naming the cause and the path or address
 * (main.ts prints it and exits 2): a data folder that is missing, not a folder or not writable, and
 * a listen address that is taken or not on this machine. Checked before anything opens, so a bad
 * folder never leaves a half-created database behind.
 */
import { mkdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { Config } from "./config.ts";

/** A start-up failure whose message is the one line to show. */
export class StartupError extends Error {}

const codeOf = (error: unknown) => String((error as { code?: unknown })?.code ?? "");

/** The folder must exist (or be creatable), be a folder, and take a file. */
function checkWritableFolder(setting: string, folder: string) {
  const existing = statSync(folder, { throwIfNoEntry: false });
  if (existing && !existing.isDirectory()) throw new StartupError(`${setting} ${folder} is not a folder`);
  try {
    mkdirSync(folder, { recursive: true });
  } catch (error) {
    const cause =
      codeOf(error) === "ENOTDIR" || codeOf(error) === "EEXIST" ? "a part of the path is a file" : codeOf(error) || String(error);
    throw new StartupError(`${setting} ${folder} cannot be created (${cause})`);
  }
  const probe = join(folder, `.write-probe-${process.pid}`);
  try {
    writeFileSync(probe, "");
    rmSync(probe, { force: true });
  } catch (error) {
    throw new StartupError(`${setting} ${folder} is read-only or not writable (${codeOf(error) || String(error)})`);
  }
}

export function checkDataFolders(config: Config) {
  checkWritableFolder("storage.data_dir", resolve(config.storage.data_dir));
  const database = config.database.sqlite_path;
  if (database === ":memory:") return;
  const path = resolve(database);
  if (statSync(path, { throwIfNoEntry: false })?.isDirectory())
    throw new StartupError(`database.sqlite_path ${path} is a folder, not a file`);
  checkWritableFolder("the folder of database.sqlite_path", dirname(path));
}

/** A failed listen() as the line to show, or null when it is not a bind failure. */
export function listenFailure(error: unknown, host: string, port: number): StartupError | null {
  const where = `${host.includes(":") ? `[${host}]` : host}:${port}`;
  switch (codeOf(error)) {
    case "EADDRINUSE":
      return new StartupError(`cannot listen on ${where}: the port is already in use (services.server.port)`);
    case "EADDRNOTAVAIL":
      return new StartupError(`cannot listen on ${where}: ${host} is not an address of this machine (services.server.host)`);
    case "EACCES":
      return new StartupError(`cannot listen on ${where}: permission denied (ports below 1024 need privileges)`);
    case "ENOTFOUND":
    case "EAI_AGAIN":
      return new StartupError(`cannot listen on ${where}: ${host} does not resolve to an address (services.server.host)`);
    default:
      return null;
  }
}
