import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { startTestServer, type TestServer, type TestUser } from "../support/harness.ts";
import { addMember, createMessageWorld, type MessageWorld } from "../support/message-world.ts";

describe("rich embeds", () => {
  let server: TestServer;
  let world: MessageWorld;
  let member: TestUser;
  before(async () => {
    server = await startTestServer();
    world = await createMessageWorld(server);
    member = await addMember(server, world);
  });
  after(() => server.close());

  const embed = {
    title: "Build finished",
    description: "All 42 checks passed",
    url: "https://ci.example.test/builds/7",
    color: 0x2ecc71,
    timestamp: "2026-11-28T12:00:00Z",
    author: { name: "CI", icon_url: "https://ci.example.test/icon.png" },
    footer: { text: "main@abc123" },
    image: { url: "https://ci.example.test/graph.png" },
    fields: [
      { name: "Duration", value: "3m 12s", inline: true },
      { name: "Tests", value: "42" },
    ],
  };

  it("stores an embed-only message and shows it to other members as sent", async () => {
    const sent = await server.request("POST", `/channels/${world.channelId}/messages`, {
      token: world.owner.token,
      body: { embeds: [embed] },
    });
    assert.equal(sent.status, 200);
    const seen = await server.request("GET", `/channels/${world.channelId}/messages/${sent.body.id}`, { token: member.token });
    assert.equal(seen.status, 200);
    const [shown] = seen.body.embeds;
    assert.equal(shown.type, "rich");
    assert.equal(shown.title, "Build finished");
    assert.equal(shown.color, 0x2ecc71);
    assert.equal(shown.timestamp, "2026-11-28T12:00:00.000Z");
    assert.equal(shown.image.url, "https://ci.example.test/graph.png");
    assert.deepEqual(shown.fields, [
      { name: "Duration", value: "3m 12s", inline: true },
      { name: "Tests", value: "42", inline: false },
    ]);
  });

  it("replaces embeds on edit, and an edit can remove them when content remains", async () => {
    const sent = await server.request("POST", `/channels/${world.channelId}/messages`, {
      token: world.owner.token,
      body: { content: "status", embeds: [embed] },
    });
    const edited = await server.request("PATCH", `/channels/${world.channelId}/messages/${sent.body.id}`, {
      token: world.owner.token,
      body: { embeds: [{ description: "Re-run: 41 of 42 passed", color: 0xe74c3c }] },
    });
    assert.equal(edited.status, 200);
    assert.equal(edited.body.embeds.length, 1);
    assert.equal(edited.body.embeds[0].description, "Re-run: 41 of 42 passed");
    assert.equal(edited.body.embeds[0].title, undefined);
    const cleared = await server.request("PATCH", `/channels/${world.channelId}/messages/${sent.body.id}`, {
      token: world.owner.token,
      body: { embeds: [] },
    });
    assert.deepEqual(cleared.body.embeds, []);
    assert.equal(cleared.body.content, "status");
  });

  it("refuses bad embeds with a form error per field and writes nothing", async () => {
    const before = server.deps.stores.messages.list(BigInt(world.channelId), { limit: 100 }).length;
    const badUrl = await server.request("POST", `/channels/${world.channelId}/messages`, {
      token: world.owner.token,
      body: { embeds: [{ description: "x", url: "javascript:alert(1)" }] },
    });
    assert.equal(badUrl.status, 400);
    assert.equal(badUrl.body.code, "INVALID_FORM_BODY");
    assert.equal(badUrl.body.errors[0].path, "embeds.0.url");
    const tooLong = await server.request("POST", `/channels/${world.channelId}/messages`, {
      token: world.owner.token,
      body: { embeds: [{ description: "d".repeat(4000) }, { description: "d".repeat(2500) }] },
    });
    assert.equal(tooLong.status, 400);
    assert.equal(tooLong.body.errors[0].path, "embeds");
    const tooManyFields = await server.request("POST", `/channels/${world.channelId}/messages`, {
      token: world.owner.token,
      body: { embeds: [{ description: "x", fields: Array.from({ length: 26 }, (_, i) => ({ name: `f${i}`, value: "v" })) }] },
    });
    assert.equal(tooManyFields.status, 400);
    assert.equal(server.deps.stores.messages.list(BigInt(world.channelId), { limit: 100 }).length, before);
  });
});
