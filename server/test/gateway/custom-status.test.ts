/**
 * A custom status sent over op 3 or IDENTIFY is checked before other members see it: unknown
 * fields dropped, text over 128 characters, a malformed or expired one turned into none, an emoji
 * id (no custom emoji exists here) dropped. The socket stays open: a bad custom status is not a
 * decode error, as upstream keeps the presence and drops the status.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { TestUser } from "../support/harness.ts";
import type { GatewayClient } from "./gateway-client.ts";
import { type GatewayServer, guildWithMembers, startGatewayServer } from "./gateway-world.ts";

const FUTURE = "2099-01-01T00:00:00.000Z";

describe("custom status validation on presence updates", () => {
  let server: GatewayServer;
  let owner: TestUser;
  let friend: TestUser;
  let ownerWs: GatewayClient;
  let friendWs: GatewayClient;
  let round = 0;

  before(async () => {
    server = await startGatewayServer();
    const world = await guildWithMembers(server, "cs_owner", "cs_friend");
    owner = world.owner;
    friend = world.members[0] as TestUser;
    ownerWs = await server.login(owner);
    friendWs = await server.login(friend);
  });
  after(async () => {
    await ownerWs.close();
    await friendWs.close();
    await server.close();
  });

  /** Sends op 3 with the custom status (status alternating so each update is a change) and returns what the owner sees. */
  async function seenAs(customStatus: unknown): Promise<unknown> {
    const status = ++round % 2 === 0 ? "dnd" : "idle";
    const from = ownerWs.frames.length;
    friendWs.send(3, { status, afk: false, mobile: false, custom_status: customStatus });
    const update = await ownerWs.dispatch("PRESENCE_UPDATE", (d) => d.user.id === friend.id && d.status === status, from);
    return update.d.custom_status;
  }

  it("passes a valid status on in the spec's shape, without unknown fields", async () => {
    const seen = await seenAs({ text: "  deep work  ", emoji_name: "🔥", expires_at: FUTURE, evil: "<script>", nested: { a: 1 } });
    assert.deepEqual(seen, { text: "deep work", expires_at: FUTURE, emoji_id: null, emoji_name: "🔥", emoji_animated: false });
  });

  it("turns text over 128 characters into no status", async () => {
    assert.equal(await seenAs({ text: "x".repeat(129) }), null);
    assert.deepEqual(await seenAs({ text: "x".repeat(128) }), {
      text: "x".repeat(128),
      expires_at: null,
      emoji_id: null,
      emoji_name: null,
      emoji_animated: false,
    });
  });

  it("turns wrong types, an expired status and an empty one into no status", async () => {
    assert.equal(await seenAs({ text: 42 }), null);
    assert.equal(await seenAs("just a string"), null);
    assert.equal(await seenAs({ text: "late", expires_at: "2001-01-01T00:00:00.000Z" }), null);
    assert.equal(await seenAs({ text: "bad date", expires_at: "tomorrow" }), null);
    assert.equal(await seenAs({ text: "   " }), null);
    assert.equal(await seenAs({ emoji_name: "x".repeat(65) }), null);
  });

  it("drops an emoji id, which can name no emoji here, keeping the rest", async () => {
    const seen = await seenAs({ text: "gaming", emoji_id: "123456789012345678", emoji_name: "pog", emoji_animated: true });
    assert.deepEqual(seen, { text: "gaming", expires_at: null, emoji_id: null, emoji_name: "pog", emoji_animated: false });
    assert.equal(await seenAs({ text: "x", emoji_id: "not-a-snowflake" }), null);
  });

  it("keeps the socket open after a bad custom status", async () => {
    await seenAs({ text: "y".repeat(1000) });
    const from = friendWs.frames.length;
    friendWs.heartbeat();
    await friendWs.next((f) => f.op === 11, "HEARTBEAT_ACK", from);
  });

  it("validates IDENTIFY's presence.custom_status the same way", async () => {
    const from = ownerWs.frames.length;
    await friendWs.close();
    const second = await server.connect();
    await second.ready(friend.token, {
      presence: { status: "dnd", afk: false, mobile: false, custom_status: { text: "back", since: 5, emoji_id: "1" } },
    });
    const update = await ownerWs.dispatch("PRESENCE_UPDATE", (d) => d.user.id === friend.id && d.custom_status?.text === "back", from);
    assert.deepEqual(update.d.custom_status, { text: "back", expires_at: null, emoji_id: null, emoji_name: null, emoji_animated: false });
    friendWs = second;
  });
});
