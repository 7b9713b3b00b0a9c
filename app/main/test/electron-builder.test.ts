// electron-builder.yml is checked against electron-builder's own configuration schema, since no
// installer can be built on these machines (no Electron binary): a typo or a removed option fails here.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, it } from "node:test";
import { Ajv } from "ajv";
import { parse } from "yaml";

const root = new URL("../../../", import.meta.url);
const require = createRequire(import.meta.url);

function loadConfig(): Record<string, any> {
  return parse(readFileSync(new URL("electron-builder.yml", root), "utf8"));
}

function validator() {
  const schema = JSON.parse(readFileSync(require.resolve("app-builder-lib/scheme.json"), "utf8"));
  // The schema is draft-07 with a few non-standard keywords; strict mode would reject those, not our file.
  return new Ajv({ strict: false, allErrors: true }).compile(schema);
}

describe("electron-builder.yml", () => {
  it("is valid against electron-builder's configuration schema", () => {
    const validate = validator();
    const valid = validate(loadConfig());
    assert.ok(valid, JSON.stringify(validate.errors, null, 2));
  });

  it("would be refused with an option electron-builder does not know", () => {
    const validate = validator();
    assert.equal(validate({ ...loadConfig(), nsisInstaller: { oneClick: true } }), false);
  });

  it("builds an installer for each desktop platform and ships the server, the client and the engines", () => {
    const config = loadConfig();
    const targets = (platform: string) =>
      config[platform].target.map((t: string | { target: string }) => (typeof t === "string" ? t : t.target));
    assert.deepEqual(targets("win"), ["nsis"]);
    assert.deepEqual(targets("mac"), ["dmg"]);
    assert.deepEqual(targets("linux"), ["AppImage", "deb"]);
    const resources = config.extraResources.map((r: { from: string; to: string }) => `${r.from} -> ${r.to}`);
    // electron.ts forks resources/server/main.js and finds engines under resources/bin/<platform>-<arch>.
    assert.ok(resources.includes("dist/server -> server"), resources.join(", "));
    // biome-ignore lint/suspicious/noTemplateCurlyInString: electron-builder's own file macros, not a template
    const engines = "resources/bin/${platform}-${arch} -> bin/${platform}-${arch}";
    assert.ok(resources.includes(engines), resources.join(", "));
    assert.ok(config.files.includes("app/renderer/dist/**"));
    assert.equal(config.npmRebuild, true);
  });
});
