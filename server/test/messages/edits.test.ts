import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startTestServer, type TestServer } from "../support/harness.ts";
import { createMessageWorld, type MessageWorld } from "../support/message-world.ts";

describe("message edits", () => {
  let server: TestServer;
  let world: MessageWorld;
  before(async () => {
    server = await startTestServer();
    world = await createMessageWorld(server);
  });
  after(() => server.close());

  const send = (body: unknown) => server.request("POST", `/channels/${world.channelId}/messages`, { token: world.owner.token, body });
  const edit = (id: string, body: unknown) =>
    server.request("PATCH", `/channels/${world.channelId}/messages/${id}`, { token: world.owner.token, body });

  it("does not mark a message edited when the edit changes nothing", async () => {
    const embed = { title: "A title", description: "words" };
    const sent = await send({ content: "same words", embeds: [embed] });
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    for (const body of [{}, { content: "same words" }, { embeds: [embed] }, { content: "same words", embeds: [embed] }]) {
      const unchanged = await edit(sent.body.id, body);
      assert.equal(unchanged.status, 200, JSON.stringify(unchanged.body));
      assert.equal(unchanged.body.edited_timestamp, null, JSON.stringify(body));
      assert.equal(unchanged.body.content, "same words");
    }
    const fetched = await server.request("GET", `/channels/${world.channelId}/messages/${sent.body.id}`, { token: world.owner.token });
    assert.equal(fetched.body.edited_timestamp, null);

    const changed = await edit(sent.body.id, { content: "new words" });
    assert.equal(changed.body.content, "new words");
    assert.ok(changed.body.edited_timestamp, "a changed content is an edit");
    const restyled = await send({ content: "plain" });
    const withEmbed = await edit(restyled.body.id, { embeds: [embed] });
    assert.ok(withEmbed.body.edited_timestamp, "a changed embed list is an edit");
  });

  it("tells a field of the wrong type (BASE_TYPE_INVALID) from a missing one", async () => {
    const sent = await send({ content: "typed" });
    const wrong = await edit(sent.body.id, { content: 7, flags: "4" });
    assert.equal(wrong.status, 400);
    assert.deepEqual(
      wrong.body.errors.map((error: { path: string; code: string }) => [error.path, error.code]),
      [
        ["content", "BASE_TYPE_INVALID"],
        ["flags", "BASE_TYPE_INVALID"],
      ],
    );
    const missing = await server.request("POST", "/read-states/ack-bulk", { token: world.owner.token, body: {} });
    assert.equal(missing.status, 400);
    assert.deepEqual([missing.body.errors[0].path, missing.body.errors[0].code], ["read_states", "BASE_TYPE_REQUIRED"]);
  });
});
