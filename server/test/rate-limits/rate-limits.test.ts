/**
 * REST rate limits as a client sees them, on the in-process store and on a real redis: the same
 * tests, small budgets. The global window is one second, so one test waits it out.
 */
import assert from "node:assert/strict";
import { after, before, describe, it, type TestContext } from "node:test";
import type { ConfigInput } from "../../src/config.ts";
import { engineOrSkip, findBinary, type RunningEngine, startRedis } from "../support/engines.ts";
import { type ApiResponse, startTestServer, type TestServer, type TestUser } from "../support/harness.ts";
import { validateResponse } from "../support/openapi.ts";

const GLOBAL = 5;
const AUTH = 3;
const limits: ConfigInput = { dev: { disable_rate_limits: false }, rate_limits: { global_per_second: GLOBAL, auth_per_minute: AUTH } };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function assertLimitHeaders(response: ApiResponse, limit: number, what: string) {
  const h = response.headers;
  assert.equal(h["x-ratelimit-limit"], String(limit), `${what}: X-RateLimit-Limit`);
  assert.match(String(h["x-ratelimit-remaining"]), /^\d+$/, `${what}: X-RateLimit-Remaining`);
  assert.match(String(h["x-ratelimit-reset"]), /^\d+$/, `${what}: X-RateLimit-Reset is whole epoch seconds (the spec's integer)`);
  assert.ok(Number(h["x-ratelimit-reset"]) >= Math.floor(Date.now() / 1000), `${what}: X-RateLimit-Reset is not in the past`);
  const resetAfter = Number(h["x-ratelimit-reset-after"]);
  assert.ok(resetAfter > 0 && resetAfter <= 60, `${what}: X-RateLimit-Reset-After ${h["x-ratelimit-reset-after"]}`);
}

function assertRateLimited(response: ApiResponse, global: boolean) {
  assert.equal(response.status, 429);
  assert.equal(response.body.code, "RATE_LIMITED");
  assert.equal(typeof response.body.message, "string");
  assert.equal(typeof response.body.retry_after, "number");
  assert.ok(response.body.retry_after > 0);
  assert.equal(response.body.global, global);
  const retryAfter = String(response.headers["retry-after"]);
  assert.match(retryAfter, /^\d+$/, "Retry-After is whole seconds");
  assert.ok(Number(retryAfter) >= response.body.retry_after, "Retry-After rounds up");
  assert.equal(response.headers["x-ratelimit-remaining"], "0");
  assert.equal(response.headers["x-ratelimit-global"], global ? "true" : undefined);
}

/** A request from another address (the harness always uses 127.0.0.1), checked against the spec the same way. */
async function requestFrom(
  server: TestServer,
  ip: string,
  method: "GET" | "POST",
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<ApiResponse> {
  const response = await server.app.inject({
    method,
    url,
    remoteAddress: ip,
    headers: { ...headers, ...(body === undefined ? {} : { "content-type": "application/json" }) },
    ...(body === undefined ? {} : { payload: JSON.stringify(body) }),
  });
  const parsed = response.body ? JSON.parse(response.body) : undefined;
  const result = validateResponse({ method, path: url, status: response.statusCode, body: parsed });
  assert.ok(
    result.ok,
    `response does not match the OpenAPI file: ${method} ${url} → ${response.statusCode}: ${result.ok ? "" : result.error}`,
  );
  return { status: response.statusCode, body: parsed, headers: response.headers };
}

let registrations = 0;

/** Registers from an address of its own, so registrations never eat into the budgets under test. */
async function registerUser(server: TestServer): Promise<TestUser> {
  const n = ++registrations;
  const [username, email, password] = [`limited${n}`, `limited${n}@example.test`, `pw-limited${n}-secret`];
  const response = await requestFrom(server, `10.1.${Math.floor(n / 250)}.${(n % 250) + 1}`, "POST", "/api/v1/auth/register", {
    email,
    username,
    password,
  });
  assert.equal(response.status, 200, JSON.stringify(response.body));
  return { id: response.body.user_id, token: response.body.token, email, password, username };
}

function rateLimitSuite(store: "memory" | "redis") {
  describe(`REST rate limits (${store} store)`, () => {
    let redis: RunningEngine | undefined;
    let server: TestServer | undefined;
    before(async () => {
      if (store === "redis") {
        if (!findBinary(["valkey-server", "redis-server"])) return; // each test skips (or fails under CI)
        redis = await startRedis();
      }
      server = await startTestServer({ ...limits, ...(redis ? { internal: { kv: redis.url } } : {}) });
    });
    after(async () => {
      await server?.close();
      await redis?.stop();
    });
    const ready = (t: TestContext) => store === "memory" || engineOrSkip("redis", t);

    it("puts the rate-limit headers on every /api response, errors included", async (t) => {
      if (!ready(t)) return;
      const s = server!;
      const user = await registerUser(s);
      const ok = await s.request("GET", "/users/@me", { token: user.token });
      assert.equal(ok.status, 200);
      assertLimitHeaders(ok, GLOBAL, "200");
      assert.equal(ok.headers["x-ratelimit-remaining"], String(GLOBAL - 1));
      assert.ok(Number(ok.headers["x-ratelimit-reset-after"]) <= 1);
      const legacy = await s.request("GET", "/api/users/@me", { token: user.token });
      assert.equal(legacy.headers["x-ratelimit-remaining"], String(GLOBAL - 2), "/api and /api/v1 share the budget");
      const unauthorized = await s.request("GET", "/users/@me", { token: "flx_not-a-token" });
      assert.equal(unauthorized.status, 401);
      assertLimitHeaders(unauthorized, GLOBAL, "401");
      const invalid = await s.request("PATCH", "/users/@me", { token: user.token, body: { username: "no spaces allowed!" } });
      assert.equal(invalid.status, 400);
      assertLimitHeaders(invalid, GLOBAL, "400");
      const missing = await s.request("GET", "/api/v1/no/such/route");
      assert.equal(missing.status, 404);
      assertLimitHeaders(missing, GLOBAL, "404");
      const login = await s.request("POST", "/auth/login", { body: { email: user.email, password: user.password } });
      assert.equal(login.status, 200);
      assertLimitHeaders(login, AUTH, "login");
    });

    it("answers 429 past the global limit, per caller, and serves the caller again after the window", async (t) => {
      if (!ready(t)) return;
      const s = server!;
      const [busy, other] = [await registerUser(s), await registerUser(s)];
      const statuses: number[] = [];
      let limited: ApiResponse | undefined;
      for (let i = 0; i <= GLOBAL; i++) {
        const response = await s.request("GET", "/users/@me", { token: busy.token });
        statuses.push(response.status);
        if (response.status === 429) limited = response;
      }
      assert.deepEqual(statuses, [...Array(GLOBAL).fill(200), 429]);
      assertRateLimited(limited!, true);
      assertLimitHeaders(limited!, GLOBAL, "429");
      assert.ok(limited!.body.retry_after <= 1, "the global window is one second");

      const second = await s.request("GET", "/users/@me", { token: other.token });
      assert.equal(second.status, 200, "another token has its own budget");
      assert.equal(second.headers["x-ratelimit-remaining"], String(GLOBAL - 1));

      await sleep(limited!.body.retry_after * 1000 + 50);
      const again = await s.request("GET", "/users/@me", { token: busy.token });
      assert.equal(again.status, 200);
      assert.equal(again.headers["x-ratelimit-remaining"], String(GLOBAL - 1), "a new window");
    });

    it("limits login attempts per address, apart from the global budget", async (t) => {
      if (!ready(t)) return;
      const s = server!;
      const user = await registerUser(s);
      const attempts: number[] = [];
      let token = "";
      for (let i = 0; i < AUTH; i++) {
        // Wrong passwords count too: the limit is on attempts.
        const password = i === 0 ? user.password : "wrong-password";
        const response = await requestFrom(s, "10.0.0.7", "POST", "/api/v1/auth/login", { email: user.email, password });
        attempts.push(response.status);
        if (response.status === 200) token = response.body.token;
      }
      assert.deepEqual(attempts, [200, ...Array(AUTH - 1).fill(400)]);
      const blocked = await requestFrom(s, "10.0.0.7", "POST", "/api/v1/auth/login", { email: user.email, password: user.password });
      assertRateLimited(blocked, false);
      assertLimitHeaders(blocked, AUTH, "login 429");
      assert.ok(blocked.body.retry_after > 1 && blocked.body.retry_after <= 60, "the login window is a minute");
      const register = await requestFrom(s, "10.0.0.7", "POST", "/api/v1/auth/register", {
        email: "late@example.test",
        username: "late",
        password: "late-but-long-enough",
      });
      assert.equal(register.status, 429, "registration shares the address's budget");

      const elsewhere = await requestFrom(s, "10.0.0.8", "POST", "/api/v1/auth/login", { email: user.email, password: user.password });
      assert.equal(elsewhere.status, 200, "another address has its own login budget");
      const me = await s.request("GET", "/users/@me", { token });
      assert.equal(me.status, 200, "the session from the blocked address still works");
    });

    it("limits callers without a token per address", async (t) => {
      if (!ready(t)) return;
      const s = server!;
      const statuses: number[] = [];
      for (let i = 0; i <= GLOBAL; i++) statuses.push((await requestFrom(s, "10.0.0.9", "GET", "/api/v1/users/@me")).status);
      assert.deepEqual(statuses, [...Array(GLOBAL).fill(401), 429]);
      assert.equal((await requestFrom(s, "10.0.0.10", "GET", "/api/v1/users/@me")).status, 401);
    });

    it("limits made-up tokens per address, a new one per request included, and keys a real token on its user", async (t) => {
      if (!ready(t)) return;
      const s = server!;
      const statuses: number[] = [];
      for (let i = 0; i <= GLOBAL; i++) {
        const junk = { authorization: `flx_made-up-${i}-${Math.random().toString(36).slice(2)}` };
        statuses.push((await requestFrom(s, "10.0.0.11", "GET", "/api/v1/users/@me", undefined, junk)).status);
      }
      assert.deepEqual(statuses, [...Array(GLOBAL).fill(401), 429]);
      const bot = { authorization: "Bot 123456789012345678.not-a-real-secret" };
      assert.equal((await requestFrom(s, "10.0.0.11", "GET", "/api/v1/users/@me", undefined, bot)).status, 429, "nor bot-shaped ones");

      // A real user is keyed on who they are: not the address's junk budget, and one budget for all their sessions.
      const user = await registerUser(s);
      const me = await requestFrom(s, "10.0.0.11", "GET", "/api/v1/users/@me", undefined, { authorization: user.token });
      assert.equal(me.status, 200);
      assert.equal(me.headers["x-ratelimit-remaining"], String(GLOBAL - 1));
      const login = await requestFrom(s, "10.0.0.12", "POST", "/api/v1/auth/login", { email: user.email, password: user.password });
      const second = await requestFrom(s, "10.0.0.13", "GET", "/api/v1/users/@me", undefined, { authorization: login.body.token });
      assert.equal(second.status, 200);
      assert.equal(second.headers["x-ratelimit-remaining"], String(GLOBAL - 2), "the user's sessions share the budget");
    });

    it("does not limit discovery or health checks", async (t) => {
      if (!ready(t)) return;
      const s = server!;
      for (const path of ["/.well-known/fluxer", "/_health"]) {
        for (let i = 0; i < GLOBAL * 3; i++) {
          const response = await s.request("GET", path);
          assert.equal(response.status, 200, `${path} #${i + 1}`);
          assert.equal(response.headers["x-ratelimit-limit"], undefined);
        }
      }
    });
  });
}

rateLimitSuite("memory");
rateLimitSuite("redis");
