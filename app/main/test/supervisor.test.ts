// The supervisor on small real processes: crash loops, stop order, grace period, log files.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { engineUnit } from "../engines/engine-spec.ts";
import { findEngineBinary } from "../engines/find-binary.ts";
import { createSupervisor } from "../supervisor/supervisor.ts";
import type { Launch, UnitSpec, UnitStatus } from "../supervisor/unit.ts";

const dir = mkdtempSync(join(tmpdir(), "fluxer-supervisor-"));
after(() => (process.env.KEEP ? undefined : rmSync(dir, { recursive: true, force: true })));

const noGuard = (command: { command: string; args: string[] }) => command;

/** A node script as a unit: ready once it prints "ready". */
function scriptUnit(name: string, script: string, extra: Partial<UnitSpec> = {}): UnitSpec {
  return {
    name,
    async launch(): Promise<Launch> {
      const child = spawn(process.execPath, ["-e", script], {
        stdio: ["ignore", "pipe", "pipe"],
        env: { UNIT: name, ORDER_FILE: join(dir, "order") },
      });
      const ready = new Promise<{ port?: number }>((resolve, reject) => {
        child.stdout.on("data", (chunk: Buffer) => {
          if (chunk.toString().includes("ready")) resolve({});
        });
        child.once("exit", () => reject(new Error("exited")));
      });
      ready.catch(() => {});
      return { child, ready };
    },
    ...extra,
  };
}

const recordsTerm = `
  const fs = require("node:fs");
  process.on("SIGTERM", () => { fs.appendFileSync(process.env.ORDER_FILE, process.env.UNIT + "\\n"); process.exit(0); });
  console.log("ready " + process.env.UNIT);
  setInterval(() => {}, 1000);`;
const ignoresTerm = `
  const fs = require("node:fs");
  process.on("SIGTERM", () => { fs.appendFileSync(process.env.ORDER_FILE, process.env.UNIT + "\\n"); });
  console.log("ready " + process.env.UNIT);
  setInterval(() => {}, 1000);`;

test("an engine whose binary exits at once is restarted with backoff, then reported failed after the limit", async () => {
  const binary = findEngineBinary(["false"], { bundledDir: join(dir, "none") });
  assert.ok(binary, "the `false` utility is needed for this test");
  const crashing = engineUnit(
    {
      name: "crashy",
      binaries: ["false"],
      dataDir: join(dir, "crashy"),
      port: 1,
      configure: () => ({ args: [], probe: async () => false }),
    },
    { bundledDir: join(dir, "none"), guard: noGuard, restart: { initialDelayMs: 10, maxDelayMs: 40, maxRestarts: 3 } },
  );
  const supervisor = createSupervisor([crashing], { logsDir: join(dir, "logs-crash") });
  const states: string[] = [];
  supervisor.unit("crashy").on("status", (status) => {
    if (states.at(-1) !== status.state) states.push(status.state);
  });
  const [status] = await supervisor.startAll();
  assert.equal(status?.state, "failed");
  assert.equal(status?.restarts, 3);
  assert.match(status?.reason ?? "", /crash loop/);
  assert.deepEqual(states, ["starting", "restarting", "failed"]);
  await supervisor.stopAll();
  const log = readFileSync(join(dir, "logs-crash", "crashy.log"), "utf8");
  assert.equal(log.match(/exited \(code 1/g)?.length, 4);
  assert.match(log, /restart 1 in 10 ms[\s\S]*restart 2 in 20 ms[\s\S]*restart 3 in 40 ms/);
});

test("a missing binary is reported missing, not retried", async () => {
  const missing = engineUnit(
    {
      name: "ghost",
      binaries: ["no-such-engine-here"],
      dataDir: join(dir, "ghost"),
      port: 1,
      configure: () => ({ args: [], probe: async () => false }),
    },
    { bundledDir: join(dir, "none"), guard: noGuard },
  );
  const supervisor = createSupervisor([missing], { logsDir: join(dir, "logs-missing") });
  const [status] = await supervisor.startAll();
  assert.equal(status?.state, "missing");
  assert.equal(status?.restarts, 0);
  assert.match(status?.reason ?? "", /no-such-engine-here/);
  await supervisor.stopAll();
});

test("stop runs in reverse start order; one that ignores SIGTERM is killed after its grace period", async () => {
  const supervisor = createSupervisor(
    [scriptUnit("first", recordsTerm), scriptUnit("second", recordsTerm), scriptUnit("stubborn", ignoresTerm, { stopGraceMs: 300 })],
    { logsDir: join(dir, "logs-order") },
  );
  const started = await supervisor.startAll();
  assert.deepEqual(
    started.map((unit) => unit.state),
    ["running", "running", "running"],
  );
  const stopped = await supervisor.stopAll();
  assert.deepEqual(readFileSync(join(dir, "order"), "utf8").trim().split("\n"), ["stubborn", "second", "first"]);
  const byName = Object.fromEntries(stopped.map((unit) => [unit.name, unit])) as Record<string, UnitStatus>;
  assert.deepEqual(byName.stubborn?.lastExit, { code: null, signal: "SIGKILL" });
  assert.deepEqual(byName.second?.lastExit, { code: 0, signal: null });
  assert.deepEqual(byName.first?.lastExit, { code: 0, signal: null });
  for (const unit of stopped) assert.equal(unit.state, "stopped");
  // Each process's output lands in its own file, with the supervisor's notes.
  for (const name of ["first", "second", "stubborn"]) {
    const log = readFileSync(join(dir, "logs-order", `${name}.log`), "utf8");
    assert.match(log, new RegExp(`ready ${name}\\n`));
    assert.match(log, /\[host [^\]]+\] started pid \d+/);
  }
  assert.match(readFileSync(join(dir, "logs-order", "stubborn.log"), "utf8"), /SIGKILL/);
});

test("a chatty process's log file rotates by size", async () => {
  // Ready only after it has written everything, so the stop cannot cut the output short.
  const chatty = `process.on("SIGTERM", () => process.exit(0));
    for (let i = 0; i < 200; i++) console.log("line " + i + " " + "x".repeat(60));
    console.log("ready"); setInterval(() => {}, 1000);`;
  const logsDir = join(dir, "logs-rotate");
  const supervisor = createSupervisor([scriptUnit("chatty", chatty)], { logsDir, rotation: { size: "2K", maxFiles: 20 } });
  await supervisor.startAll();
  await supervisor.stopAll();
  const files = readdirSync(logsDir).filter((name) => name.endsWith("chatty.log"));
  assert.ok(files.length > 1, `expected rotated files, got ${files.join(", ")}`);
  assert.ok(files.includes("chatty.log"));
  const text = files.map((name) => readFileSync(join(logsDir, name), "utf8")).join("");
  for (const i of [0, 100, 199]) assert.ok(text.includes(`line ${i} `), `line ${i} kept`);
});
