/** The behaviour every AuditLogStore backend must show: newest first, filters, pages, one guild at a time. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { GuildId, UserId } from "../../ids.ts";
import type { AuditLogEntry } from "../records.ts";
import { createFixtures, type MakeStores, seedWorld, useStores } from "./fixtures.ts";

export function auditLogStoreContract(makeStores: MakeStores): void {
  describe("AuditLogStore contract", () => {
    const stores = useStores(makeStores);
    const f = createFixtures();

    function append(guildId: GuildId, userId: UserId, overrides: Partial<AuditLogEntry> = {}): AuditLogEntry {
      const entry: AuditLogEntry = {
        id: f.ids.next(),
        guildId,
        userId,
        actionType: 10,
        targetId: null,
        reason: null,
        changes: null,
        options: null,
        ...overrides,
      };
      stores().auditLog.append(entry);
      return entry;
    }

    const ids = (entries: AuditLogEntry[]) => entries.map((e) => e.id);

    it("round-trips an entry with its changes, options and reason", () => {
      const { guild, owner, channel } = seedWorld(stores(), f);
      const entry = append(guild.id, owner.id, {
        actionType: 11,
        targetId: channel.id,
        reason: "tidying up",
        changes: [
          { key: "name", old_value: "a", new_value: "b" },
          { key: "nsfw", new_value: true },
          { key: "rate_limit_per_user", old_value: 0, new_value: 5 },
        ],
        options: { channel_id: channel.id.toString(), type: 0 },
      });
      assert.deepEqual(stores().auditLog.list(guild.id, { limit: 10 }), [entry]);
      const bare = append(guild.id, owner.id, { userId: null });
      assert.deepEqual(stores().auditLog.list(guild.id, { limit: 1 }), [bare]);
    });

    it("lists newest first, filtered by user and action, one guild only", () => {
      const world = seedWorld(stores(), f);
      const other = seedWorld(stores(), f);
      const mod = stores().users.create(f.newUser());
      const a = append(world.guild.id, world.owner.id, { actionType: 10 });
      const b = append(world.guild.id, mod.id, { actionType: 11 });
      const c = append(world.guild.id, world.owner.id, { actionType: 11 });
      append(other.guild.id, other.owner.id, { actionType: 10 });
      assert.deepEqual(ids(stores().auditLog.list(world.guild.id, { limit: 50 })), [c.id, b.id, a.id]);
      assert.deepEqual(ids(stores().auditLog.list(world.guild.id, { limit: 50, userId: world.owner.id })), [c.id, a.id]);
      assert.deepEqual(ids(stores().auditLog.list(world.guild.id, { limit: 50, actionType: 11 })), [c.id, b.id]);
      assert.deepEqual(ids(stores().auditLog.list(world.guild.id, { limit: 50, actionType: 11, userId: mod.id })), [b.id]);
      assert.deepEqual(ids(stores().auditLog.list(world.guild.id, { limit: 50, actionType: 12 })), []);
    });

    it("pages with before and after, keeping newest first and honouring the limit", () => {
      const { guild, owner } = seedWorld(stores(), f);
      const made = Array.from({ length: 5 }, () => append(guild.id, owner.id));
      const [e0, e1, e2, e3, e4] = made.map((e) => e.id);
      assert.deepEqual(ids(stores().auditLog.list(guild.id, { limit: 2 })), [e4, e3]);
      assert.deepEqual(ids(stores().auditLog.list(guild.id, { limit: 2, before: e3 })), [e2, e1]);
      // `after` pages forward from the given id: the oldest entries after it, shown newest first.
      assert.deepEqual(ids(stores().auditLog.list(guild.id, { limit: 2, after: e0 })), [e2, e1]);
      assert.deepEqual(ids(stores().auditLog.list(guild.id, { limit: 10, after: e1, before: e4 })), [e3, e2]);
      assert.deepEqual(ids(stores().auditLog.list(guild.id, { limit: 10, before: e0 })), []);
    });
  });
}
