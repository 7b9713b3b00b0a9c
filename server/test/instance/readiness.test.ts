import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { buildApp } from "../../src/app.ts";
import { createDeps } from "../../src/deps.ts";
import { engineOrSkip, startNats, startRedis } from "../support/engines.ts";
import { startTestServer, type TestServer, testConfig } from "../support/harness.ts";

/** Asks /_ready until it answers `status` (an engine's loss is noticed by its client, not at once). */
async function readyUntil(server: TestServer, status: number, timeoutMs = 15_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await server.request("GET", "/_ready");
    if (response.status === status || Date.now() > deadline) return response;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("health endpoints", () => {
  it("is ready once the database is open and migrated, and says what it checked", async () => {
    const server = await startTestServer();
    try {
      const ready = await server.request("GET", "/_ready");
      assert.equal(ready.status, 200);
      assert.deepEqual(ready.body, { status: "ok", checks: { database: "ok" } });
      // A database that is gone turns the instance not-ready; liveness is unaffected.
      server.deps.stores.close();
      const gone = await server.request("GET", "/_ready");
      assert.equal(gone.status, 503);
      assert.equal(gone.body.status, "not_ready");
      assert.match(gone.body.checks.database, /^not answering: /);
      assert.equal((await server.request("GET", "/_live")).status, 200);
    } finally {
      await server.close();
    }
  });

  it("checks every configured engine, and is not ready while one stops answering", async (t) => {
    if (!engineOrSkip("redis", t) || !engineOrSkip("nats", t)) return;
    const redis = await startRedis();
    const nats = await startNats();
    const server = await startTestServer({ internal: { kv: redis.url }, services: { nats: { core_url: nats.url } } });
    try {
      const ready = await server.request("GET", "/_ready");
      assert.equal(ready.status, 200, JSON.stringify(ready.body));
      assert.deepEqual(ready.body.checks, { database: "ok", kv: "ok", nats: "ok" });

      await redis.stop();
      const noKv = await readyUntil(server, 503);
      assert.equal(noKv.status, 503, JSON.stringify(noKv.body));
      assert.equal(noKv.body.status, "not_ready");
      assert.match(noKv.body.checks.kv, /^not answering: /);
      assert.equal(noKv.body.checks.nats, "ok");
      assert.deepEqual((await server.request("GET", "/_live")).body, { status: "ok" });

      await nats.stop();
      const deadline = Date.now() + 15_000;
      let noBus = await server.request("GET", "/_ready");
      while (noBus.body.checks.nats === "ok" && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        noBus = await server.request("GET", "/_ready");
      }
      assert.match(noBus.body.checks.nats, /^not answering: /);
      assert.equal((await server.request("GET", "/_live")).status, 200);
    } finally {
      await server.close();
      await redis.stop();
      await nats.stop();
    }
  });
});

describe("public URLs when the OS picks the port", () => {
  it("use the bound port in /.well-known/fluxer and the gateway URL", async () => {
    const dir = mkdtempSync(join(tmpdir(), "fluxer-port0-"));
    const deps = await createDeps(testConfig(dir, { services: { server: { host: "127.0.0.1", port: 0 } } }));
    const app = await buildApp(deps);
    try {
      await app.listen({ host: "127.0.0.1", port: 0 });
      const { port } = app.server.address() as { port: number };
      assert.notEqual(port, 0);
      const document = (await app.inject({ method: "GET", url: "/.well-known/fluxer" })).json();
      assert.equal(document.endpoints.api, `http://127.0.0.1:${port}/api`);
      assert.equal(document.endpoints.gateway, `ws://127.0.0.1:${port}/gateway`);
    } finally {
      await app.close();
      await deps.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
