/** The wire format's versioning: what an older (v1) reader in a mixed-version cluster gets to see. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { DomainEvent } from "./bus.port.ts";
import { decodeEvent, encodeEvent } from "./event-wire.ts";

const versionOf = (event: DomainEvent) => JSON.parse(new TextDecoder().decode(encodeEvent(event))).v;

describe("event wire format", () => {
  it("writes v1 unless the audience needs a permission, which only a v2 reader can enforce", () => {
    const plain: DomainEvent = { type: "GUILD_UPDATE", audience: { kind: "guild", guildId: 1n, channelId: 2n }, data: {} };
    const guarded: DomainEvent = { type: "GUILD_BAN_ADD", audience: { kind: "guild", guildId: 1n, permission: 4n }, data: {} };
    assert.equal(versionOf(plain), 1);
    assert.equal(versionOf({ type: "X", audience: { kind: "users", userIds: [3n] }, data: null }), 1);
    assert.equal(versionOf(guarded), 2);
    assert.deepStrictEqual(decodeEvent(encodeEvent(guarded)), guarded);
    assert.deepStrictEqual(decodeEvent(encodeEvent(plain)), plain);
  });

  it("refuses a permission that is not a decimal string", () => {
    const raw = { v: 2, type: "X", audience: { kind: "guild", guildId: "1", permission: 4 }, data: {} };
    assert.equal(decodeEvent(new TextEncoder().encode(JSON.stringify(raw))), null);
  });
});
