/**
 * A configured S3 bucket is an engine like the others: it must answer at start (one clear line
 * otherwise) and it is part of `/_ready`.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { createDeps } from "../../src/deps.ts";
import { StartupError } from "../../src/startup-checks.ts";
import { freePort } from "../support/engines.ts";
import { startTestServer, testConfig } from "../support/harness.ts";
import { type RunningS3, startS3 } from "../support/s3.ts";
import { runServerToFailure } from "../support/server-process.ts";

describe("S3 at start-up and in /_ready", () => {
  let s3: RunningS3;
  const dir = mkdtempSync(join(tmpdir(), "fluxer-s3-startup-"));
  before(async () => {
    s3 = await startS3();
  });
  after(async () => {
    await s3?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("exits with one line naming the bucket and endpoint when nothing answers there", async () => {
    const port = await freePort(); // nothing listens: refused on loopback
    const run = runServerToFailure(dir, {
      env: "test",
      database: { sqlite_path: join(dir, "db", "fluxer.db") },
      storage: { data_dir: join(dir, "files") },
      services: { server: { host: "127.0.0.1", port: 0 } },
      s3: { ...s3.config(), endpoint: `http://127.0.0.1:${port}` },
    });
    assert.equal(run.code, 2, run.stderr);
    const lines = run.stderr.trim().split("\n");
    assert.equal(lines.length, 1, run.stderr);
    assert.match(lines[0] ?? "", new RegExp(`^s3: cannot use bucket fluxer-test at http://127\\.0\\.0\\.1:${port}: `));
  });

  it("refuses to start on a bucket that does not exist, or with a key it does not know", async () => {
    await assert.rejects(
      createDeps(testConfig(dir, { s3: { ...s3.config(), bucket: "no-such-bucket" } })),
      (error: Error) => error instanceof StartupError && /no-such-bucket .*: no such bucket/.test(error.message),
    );
    await assert.rejects(
      createDeps(testConfig(dir, { s3: { ...s3.config(), access_key_id: "NOBODY" } })),
      (error: Error) => error instanceof StartupError && /access denied/.test(error.message),
    );
  });

  it("lists the bucket in /_ready, and is not ready while it does not answer", async () => {
    const server = await startTestServer({ s3: s3.config() });
    try {
      const ready = await server.request("GET", "/_ready");
      assert.equal(ready.status, 200, JSON.stringify(ready.body));
      assert.deepEqual(ready.body.checks, { database: "ok", blobs: "ok" });
      await s3.stop({ keepFiles: true });
      const down = await server.request("GET", "/_ready");
      assert.equal(down.status, 503);
      assert.match(down.body.checks.blobs, /^not answering: /);
    } finally {
      s3 = await startS3({ port: s3.port, directory: s3.directory });
      await server.close();
    }
  });
});
