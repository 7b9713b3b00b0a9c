import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { type BuildOptions, buildApp } from "../../src/app.ts";
import { createDeps } from "../../src/deps.ts";
import { testConfig } from "../support/harness.ts";

/** Runs `body` with everything written to stderr captured (and not shown). */
async function captureStderr(body: () => Promise<void>): Promise<string> {
  const original = process.stderr.write;
  let captured = "";
  process.stderr.write = ((chunk: string | Uint8Array) => {
    captured += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString();
    return true;
  }) as typeof process.stderr.write;
  try {
    await body();
  } finally {
    process.stderr.write = original;
  }
  return captured;
}

/** An app with one extra route that always throws, built the way main builds it. */
async function crashingApp(options: BuildOptions) {
  const dir = mkdtempSync(join(tmpdir(), "fluxer-crash-"));
  const deps = await createDeps(testConfig(dir));
  const app = await buildApp(deps, options);
  app.get("/_test/crash", async () => {
    throw new Error("the test route broke on purpose");
  });
  await app.ready();
  return {
    app,
    async close() {
      await app.close();
      await deps.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

describe("500 logging", () => {
  const setups: [string, BuildOptions][] = [
    ["no logger at all", {}],
    ["a silent logger", { logLevel: "silent" }],
    ["a logger with request logs off", { logLevel: "warn", logRequests: false }],
  ];
  for (const [name, options] of setups) {
    it(`records every 500 with its stack, with ${name}`, async () => {
      const server = await crashingApp(options);
      let status = 0;
      let body = "";
      const stderr = await captureStderr(async () => {
        const response = await server.app.inject({ method: "GET", url: "/_test/crash" });
        status = response.statusCode;
        body = response.body;
      });
      await server.close();
      assert.equal(status, 500);
      assert.equal(JSON.parse(body).code, "INTERNAL_SERVER_ERROR");
      assert.doesNotMatch(body, /on purpose/, "the client does not see the cause");
      assert.match(stderr, /the test route broke on purpose/);
      assert.match(stderr, /crash-logging\.test\.ts/, "the stack is logged, not only the message");
    });
  }
});
