import assert from "node:assert/strict";
import { existsSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { startTestServer, type TestServer } from "../support/harness.ts";
import { createMessageWorld, type MessageWorld } from "../support/message-world.ts";

const B = "fluxer-boundary";
const part = (name: string, value: string, filename?: string) =>
  `--${B}\r\nContent-Disposition: form-data; name="${name}"${filename ? `; filename="${filename}"` : ""}\r\n\r\n${value}\r\n`;
const end = `--${B}--\r\n`;
const withBoundary = `multipart/form-data; boundary=${B}`;

/** name → [content-type, body, expected status, expected code]. */
const cases: [string, string, string, number, string][] = [
  ["no boundary", "multipart/form-data", part("content", "hi") + end, 400, "INVALID_FORM_BODY"],
  ["another boundary", "multipart/form-data; boundary=other", part("content", "hi") + end, 400, "INVALID_FORM_BODY"],
  ["an empty boundary", "multipart/form-data; boundary=", part("content", "hi"), 400, "INVALID_FORM_BODY"],
  ["a truncated field", withBoundary, `--${B}\r\nContent-Disposition: form-data; name="content"\r\n\r\nhel`, 400, "INVALID_FORM_BODY"],
  [
    "a truncated file",
    withBoundary,
    `${part("content", "hi")}--${B}\r\nContent-Disposition: form-data; name="files[0]"; filename="a.txt"\r\n\r\nhal`,
    400,
    "INVALID_FORM_BODY",
  ],
  ["garbage", withBoundary, "garbage, not a form", 400, "INVALID_FORM_BODY"],
  [
    "payload_json that is not JSON",
    withBoundary,
    part("payload_json", "{nope") + part("files[0]", "x", "a.txt") + end,
    400,
    "INVALID_FORM_BODY",
  ],
  ["payload_json that is an array", withBoundary, part("payload_json", "[1]") + end, 400, "INVALID_FORM_BODY"],
  ["payload_json that is null", withBoundary, part("payload_json", "null") + end, 400, "INVALID_FORM_BODY"],
  ["too many fields", withBoundary, Array.from({ length: 40 }, (_, i) => part(`f${i}`, "x")).join("") + end, 400, "INVALID_FORM_BODY"],
  [
    "too many files",
    withBoundary,
    part("content", "x") + Array.from({ length: 4 }, (_, i) => part(`files[${i}]`, "x", `${i}.txt`)).join("") + end,
    400,
    "INVALID_FORM_BODY",
  ],
  [
    "a file over the limit",
    withBoundary,
    part("content", "x") + part("files[0]", "x".repeat(4096), "big.txt") + end,
    413,
    "FILE_SIZE_TOO_LARGE",
  ],
];

describe("malformed multipart bodies on message send and edit", () => {
  let server: TestServer;
  let world: MessageWorld;
  let messageId: string;
  before(async () => {
    server = await startTestServer({ limits: { max_attachment_bytes: 1024, max_attachments_per_message: 2 } });
    world = await createMessageWorld(server);
    const sent = await server.request("POST", `/channels/${world.channelId}/messages`, {
      token: world.owner.token,
      body: { content: "original" },
    });
    messageId = sent.body.id;
  });
  after(() => server.close());

  const history = async () =>
    (await server.request("GET", `/channels/${world.channelId}/messages`, { token: world.owner.token })).body.map(
      (message: { id: string; content: string; edited_timestamp: string | null }) => [
        message.id,
        message.content,
        message.edited_timestamp,
      ],
    );
  const filesOnDisk = () => {
    const root = join(server.deps.dataDir, "attachments");
    return existsSync(root) ? readdirSync(root, { recursive: true, withFileTypes: true }).filter((entry) => entry.isFile()).length : 0;
  };

  it("refuses a multipart body on a route that takes JSON, and changes nothing", async () => {
    const form = part("name", "Renamed by a form") + end;
    const refused = await server.request("PATCH", `/guilds/${world.guildId}`, {
      token: world.owner.token,
      payload: form,
      headers: { "content-type": withBoundary },
    });
    assert.equal(refused.status, 400);
    assert.equal(refused.body.code, "INVALID_FORM_BODY");
    const guild = await server.request("GET", `/guilds/${world.guildId}`, { token: world.owner.token });
    assert.notEqual(guild.body.name, "Renamed by a form");
  });

  for (const [name, contentType, body, status, code] of cases) {
    it(`answers ${status} ${code} to ${name} and stores nothing`, async () => {
      const messagesBefore = await history();
      for (const [method, path] of [
        ["POST", `/channels/${world.channelId}/messages`],
        ["PATCH", `/channels/${world.channelId}/messages/${messageId}`],
      ] as const) {
        const response = await server.request(method, path, {
          token: world.owner.token,
          payload: body,
          headers: { "content-type": contentType },
        });
        assert.equal(response.status, status, `${method}: ${JSON.stringify(response.body)}`);
        assert.equal(response.body.code, code);
      }
      assert.deepEqual(await history(), messagesBefore);
      assert.equal(filesOnDisk(), 0);
    });
  }
});
