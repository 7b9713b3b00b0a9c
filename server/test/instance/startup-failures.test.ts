import assert from "node:assert/strict";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import type { ConfigInput } from "../../src/config.ts";
import { freePort } from "../support/engines.ts";
import { runServerToFailure } from "../support/server-process.ts";

const dirs: string[] = [];
function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), "fluxer-startup-"));
  dirs.push(dir);
  return dir;
}

function configIn(dir: string, extra: { host?: string; port?: number; dataDir?: string } = {}): ConfigInput {
  return {
    env: "test",
    database: { sqlite_path: join(dir, "db", "fluxer.db") },
    storage: { data_dir: extra.dataDir ?? join(dir, "files") },
    services: { server: { host: extra.host ?? "127.0.0.1", port: extra.port ?? 0 } },
    dev: { password_hash_cost: "fast" },
  };
}

/** The server must fail with exactly one line on stderr matching `pattern`, exit code 2, and no ready report. */
function assertOneLineFailure(run: ReturnType<typeof runServerToFailure>, pattern: RegExp) {
  assert.equal(run.signal, null, `the server did not exit by itself: ${run.stderr}`);
  assert.equal(run.code, 2, `exit code ${run.code}, stderr: ${run.stderr}`);
  const lines = run.stderr.trim().split("\n");
  assert.equal(lines.length, 1, `more than one line on stderr:\n${run.stderr}`);
  assert.match(lines[0] ?? "", pattern);
  assert.doesNotMatch(run.stdout, /"ready"/);
}

describe("start-up failures", () => {
  after(() => {
    for (const dir of dirs) {
      chmodSync(dir, 0o700);
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("names the address when the port is already in use", async () => {
    const holder: Server = createServer();
    await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve));
    const port = (holder.address() as { port: number }).port;
    try {
      const run = runServerToFailure(scratch(), configIn(scratch(), { port }));
      assertOneLineFailure(run, new RegExp(`^cannot listen on 127\\.0\\.0\\.1:${port}: the port is already in use`));
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  });

  it("names the address when it is not one of this machine's (a bind sends nothing)", () => {
    // 192.0.2.1 is TEST-NET-1: never assigned to a host, so binding to it fails locally.
    const run = runServerToFailure(scratch(), configIn(scratch(), { host: "192.0.2.1", port: 8080 }));
    assertOneLineFailure(run, /^cannot listen on 192\.0\.2\.1:8080: 192\.0\.2\.1 is not an address of this machine/);
  });

  it("names the engine and its URL when a configured engine does not answer", async () => {
    const port = await freePort(); // nothing listens there: the connection is refused on loopback
    const dir = scratch();
    const run = runServerToFailure(dir, { ...configIn(dir), internal: { kv: `redis://127.0.0.1:${port}` } });
    assertOneLineFailure(run, new RegExp(`^valkey: cannot connect to redis://127\\.0\\.0\\.1:${port}`));
  });

  it("names the data folder when it is a file", () => {
    const dir = scratch();
    const file = join(dir, "not-a-folder");
    writeFileSync(file, "I am a file");
    const run = runServerToFailure(dir, configIn(dir, { dataDir: file }));
    assertOneLineFailure(run, new RegExp(`^storage\\.data_dir ${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} is not a folder$`));
    assert.equal(existsSync(join(dir, "db", "fluxer.db")), false, "no database is created before the checks pass");
  });

  it("names the data folder when it cannot be written", () => {
    const dir = scratch();
    // Root ignores file modes, so as root a folder of sysfs (which takes no new files) stands in.
    let folder = "/sys/kernel";
    if (process.getuid?.() !== 0) {
      folder = join(dir, "read-only");
      mkdirSync(folder);
      chmodSync(folder, 0o555);
    }
    const run = runServerToFailure(dir, configIn(dir, { dataDir: folder }));
    assertOneLineFailure(
      run,
      new RegExp(`^storage\\.data_dir ${folder.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} is read-only or not writable`),
    );
  });
});
