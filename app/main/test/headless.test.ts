// The headless host as a user runs it (`npm run host`): loopback only, registration shut until the
// owner is claimed through the printed setup link, no orphans after SIGKILL, and a restart on the
// same home resumes with the same data and settings.
import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, test } from "node:test";
import { VALKEY_BINARIES } from "../engines/valkey.engine.ts";
import { engineOrSkip } from "./support/engines.ts";
import { type RunningHost, startHeadless } from "./support/headless-process.ts";
import { listeningSockets, processGone, waitUntilGone } from "./support/processes.ts";
import { rawRequest } from "./support/raw-http.ts";

const home = mkdtempSync(join(tmpdir(), "fluxer-headless-"));
const started: ChildProcess[] = [];
after(() => {
  for (const child of started) child.kill("SIGKILL");
  rmSync(home, { recursive: true, force: true });
});

const pidOf = (host: RunningHost, name: string) => host.status.processes.find((unit) => unit.name === name)?.pid;
const credentials = { email: "owner@example.test", password: "correct horse battery", username: "owner" };

/** What the host page will do: open the setup link, then claim with the cookie it set. */
async function claimThroughControl(setupUrl: string) {
  const link = new URL(setupUrl);
  const signIn = await rawRequest(link.origin, "GET", `${link.pathname}${link.search}`);
  assert.equal(signIn.status, 303);
  const cookie = String(signIn.headers["set-cookie"]).split(";")[0]!;
  return rawRequest(link.origin, "POST", "/api/claim", {
    headers: { cookie, origin: link.origin, "x-fluxer-host": "1" },
    body: { ...credentials, community_name: "Headless" },
  });
}

test("the headless host: loopback only, no orphan after SIGKILL, resumes on the same home", {
  skip: process.platform !== "linux" && "needs /proc",
}, async (t) => {
  if (!engineOrSkip(VALKEY_BINARIES, t)) return;
  const first = await startHeadless(home, started);
  assert.match(first.output(), /Fluxer Appliance is running at http:\/\/127\.0\.0\.1:\d+\//);
  assert.ok(first.output().includes(`(it works once): ${first.status.setupUrl}\n`), first.output());
  assert.match(first.status.setupUrl, /^http:\/\/127\.0\.0\.1:\d+\/setup\?token=/);
  const serverPid = pidOf(first, "server")!;
  const valkeyPid = pidOf(first, "valkey")!;
  assert.ok(serverPid && valkeyPid, first.output());

  // Every listening socket of every process of the host is on loopback (and there are some to check).
  const sockets = listeningSockets([first.status.pid, serverPid, valkeyPid]);
  assert.deepEqual(
    sockets.filter((socket) => socket.address !== "127.0.0.1"),
    [],
  );
  const ports = new Set(sockets.map((socket) => socket.port));
  for (const unit of first.status.processes) assert.ok(ports.has(unit.port!), `${unit.name} listens on ${unit.port}`);
  assert.ok(ports.has(Number(new URL(first.status.controlUrl!).port)), "the control API listens (on loopback)");

  const register = () =>
    fetch(new URL("/api/v1/auth/register", first.status.chatUrl), {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "early@example.test", password: "early-password", date_of_birth: "1990-01-01", consent: true }),
    });
  const refused = await register();
  assert.equal(refused.status, 403, "no registration before the claim");
  assert.equal(((await refused.json()) as { code: string }).code, "REGISTRATION_CLOSED");
  const claim = await claimThroughControl(first.status.setupUrl);
  assert.equal(claim.status, 200, JSON.stringify(claim.body));
  assert.equal((await register()).status, 200, "registration opens after the claim");
  const settingsBefore = readFileSync(join(home, "settings.json"), "utf8");

  // SIGKILL: the host gets no chance to stop anything; its children must notice by themselves.
  first.child.kill("SIGKILL");
  assert.deepEqual(await waitUntilGone([serverPid, valkeyPid]), [], "children outlived the host");

  const second = await startHeadless(home, started);
  assert.equal(second.status.chatUrl, first.status.chatUrl);
  assert.notEqual(second.status.setupUrl, first.status.setupUrl, "each start prints a new one-time link");
  assert.equal(readFileSync(join(home, "settings.json"), "utf8"), settingsBefore);
  const login = await fetch(new URL("/api/v1/auth/login", second.status.chatUrl), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ email: credentials.email, password: credentials.password }),
  });
  assert.equal(login.status, 200, await login.clone().text());

  // SIGTERM: an orderly stop of everything, and the host exits cleanly.
  const exited = new Promise<number | null>((resolve) => second.child.once("exit", (code) => resolve(code)));
  second.child.kill("SIGTERM");
  assert.equal(await exited, 0);
  const children = [pidOf(second, "server")!, pidOf(second, "valkey")!];
  assert.ok(children.every(processGone), "children stopped with the host");
});
