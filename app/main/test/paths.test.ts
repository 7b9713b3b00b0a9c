import assert from "node:assert/strict";
import { test } from "node:test";
import { resolveHostPaths } from "../paths.ts";

test("FLUXER_HOME puts everything under one folder, on every OS", () => {
  for (const platform of ["linux", "darwin", "win32"] as const) {
    const paths = resolveHostPaths({ env: { FLUXER_HOME: "/srv/fluxer" }, platform, home: "/home/ann" });
    assert.equal(paths.settingsFile, "/srv/fluxer/settings.json");
    assert.equal(paths.data, "/srv/fluxer/data");
    assert.equal(paths.logs, "/srv/fluxer/logs");
    assert.equal(paths.backups, "/srv/fluxer/backups");
  }
});

test("Linux follows XDG, with its defaults when the variables are unset", () => {
  const defaults = resolveHostPaths({ env: {}, platform: "linux", home: "/home/ann" });
  assert.equal(defaults.settingsFile, "/home/ann/.config/fluxer-appliance/settings.json");
  assert.equal(defaults.data, "/home/ann/.local/share/fluxer-appliance");
  assert.equal(defaults.logs, "/home/ann/.local/state/fluxer-appliance/logs");
  const xdg = resolveHostPaths({
    env: { XDG_DATA_HOME: "/d", XDG_CONFIG_HOME: "/c", XDG_STATE_HOME: "/s" },
    platform: "linux",
    home: "/home/ann",
  });
  assert.equal(xdg.settingsFile, "/c/fluxer-appliance/settings.json");
  assert.equal(xdg.data, "/d/fluxer-appliance");
  assert.equal(xdg.logs, "/s/fluxer-appliance/logs");
});

test("macOS uses Application Support and Library/Logs", () => {
  const paths = resolveHostPaths({ env: {}, platform: "darwin", home: "/Users/ann" });
  assert.equal(paths.settingsFile, "/Users/ann/Library/Application Support/Fluxer Appliance/settings.json");
  assert.equal(paths.logs, "/Users/ann/Library/Logs/Fluxer Appliance");
});

test("Windows uses %APPDATA%", () => {
  const paths = resolveHostPaths({ env: { APPDATA: "/appdata" }, platform: "win32", home: "/Users/ann" });
  assert.equal(paths.data, "/appdata/Fluxer Appliance/data");
});
