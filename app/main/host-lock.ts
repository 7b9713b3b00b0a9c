/**
 * One host per home: two supervisors on the same database and chat port would fight. The lock is
 * a file created exclusively (atomic `wx`) holding the owner's pid; a lock whose process is gone
 * (a host killed by SIGKILL) is taken over.
 */
import { closeSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";

export class HostLockedError extends Error {}

export interface HostLock {
  release(): void;
}

export function acquireHostLock(file: string, pid = process.pid): HostLock {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, "wx", 0o600);
      writeSync(fd, `${pid}\n`);
      closeSync(fd);
      return { release: () => rmSync(file, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const owner = Number.parseInt(readFileSafe(file), 10);
    if (Number.isInteger(owner) && isAlive(owner)) {
      throw new HostLockedError(`another host (pid ${owner}) runs on this home; stop it first (lock: ${file})`);
    }
    rmSync(file, { force: true }); // stale: its host is gone
  }
  throw new HostLockedError(`cannot take the host lock ${file}`);
}

function readFileSafe(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return "";
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
