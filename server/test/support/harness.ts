/**
 * A real server for black-box tests: a temporary SQLite file, the same composition root and app as
 * production, driven through `inject`. Every response is checked against the pinned OpenAPI file;
 * a 2xx that validates counts its operation as covered.
 */
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { FastifyInstance } from "fastify";
import { buildApp } from "../../src/app.ts";
import { type ConfigInput, parseConfig } from "../../src/config.ts";
import { createDeps, type Deps } from "../../src/deps.ts";
import { matchOperation, recordCoverage, validateResponse } from "./openapi.ts";

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Record<string, string | string[] | number | undefined>;
}

export interface RequestOptions {
  token?: string;
  body?: unknown;
  /** Raw payload (e.g. multipart) with its own headers; skips JSON encoding. */
  payload?: string | Buffer;
  headers?: Record<string, string>;
  query?: Record<string, string | number>;
}

export interface TestServer {
  app: FastifyInstance;
  deps: Deps;
  dir: string;
  request<T = any>(method: string, path: string, options?: RequestOptions): Promise<ApiResponse<T>>;
  close(): Promise<void>;
}

function deepMerge(base: Record<string, any>, extra: Record<string, any>): Record<string, any> {
  const out: Record<string, any> = { ...base };
  for (const [key, value] of Object.entries(extra)) {
    out[key] = value && typeof value === "object" && !Array.isArray(value) ? deepMerge(base[key] ?? {}, value) : value;
  }
  return out;
}

export function testConfig(dir: string, overrides: ConfigInput = {}) {
  const base: ConfigInput = {
    env: "test",
    database: { sqlite_path: join(dir, "fluxer.db") },
    storage: { data_dir: join(dir, "files") },
    dev: { disable_rate_limits: true, password_hash_cost: "fast" },
  };
  return parseConfig(deepMerge(base, overrides as Record<string, any>));
}

export async function startTestServer(overrides: ConfigInput = {}): Promise<TestServer> {
  const dir = mkdtempSync(join(tmpdir(), "fluxer-test-"));
  const deps = await createDeps(testConfig(dir, overrides));
  const app = await buildApp(deps);
  await app.ready();
  return {
    app,
    deps,
    dir,
    async request(method, path, options = {}) {
      const headers: Record<string, string> = { ...options.headers };
      if (options.token) headers.authorization = options.token;
      let payload: string | Buffer | undefined = options.payload;
      if (payload === undefined && options.body !== undefined) {
        payload = JSON.stringify(options.body);
        headers["content-type"] ??= "application/json";
      }
      const url = path.startsWith("/api") || path.startsWith("/.well-known") || path.startsWith("/_") ? path : `/api/v1${path}`;
      const response = await app.inject({ method: method as any, url, headers, payload, query: stringify(options.query) });
      const text = response.body;
      const body =
        text.length > 0 && String(response.headers["content-type"] ?? "").includes("json") ? JSON.parse(text) : text || undefined;
      checkAgainstSpec(method, url, response.statusCode, body);
      return { status: response.statusCode, body, headers: response.headers };
    },
    async close() {
      await app.close();
      await deps.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

function stringify(query?: Record<string, string | number>) {
  if (!query) return undefined;
  return Object.fromEntries(Object.entries(query).map(([key, value]) => [key, String(value)]));
}

/** Fails the calling test when a response under /api or the well-known path strays from the spec. */
function checkAgainstSpec(method: string, url: string, status: number, body: unknown) {
  const path = url.split("?")[0] ?? url;
  if (path.startsWith("/_")) return; // health endpoints are ours, not the spec's
  if (!matchOperation(method, path.replace(/^\/api(\/v1)?(?=\/)/, ""))) {
    // A path the spec does not have at all must be answered 404 with the Error body.
    assert.equal(status, 404, `${method} ${path} is not in the OpenAPI file but answered ${status}`);
    assert.equal(typeof (body as { code?: unknown })?.code, "string");
    return;
  }
  const result = validateResponse({ method, path, status, body });
  assert.ok(
    result.ok,
    `response does not match the OpenAPI file: ${method} ${path} → ${status}: ${result.ok ? "" : result.error}\nbody: ${JSON.stringify(body)?.slice(0, 800)}`,
  );
  if (status >= 200 && status < 300) recordCoverage(result.operationId);
}

export interface TestUser {
  id: string;
  token: string;
  email: string;
  password: string;
  username: string;
}

let userCounter = 0;

/** Registers a user through the API and returns its token. */
export async function registerUser(server: TestServer, name = `user${++userCounter}`): Promise<TestUser> {
  const email = `${name}@example.test`;
  const password = `pw-${name}-secret`;
  const response = await server.request("POST", "/auth/register", { body: { email, username: name, password } });
  assert.equal(response.status, 200, JSON.stringify(response.body));
  return { id: response.body.user_id, token: response.body.token, email, password, username: name };
}
