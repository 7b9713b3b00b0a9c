/** POST /users/@me/preload-messages (and /users/@me/channels/messages/preload): the latest message per asked channel. */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { guildWithHiddenChannel } from "../gateway/gateway-world.ts";
import { startTestServer, type TestServer, type TestUser } from "../support/harness.ts";

describe("message preloads", () => {
  let server: TestServer;
  let owner: TestUser;
  let outsider: TestUser;
  let general: string;
  let secret: string;
  let dm: string;
  let empty: string;
  const latest: Record<string, string> = {};

  async function send(token: string, channelId: string, content: string): Promise<string> {
    const response = await server.request("POST", `/channels/${channelId}/messages`, { token, body: { content } });
    assert.equal(response.status, 200, JSON.stringify(response.body));
    return response.body.id;
  }

  before(async () => {
    server = await startTestServer();
    const world = await guildWithHiddenChannel(server, "pl");
    ({ owner, outsider } = world);
    general = world.guild.channelId;
    secret = world.secretId;
    const opened = await server.request("POST", "/users/@me/channels", { token: outsider.token, body: { recipient_id: owner.id } });
    assert.equal(opened.status, 200, JSON.stringify(opened.body));
    dm = opened.body.id;
    const made = await server.request("POST", `/guilds/${world.guild.id}/channels`, {
      token: owner.token,
      body: { name: "quiet", type: 0 },
    });
    empty = made.body.id;
    await send(owner.token, general, "first");
    latest.general = await send(owner.token, general, "second");
    latest.secret = await send(owner.token, secret, "hidden");
    latest.dm = await send(owner.token, dm, "hello in private");
  });
  after(() => server.close());

  for (const path of ["/users/@me/preload-messages", "/users/@me/channels/messages/preload"]) {
    it(`${path} maps each channel to its latest readable message, else null`, async () => {
      const res = await server.request("POST", path, {
        token: outsider.token,
        body: { channels: [general, secret, dm, empty, "123456789012345678"] },
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body[general].id, latest.general);
      assert.equal(res.body[general].content, "second");
      assert.equal(res.body[dm].id, latest.dm);
      assert.equal(res.body[secret], null, "a channel the user cannot view reveals nothing");
      assert.equal(res.body[empty], null);
      assert.equal(res.body["123456789012345678"], null);
      assert.equal(Object.keys(res.body).length, 5);
    });
  }

  it("the owner sees the hidden channel's latest; more than 100 channels is refused", async () => {
    const res = await server.request("POST", "/users/@me/preload-messages", { token: owner.token, body: { channels: [secret] } });
    assert.equal(res.body[secret].id, latest.secret);
    const many = Array.from({ length: 101 }, (_, i) => String(1000 + i));
    const refused = await server.request("POST", "/users/@me/preload-messages", { token: owner.token, body: { channels: many } });
    assert.equal(refused.status, 400);
    assert.equal(refused.body.code, "INVALID_FORM_BODY");
  });
});
