/** The client's state rules without a browser: message identity, history merging, reactions, permissions. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Message, Role } from "../src/api/types.ts";
import {
  applyReaction,
  type ChatState,
  deleteMessage,
  emptyChat,
  mergeHistory,
  type ShownMessage,
  upsertMessage,
} from "../src/state/chat-state.ts";
import { channelPermissions, guildPermissions, has, Permission } from "../src/state/permissions.ts";

const author = { id: "100000000000000001", username: "alice", discriminator: "0001", global_name: "Alice", avatar: null };

function message(id: string, extra: Partial<ShownMessage> = {}): ShownMessage {
  return {
    id,
    channel_id: "200",
    author,
    type: 0,
    content: `m${id}`,
    timestamp: "2026-12-04T00:00:00.000Z",
    edited_timestamp: null,
    ...extra,
  };
}

const ids = (state: ChatState) => state.messages["200"]?.messages.map((m) => m.id);

describe("message identity", () => {
  it("replaces the local copy by nonce and keeps one message when the event and the REST answer both arrive", () => {
    let state = upsertMessage(emptyChat, message("local-1", { nonce: "n1", local: { state: "sending" } }));
    state = upsertMessage(state, message("1578250000000000001", { nonce: "n1" }));
    state = upsertMessage(state, message("1578250000000000001", { nonce: "n1" }));
    assert.deepEqual(ids(state), ["1578250000000000001"]);
    assert.equal(state.messages["200"]?.messages[0]?.local, undefined);
  });

  it("orders by snowflake (numerically) and keeps unsent messages last", () => {
    let state = upsertMessage(emptyChat, message("local-2", { nonce: "n2", local: { state: "failed" } }));
    state = upsertMessage(state, message("1000000000000000010"));
    state = upsertMessage(state, message("999999999999999999"));
    assert.deepEqual(ids(state), ["999999999999999999", "1000000000000000010", "local-2"]);
  });

  it("merges history pages without duplicates and knows when the beginning is reached", () => {
    const page = (from: number, count: number) =>
      Array.from({ length: count }, (_, i) => message(String(1578250000000000000n + BigInt(from + i))) as Message);
    let state = upsertMessage(emptyChat, message(String(1578250000000000000n + 99n)));
    state = mergeHistory(state, "200", page(50, 50), 50, false);
    assert.equal(state.messages["200"]?.messages.length, 50);
    assert.equal(state.messages["200"]?.hasMoreBefore, true);
    state = mergeHistory(state, "200", page(30, 20), 50, true);
    assert.equal(state.messages["200"]?.messages.length, 70);
    assert.equal(state.messages["200"]?.hasMoreBefore, false);
    state = deleteMessage(state, "200", String(1578250000000000000n + 30n));
    assert.equal(state.messages["200"]?.messages.length, 69);
  });
});

describe("reactions", () => {
  it("counts up and down and drops a reaction at zero", () => {
    let reactions = applyReaction(null, { id: null, name: "👍" }, 1, false);
    reactions = applyReaction(reactions, { id: null, name: "👍" }, 1, true);
    assert.deepEqual(reactions, [{ emoji: { id: null, name: "👍" }, count: 2, me: true }]);
    reactions = applyReaction(reactions, { id: null, name: "👍" }, -1, true);
    assert.deepEqual(reactions, [{ emoji: { id: null, name: "👍" }, count: 1, me: false }]);
    assert.deepEqual(applyReaction(reactions, { id: null, name: "👍" }, -1, false), []);
  });
});

describe("permissions", () => {
  const guildId = "300";
  const roles: Record<string, Role> = {
    [guildId]: {
      id: guildId,
      name: "@everyone",
      color: 0,
      position: 0,
      hoist: false,
      permissions: String(Permission.ViewChannel | Permission.SendMessages),
    },
    "301": { id: "301", name: "mod", color: 0, position: 1, hoist: false, permissions: String(Permission.ManageMessages) },
  };
  const subject = { guildId, ownerId: "1", roles, userId: "2", memberRoles: [] as string[] };

  it("gives the owner everything and others their roles", () => {
    assert.ok(has(guildPermissions({ ...subject, userId: "1" }), Permission.ManageGuild));
    assert.ok(!has(guildPermissions(subject), Permission.ManageMessages));
    assert.ok(has(guildPermissions({ ...subject, memberRoles: ["301"] }), Permission.ManageMessages));
  });

  it("applies @everyone, role and member overwrites in Discord's order", () => {
    const channel = {
      id: "400",
      type: 0,
      permission_overwrites: [
        { id: guildId, type: 0 as const, allow: "0", deny: String(Permission.SendMessages) },
        { id: "301", type: 0 as const, allow: String(Permission.SendMessages), deny: "0" },
        { id: "3", type: 1 as const, allow: "0", deny: String(Permission.ViewChannel) },
      ],
    };
    assert.ok(!has(channelPermissions(subject, channel), Permission.SendMessages));
    assert.ok(has(channelPermissions({ ...subject, memberRoles: ["301"] }, channel), Permission.SendMessages));
    assert.ok(!has(channelPermissions({ ...subject, userId: "3", memberRoles: ["301"] }, channel), Permission.ViewChannel));
  });

  it("leaves a timed-out member only view and history", () => {
    const later = new Date(Date.now() + 60_000).toISOString();
    const permissions = channelPermissions({ ...subject, timedOutUntil: later }, { id: "400", type: 0 });
    assert.ok(has(permissions, Permission.ViewChannel));
    assert.ok(!has(permissions, Permission.SendMessages));
  });
});
