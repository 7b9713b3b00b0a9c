import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { acquireHostLock, HostLockedError } from "../host-lock.ts";

const dir = mkdtempSync(join(tmpdir(), "fluxer-lock-"));
after(() => rmSync(dir, { recursive: true, force: true }));

test("the lock is exclusive while held and free again once released", () => {
  const file = join(dir, "held.lock");
  const lock = acquireHostLock(file);
  assert.equal(readFileSync(file, "utf8").trim(), String(process.pid));
  assert.throws(() => acquireHostLock(file), HostLockedError);
  lock.release();
  assert.equal(existsSync(file), false);
  acquireHostLock(file).release();
});

test("a lock left by a host that is gone is taken over", () => {
  const file = join(dir, "stale.lock");
  const gone = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"], { encoding: "utf8" });
  writeFileSync(file, `${gone.stdout}\n`);
  const lock = acquireHostLock(file);
  assert.equal(readFileSync(file, "utf8").trim(), String(process.pid));
  lock.release();
});
