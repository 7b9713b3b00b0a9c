import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startTestServer, type TestServer } from "../support/harness.ts";
import { createMessageWorld, type MessageWorld } from "../support/message-world.ts";

describe("message send rate", () => {
  let server: TestServer;
  let world: MessageWorld;
  before(async () => {
    server = await startTestServer({ dev: { disable_rate_limits: false }, rate_limits: { messages_per_5s: 3, global_per_second: 1000 } });
    world = await createMessageWorld(server);
  });
  after(() => server.close());

  it("answers 429 RATE_LIMITED past the per-channel budget, with Retry-After, and writes nothing", async () => {
    const send = (content: string) =>
      server.request("POST", `/channels/${world.channelId}/messages`, { token: world.owner.token, body: { content } });
    for (let i = 0; i < 3; i++) assert.equal((await send(`m${i}`)).status, 200);
    const limited = await send("one too many");
    assert.equal(limited.status, 429);
    assert.equal(limited.body.code, "RATE_LIMITED");
    assert.equal(limited.body.global, false);
    assert.ok(limited.body.retry_after > 0 && limited.body.retry_after <= 5);
    assert.ok(Number(limited.headers["retry-after"]) >= 1);
    const contents = server.deps.stores.messages.list(BigInt(world.channelId), { limit: 100 }).map((m) => m.content);
    assert.ok(!contents.includes("one too many"));
  });
});
