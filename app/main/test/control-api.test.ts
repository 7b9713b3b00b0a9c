// The loopback control API of a real host (the real chat server, no Valkey): DNS-rebinding and
// cross-site refusals, the one-time setup link, then the claim, state, settings and restarts.
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, test } from "node:test";
import { createHost, type Host } from "../host.ts";
import { resolveHostPaths } from "../paths.ts";
import { rawRequest } from "./support/raw-http.ts";

const owner = { email: "owner@example.test", username: "owner", password: "owner-password-1", community_name: "Our place" };
const write = { "x-fluxer-host": "1" };

describe("the control API", () => {
  let home: string;
  let host: Host;
  let origin: string;
  let setupPath: string;
  let cookie = "";
  const signedIn = (extra: Record<string, string> = {}) => ({ headers: { cookie, ...extra } });
  const chat = (path: string, init?: RequestInit) => fetch(new URL(path, host.status().chatUrl), init);

  before(async () => {
    home = mkdtempSync(join(tmpdir(), "fluxer-control-"));
    host = createHost({
      paths: resolveHostPaths({ env: { FLUXER_HOME: home }, platform: process.platform, home }),
      serverConfigOverrides: { dev: { password_hash_cost: "fast" } },
      enginePath: "", // no engines: the server alone is enough here
      resourcesDir: join(home, "no-resources"),
    });
    await host.start();
    origin = host.status().controlUrl!.replace(/\/$/, "");
    const setup = new URL(host.setupUrl()!);
    setupPath = `${setup.pathname}${setup.search}`;
  });
  after(async () => {
    await host?.stop();
    rmSync(home, { recursive: true, force: true });
  });

  test("listens on loopback and hands out a one-time setup link on its own origin", () => {
    assert.match(origin, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.match(host.setupUrl()!, new RegExp(`^${origin}/setup\\?token=[A-Za-z0-9_-]{43}$`));
  });

  test("refuses a foreign Host (DNS rebinding), even with the right token, and leaves the token unspent", async () => {
    for (const hostHeader of ["rebind.example:80", `localhost:${new URL(origin).port}`, "127.0.0.1"]) {
      const page = await rawRequest(origin, "GET", setupPath, { headers: { host: hostHeader } });
      assert.equal(page.status, 403, hostHeader);
      assert.equal(page.body.code, "FOREIGN_HOST");
      assert.equal(page.headers["set-cookie"], undefined);
    }
    assert.ok(host.setupUrl(), "the token is still unspent");
  });

  test("refuses a foreign Origin or a cross-site fetch", async () => {
    const fromOutside = await rawRequest(origin, "GET", setupPath, { headers: { origin: "http://rebind.example" } });
    assert.equal(fromOutside.status, 403);
    assert.equal(fromOutside.body.code, "FOREIGN_ORIGIN");
    const crossSite = await rawRequest(origin, "GET", setupPath, { headers: { "sec-fetch-site": "cross-site" } });
    assert.equal(crossSite.status, 403);
    assert.ok(host.setupUrl(), "the token is still unspent");
  });

  test("answers nothing of the API without the session cookie", async () => {
    assert.equal((await rawRequest(origin, "GET", "/api/state")).status, 401);
    const claim = await rawRequest(origin, "POST", "/api/claim", { headers: write, body: owner });
    assert.equal(claim.status, 401);
    assert.equal((await rawRequest(origin, "GET", "/api/state", { headers: { cookie: "fluxer_host_session=made-up" } })).status, 401);
  });

  test("exchanges the setup token once for an HttpOnly SameSite=Strict cookie", async () => {
    const wrong = await rawRequest(origin, "GET", "/setup?token=not-the-token");
    assert.equal(wrong.status, 403);
    const first = await rawRequest(origin, "GET", setupPath);
    assert.equal(first.status, 303);
    assert.equal(first.headers.location, "/");
    const setCookie = String(first.headers["set-cookie"]);
    assert.match(setCookie, /HttpOnly/);
    assert.match(setCookie, /SameSite=Strict/);
    cookie = setCookie.split(";")[0]!;
    const again = await rawRequest(origin, "GET", setupPath);
    assert.equal(again.status, 403, "the link works once");
    assert.equal(again.headers["set-cookie"], undefined);
    assert.equal(host.setupUrl(), undefined);
    const page = await rawRequest(origin, "GET", "/", signedIn());
    assert.equal(page.status, 200);
    assert.match(String(page.headers["content-security-policy"]), /default-src 'none'.*script-src 'self'/);
    assert.doesNotMatch(String(page.headers["content-security-policy"]), /unsafe-inline/);
    assert.equal(page.headers["x-content-type-options"], "nosniff");
    assert.equal(page.headers["cache-control"], "no-cache");
    assert.match(page.body, /Fluxer Appliance host/, "the host page, or the page saying how to build it");
  });

  test("shows each process's state, port, uptime, usage and last log lines, unclaimed", async () => {
    const state = await rawRequest(origin, "GET", "/api/state", signedIn());
    assert.equal(state.status, 200);
    assert.equal(state.body.chatUrl, host.status().chatUrl);
    assert.equal(state.body.claimed, false);
    const server = state.body.processes.find((unit: { name: string }) => unit.name === "server");
    assert.equal(server.state, "running");
    assert.equal(server.port, Number(new URL(host.status().chatUrl).port));
    assert.ok(server.uptimeMs >= 0);
    assert.ok(
      server.lastLines.some((line: string) => line.includes("ready")),
      server.lastLines.join("\n"),
    );
    if (process.platform === "linux") assert.ok(server.stats.rssBytes > 10_000_000 && server.stats.cpuPercent >= 0);
    const valkey = state.body.processes.find((unit: { name: string }) => unit.name === "valkey");
    assert.equal(valkey.state, "missing");
  });

  test("keeps registration shut until the claim", async () => {
    const register = await chat("/api/v1/auth/register", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "early@example.test", password: "early-password" }),
    });
    assert.equal(register.status, 403);
    assert.equal(((await register.json()) as { code: string }).code, "REGISTRATION_CLOSED");
  });

  test("refuses a state change without the custom header or from a foreign origin", async () => {
    const noHeader = await rawRequest(origin, "POST", "/api/claim", { ...signedIn(), body: owner });
    assert.equal(noHeader.status, 403);
    assert.equal(noHeader.body.code, "MISSING_CONTROL_HEADER");
    const foreign = await rawRequest(origin, "POST", "/api/claim", {
      ...signedIn({ ...write, origin: "http://rebind.example" }),
      body: owner,
    });
    assert.equal(foreign.status, 403);
    assert.equal((await rawRequest(origin, "GET", "/api/state", signedIn())).body.claimed, false);
  });

  test("claims the owner through the server's admin API, once; the owner then signs in to the chat server", async () => {
    const bad = await rawRequest(origin, "POST", "/api/claim", { ...signedIn(write), body: { ...owner, password: "short" } });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.code, "INVALID_FORM_BODY");
    const claim = await rawRequest(origin, "POST", "/api/claim", { ...signedIn({ ...write, origin }), body: owner });
    assert.equal(claim.status, 200, JSON.stringify(claim.body));
    assert.equal(claim.body.user.username, "owner");
    const again = await rawRequest(origin, "POST", "/api/claim", { ...signedIn(write), body: { ...owner, email: "other@example.test" } });
    assert.equal(again.status, 409);

    const state = await rawRequest(origin, "GET", "/api/state", signedIn());
    assert.equal(state.body.claimed, true);
    assert.equal(state.body.figures.users, 1);
    assert.equal(state.body.figures.guilds, 1);

    const login = await chat("/api/v1/auth/login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: owner.email, password: owner.password }),
    });
    assert.equal(login.status, 200);
    const { token } = (await login.json()) as { token: string };
    const guilds = (await (await chat("/api/v1/users/@me/guilds", { headers: { authorization: token } })).json()) as { name: string }[];
    assert.deepEqual(
      guilds.map((guild) => guild.name),
      ["Our place"],
    );
  });

  test("settings: no secrets shown; a bad change is refused with the reason and nothing is written or restarted", async () => {
    const settings = await rawRequest(origin, "GET", "/api/settings", signedIn());
    assert.equal(settings.status, 200);
    assert.equal(settings.body.secrets, undefined);
    assert.equal(settings.body.instance.machine, undefined);
    assert.ok(settings.body.sized.server.heap_mb >= 256, "the sized value shows where nothing overrides it");
    const file = join(home, "settings.json");
    const before = readFileSync(file, "utf8");
    const pid = host.status().processes.find((unit) => unit.name === "server")?.pid;

    for (const patch of [{ server: { heap_mb: 10 } }, { secrets: { admin_key: "x".repeat(40) } }, { server: { port: 1 } }]) {
      const refused = await rawRequest(origin, "PATCH", "/api/settings", { ...signedIn(write), body: patch });
      assert.equal(refused.status, 400, JSON.stringify(patch));
      assert.equal(refused.body.code, "INVALID_SETTINGS");
      assert.ok(refused.body.errors.length > 0 && refused.body.errors[0].path, JSON.stringify(refused.body));
    }
    assert.equal(readFileSync(file, "utf8"), before);
    assert.equal(host.status().processes.find((unit) => unit.name === "server")?.pid, pid);

    const accepted = await rawRequest(origin, "PATCH", "/api/settings", { ...signedIn(write), body: { server: { heap_mb: 300 } } });
    assert.equal(accepted.status, 200, JSON.stringify(accepted.body));
    assert.equal(accepted.body.settings.server.heap_mb, 300);
    assert.equal(JSON.parse(readFileSync(file, "utf8")).server.heap_mb, 300);
  });

  test("a setting for the server applies at its next restart, through the control API", async () => {
    const restarted = await rawRequest(origin, "POST", "/api/processes/server/restart", signedIn(write));
    assert.equal(restarted.body.state, "running");
    if (process.platform === "linux") {
      const argv = readFileSync(`/proc/${restarted.body.pid}/cmdline`, "utf8").split("\0");
      assert.ok(argv.includes("--max-old-space-size=300"), argv.join(" "));
    }
    const cleared = await rawRequest(origin, "PATCH", "/api/settings", { ...signedIn(write), body: { server: { heap_mb: null } } });
    assert.equal(cleared.body.settings.server.heap_mb, undefined);
  });

  test("restarts and stops a process; an unknown one is 404", async () => {
    const before = host.status().processes.find((unit) => unit.name === "server")!;
    const restarted = await rawRequest(origin, "POST", "/api/processes/server/restart", signedIn(write));
    assert.equal(restarted.status, 200);
    assert.equal(restarted.body.state, "running");
    assert.notEqual(restarted.body.pid, before.pid);
    assert.equal((await chat("/_health")).status, 200);
    assert.equal((await rawRequest(origin, "POST", "/api/processes/nope/stop", signedIn(write))).status, 404);
    const stopped = await rawRequest(origin, "POST", "/api/processes/server/stop", signedIn(write));
    assert.equal(stopped.body.state, "stopped");
    const state = await rawRequest(origin, "GET", "/api/state", signedIn());
    assert.equal(state.body.claimed, null, "the server cannot tell while it is stopped");
    const claim = await rawRequest(origin, "POST", "/api/claim", { ...signedIn(write), body: owner });
    assert.equal(claim.status, 503);
    assert.equal(claim.body.code, "SERVER_UNAVAILABLE");
  });
});
