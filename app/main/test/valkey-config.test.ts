import assert from "node:assert/strict";
import { test } from "node:test";
import { valkeyConfig, valkeyUrl } from "../engines/valkey.engine.ts";

const base = { dataDir: "/data/valkey", runDir: "/run", port: 6400, password: "p4ss-word_x", maxMemoryMb: 64 };

test("a caching Valkey keeps no snapshots; a persistent one snapshots and appends every second", () => {
  const cache = valkeyConfig({ ...base, persistence: "cache" });
  assert.match(cache, /^save ""$/m);
  assert.match(cache, /^appendonly no$/m);
  const persistent = valkeyConfig({ ...base, persistence: "persistent" });
  assert.match(persistent, /^save 900 1$/m);
  assert.match(persistent, /^save 300 10$/m);
  assert.match(persistent, /^appendfsync everysec$/m);
  for (const config of [cache, persistent]) {
    assert.match(config, /^bind 127\.0\.0\.1$/m);
    assert.match(config, /^requirepass p4ss-word_x$/m);
    assert.match(config, /^maxmemory 64mb$/m);
    assert.match(config, /^maxmemory-policy allkeys-lru$/m);
  }
});

test("the server's Valkey URL carries the password for a loopback address", () => {
  const url = new URL(valkeyUrl(6400, "p4ss-word_x"));
  assert.equal(url.protocol, "redis:");
  assert.equal(url.hostname, "127.0.0.1");
  assert.equal(url.port, "6400");
  assert.equal(decodeURIComponent(url.password), "p4ss-word_x");
});
