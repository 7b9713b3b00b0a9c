import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startTestServer, type TestServer } from "../support/harness.ts";
import { matchOperation } from "../support/openapi.ts";

describe("the routes we serve", () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it("are all operations of the pinned Fluxer API (nothing invented under /api/v1)", () => {
    const api = server.app.routeTable.filter((r) => r.url.startsWith("/api/v1/") && r.method !== "HEAD");
    assert.ok(api.length > 5, "the API registers routes");
    const strays = api.filter((r) => {
      const concrete = r.url.slice("/api/v1".length).replace(/:[A-Za-z_]+/g, "1");
      const match = matchOperation(r.method, concrete);
      // A matched template must be the same shape as ours, not a looser sibling that happens to fit.
      return !match || match.template.split("/").length !== concrete.split("/").length;
    });
    assert.deepEqual(strays, []);
  });

  it("serve every API route under /api as well as /api/v1", () => {
    const v1 = new Set(server.app.routeTable.filter((r) => r.url.startsWith("/api/v1/")).map((r) => `${r.method} ${r.url.slice(7)}`));
    const bare = new Set(
      server.app.routeTable
        .filter((r) => r.url.startsWith("/api/") && !r.url.startsWith("/api/v1/"))
        .map((r) => `${r.method} ${r.url.slice(4)}`),
    );
    assert.deepEqual(
      [...v1].filter((r) => !bare.has(r)),
      [],
    );
  });
});
