import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, it } from "node:test";
import { startServerProcess } from "../support/server-process.ts";

/** Crash safety: a message the server answered 200 for survives a SIGKILL in the middle of a burst. */
describe("durability", () => {
  const dir = mkdtempSync(join(tmpdir(), "fluxer-sigkill-"));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const config = {
    database: { sqlite_path: join(dir, "fluxer.db") },
    storage: { data_dir: join(dir, "files") },
    services: { server: { port: 0 } },
    env: "test" as const,
    dev: { disable_rate_limits: true, password_hash_cost: "fast" as const },
  };

  it("loses no answered message when killed with SIGKILL mid-burst", async () => {
    let server = await startServerProcess(dir, config);
    const call = async (method: string, path: string, token?: string, body?: unknown) => {
      const response = await fetch(`${server.origin}/api/v1${path}`, {
        method,
        headers: { ...(token ? { authorization: token } : {}), ...(body ? { "content-type": "application/json" } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      return { status: response.status, body: await response.json().catch(() => null) };
    };
    const registered = await call("POST", "/auth/register", undefined, { email: "crash@example.test", password: "crash-test-pw" });
    const token = registered.body.token as string;
    const guild = await call("POST", "/guilds", token, { name: "Crash test" });
    assert.equal(guild.status, 200);
    const channels = await call("GET", `/guilds/${guild.body.id}/channels`, token);
    const channel = channels.body.find((c: { type: number }) => c.type === 0);

    // Eight senders in parallel; kill the server once 150 sends have been answered.
    const answered: string[] = [];
    let killed = false;
    const sender = async (worker: number) => {
      for (let i = 0; !killed; i++) {
        try {
          const sent = await call("POST", `/channels/${channel.id}/messages`, token, { content: `w${worker} m${i}` });
          if (sent.status === 200) answered.push(sent.body.id);
        } catch {
          return; // the connection died with the server
        }
        if (answered.length >= 150 && !killed) {
          killed = true;
          server.child.kill("SIGKILL");
        }
      }
    };
    await Promise.all(Array.from({ length: 8 }, (_, worker) => sender(worker)));
    await new Promise((resolve) =>
      server.child.exitCode !== null || server.child.signalCode ? resolve(null) : server.child.once("exit", resolve),
    );
    assert.equal(server.child.signalCode, "SIGKILL");

    server = await startServerProcess(dir, config);
    try {
      const seen = new Set<string>();
      let before: string | undefined;
      for (;;) {
        const page = await call("GET", `/channels/${channel.id}/messages?limit=100${before ? `&before=${before}` : ""}`, token);
        assert.equal(page.status, 200);
        for (const message of page.body) seen.add(message.id);
        if (page.body.length < 100) break;
        before = page.body.at(-1).id;
      }
      const lost = answered.filter((id) => !seen.has(id));
      assert.ok(answered.length >= 150);
      assert.deepEqual(lost, [], `${lost.length} of ${answered.length} answered messages were lost`);
    } finally {
      await server.stop();
    }
  });
});
