/**
 * "Behind my own reverse proxy": X-Forwarded-For counts only from the addresses in
 * services.server.trusted_proxies. Rate limits key on the client the trusted proxy names, and on
 * the real peer when anyone else sends the header.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { ConfigError, parseConfig } from "../../src/config.ts";
import { startTestServer, type TestServer } from "../support/harness.ts";

const PROXY = "10.20.30.40";

async function loginAttempt(server: TestServer, remoteAddress: string, forwardedFor?: string) {
  const response = await server.app.inject({
    method: "POST",
    url: "/api/v1/auth/login",
    remoteAddress,
    headers: { "content-type": "application/json", ...(forwardedFor ? { "x-forwarded-for": forwardedFor } : {}) },
    payload: JSON.stringify({ email: "nobody@fluxer.test", password: "wrong-password-1" }),
  });
  return { status: response.statusCode, remaining: Number(response.headers["x-ratelimit-remaining"]) };
}

describe("trusted proxies", () => {
  let server: TestServer;

  before(async () => {
    server = await startTestServer({
      services: { server: { trusted_proxies: [PROXY, "fd00:1::/64"] } },
      dev: { disable_rate_limits: false },
      rate_limits: { auth_per_minute: 3 },
    });
  });
  after(() => server?.close());

  it("ignores X-Forwarded-For from an unlisted address: every spoofed client shares the real peer's limit", async () => {
    const seen = [];
    for (const spoofed of ["198.51.100.1", "198.51.100.2", "198.51.100.3", "198.51.100.4"]) {
      seen.push(await loginAttempt(server, "203.0.113.9", spoofed));
    }
    assert.deepEqual(
      seen.map((attempt) => attempt.remaining),
      [2, 1, 0, 0],
    );
    assert.equal(seen.at(-1)?.status, 429);
  });

  it("uses X-Forwarded-For from a listed proxy: each forwarded client has its own limit", async () => {
    const first = await loginAttempt(server, PROXY, "198.51.100.10");
    const second = await loginAttempt(server, PROXY, "198.51.100.11");
    assert.deepEqual([first.remaining, second.remaining], [2, 2]);
    const again = await loginAttempt(server, PROXY, "198.51.100.10");
    assert.equal(again.remaining, 1);
  });

  it("accepts a CIDR range of proxies", async () => {
    const viaRange = await loginAttempt(server, "fd00:1::7", "198.51.100.20");
    const sameClientDirect = await loginAttempt(server, "fd00:1::8", "198.51.100.20");
    assert.deepEqual([viaRange.remaining, sameClientDirect.remaining], [2, 1]);
  });
});

describe("trusted proxies config", () => {
  it("refuses an entry that is not an address or CIDR range, naming it", () => {
    assert.throws(
      () => parseConfig({ services: { server: { trusted_proxies: ["10.0.0.1", "proxy.lan"] } } }),
      (error: Error) => error instanceof ConfigError && error.message.startsWith('config: services.server.trusted_proxies.1 = "proxy.lan"'),
    );
    assert.throws(() => parseConfig({ services: { server: { trusted_proxies: ["10.0.0.0/33"] } } }), ConfigError);
    assert.deepEqual(parseConfig({ services: { server: { trusted_proxies: ["10.0.0.0/8", "::1"] } } }).services.server.trusted_proxies, [
      "10.0.0.0/8",
      "::1",
    ]);
  });
});
