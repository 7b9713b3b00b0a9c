import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, it } from "node:test";
import { renderConfigDocs } from "../../scripts/config-docs.ts";
import { applyEnvOverrides, ConfigError, loadConfig, parseConfig } from "../../src/config.ts";

const repo = new URL("../../../", import.meta.url);

describe("configuration", () => {
  it("starts on loopback port 8080 with data in ./data when nothing is configured", () => {
    const config = loadConfig(undefined, {});
    assert.equal(config.services.server.host, "127.0.0.1");
    assert.equal(config.services.server.port, 8080);
    assert.equal(config.database.sqlite_path, "./data/fluxer.db");
    assert.equal(config.database.sqlite_pragmas.journal_mode, "WAL");
    assert.equal(config.database.sqlite_pragmas.synchronous, "NORMAL");
    assert.equal(config.database.sqlite_pragmas.cache_size, -128000);
    assert.equal(config.dev.disable_rate_limits, false);
  });

  it("applies FLUXER_CONFIG__A__B overrides over the file, parsing JSON values", () => {
    const dir = mkdtempSync(join(tmpdir(), "fluxer-config-"));
    const file = join(dir, "config.json");
    writeFileSync(file, JSON.stringify({ services: { server: { port: 9000 } }, domain: { base_domain: "chat.example.test" } }));
    const config = loadConfig(file, { FLUXER_CONFIG__SERVICES__SERVER__PORT: "9100", FLUXER_CONFIG__DEV__DISABLE_RATE_LIMITS: "true" });
    assert.equal(config.services.server.port, 9100);
    assert.equal(config.dev.disable_rate_limits, true);
    assert.equal(config.domain.base_domain, "chat.example.test");
    assert.deepEqual(applyEnvOverrides({}, { FLUXER_CONFIG__INSTANCE__DEPLOYMENT_MODE: "monolith" }), {
      instance: { deployment_mode: "monolith" },
    });
  });

  it("names the key, the value and the expectation in one line for a bad value", () => {
    assert.throws(
      () => parseConfig({ services: { server: { port: "abc" } } }),
      (error: unknown) =>
        error instanceof ConfigError &&
        /^config: services\.server\.port = "abc": .*number/.test(error.message) &&
        !error.message.includes("\n"),
    );
    assert.throws(() => parseConfig({ database: { backend: "mysql" } }), /database\.backend = "mysql"/);
  });

  it("refuses to start on a bad config file with that one line and exit code 2", () => {
    const dir = mkdtempSync(join(tmpdir(), "fluxer-config-"));
    const file = join(dir, "config.json");
    writeFileSync(file, JSON.stringify({ services: { server: { port: 70000 } } }));
    const run = spawnSync(process.execPath, ["--import", "tsx", "server/src/main.ts", "--config", file], {
      cwd: repo,
      encoding: "utf8",
      timeout: 30_000,
    });
    assert.equal(run.status, 2);
    assert.match(run.stderr.trim(), /^config: services\.server\.port = 70000: /);
  });

  it("keeps docs/configuration.md in step with the schema (run `npm run docs:config`)", () => {
    const onDisk = readFileSync(new URL("docs/configuration.md", repo), "utf8");
    assert.equal(onDisk, renderConfigDocs());
  });
});
