import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { instanceIdentity } from "../identity.ts";
import { loadOrCreateSettings, readSettings, SettingsError, writeSettings } from "../settings/settings-file.ts";
import { sizeFor } from "../sizing.ts";

const dir = mkdtempSync(join(tmpdir(), "fluxer-settings-"));
after(() => rmSync(dir, { recursive: true, force: true }));

test("first start creates owner-only settings with generated secrets; the next start reads the same ones", async () => {
  const file = join(dir, "settings.json");
  const first = await loadOrCreateSettings(file, () => instanceIdentity(() => "machine-a"));
  assert.equal(first.created, true);
  assert.equal(statSync(file).mode & 0o777, 0o600);
  assert.notEqual(first.settings.secrets.valkey_password, first.settings.secrets.admin_key);
  const second = await loadOrCreateSettings(file, () => assert.fail("must not regenerate"));
  assert.equal(second.created, false);
  assert.deepEqual(second.settings, first.settings);
});

test("saving validates and replaces the whole file", async () => {
  const file = join(dir, "saved.json");
  const { settings } = await loadOrCreateSettings(file, () => instanceIdentity(() => "machine-a"));
  await writeSettings(file, { ...settings, server: { port: 4321 } });
  assert.equal(readSettings(file)?.server.port, 4321);
  await assert.rejects(writeSettings(file, { ...settings, server: { port: 70000 } }));
  assert.equal(JSON.parse(readFileSync(file, "utf8")).server.port, 4321);
});

test("a broken settings file is refused with its reason, never replaced", async () => {
  const file = join(dir, "broken.json");
  writeFileSync(file, JSON.stringify({ version: 1, secrets: {} }));
  await assert.rejects(
    loadOrCreateSettings(file, () => "x"),
    (error: Error) => error instanceof SettingsError && /instance/.test(error.message),
  );
  assert.equal(JSON.parse(readFileSync(file, "utf8")).version, 1);
});

test("the instance identity is a salted hash, never the raw machine id", () => {
  const id = instanceIdentity(() => "0123456789abcdef");
  assert.match(id, /^[0-9a-f]{64}$/);
  assert.equal(
    id,
    instanceIdentity(() => "0123456789abcdef"),
  );
  assert.notEqual(
    id,
    instanceIdentity(() => "another machine"),
  );
  assert.doesNotMatch(id, /0123456789abcdef/);
  assert.match(instanceIdentity(), /^[0-9a-f]{64}$/); // the real OS id
});

test("sizing follows the machine within bounds", () => {
  const small = sizeFor({ totalMemoryBytes: 1024 ** 3, cores: 1 });
  const big = sizeFor({ totalMemoryBytes: 64 * 1024 ** 3, cores: 16 });
  assert.deepEqual(small, { serverHeapMb: 256, uvThreadpoolSize: 4, valkeyMaxMemoryMb: 32 });
  assert.deepEqual(big, { serverHeapMb: 4096, uvThreadpoolSize: 32, valkeyMaxMemoryMb: 1024 });
});
