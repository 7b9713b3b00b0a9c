/** TLS start-up failures through the real process: one line naming the setting and path or address, exit 2. */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import type { ConfigInput } from "../../src/config.ts";
import { runServerToFailure } from "../support/server-process.ts";
import { makeTestCertificates } from "../support/test-certificates.ts";

const dirs: string[] = [];
function scratch(): string {
  const dir = mkdtempSync(join(tmpdir(), "fluxer-tls-startup-"));
  dirs.push(dir);
  return dir;
}

function configWith(dir: string, tls: { cert_path: string; key_path: string; http_redirect_port?: number }): ConfigInput {
  return {
    env: "test",
    database: { sqlite_path: join(dir, "fluxer.db") },
    storage: { data_dir: join(dir, "files") },
    services: { server: { host: "127.0.0.1", port: 0, tls } },
    dev: { password_hash_cost: "fast" },
  };
}

function assertOneLine(run: ReturnType<typeof runServerToFailure>, pattern: RegExp) {
  assert.equal(run.code, 2, `exit code ${run.code}, stderr: ${run.stderr}`);
  const lines = run.stderr.trim().split("\n");
  assert.equal(lines.length, 1, `more than one line on stderr:\n${run.stderr}`);
  assert.match(lines[0] ?? "", pattern);
  assert.doesNotMatch(run.stdout, /"ready"/);
}

describe("TLS start-up failures", () => {
  after(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it("names the certificate file that cannot be read", () => {
    const dir = scratch();
    const run = runServerToFailure(dir, configWith(dir, { cert_path: join(dir, "none.pem"), key_path: join(dir, "none.key") }));
    assertOneLine(run, /^services\.server\.tls\.cert_path .*none\.pem cannot be read \(ENOENT\)$/);
  });

  it("names the redirect port when it is taken", async () => {
    const dir = scratch();
    const pair = await makeTestCertificates(["chat.test"]);
    writeFileSync(join(dir, "chain.pem"), pair.chainPem);
    writeFileSync(join(dir, "key.pem"), pair.keyPem);
    const holder: Server = createServer();
    await new Promise<void>((resolve) => holder.listen(0, "127.0.0.1", resolve));
    const port = (holder.address() as { port: number }).port;
    try {
      const tls = { cert_path: join(dir, "chain.pem"), key_path: join(dir, "key.pem"), http_redirect_port: port };
      const run = runServerToFailure(dir, configWith(dir, tls));
      assertOneLine(
        run,
        new RegExp(`^services\\.server\\.tls\\.http_redirect_port 127\\.0\\.0\\.1:${port} cannot be opened \\(EADDRINUSE\\)$`),
      );
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  });
});
