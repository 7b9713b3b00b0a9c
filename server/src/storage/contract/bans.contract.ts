/** The behaviour every BanStore backend must show. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { GuildId, UserId } from "../../ids.ts";
import type { Ban } from "../records.ts";
import { createFixtures, type MakeStores, seedWorld, useStores } from "./fixtures.ts";

export function banStoreContract(makeStores: MakeStores): void {
  describe("BanStore contract", () => {
    const stores = useStores(makeStores);
    const f = createFixtures();

    const ban = (guildId: GuildId, userId: UserId, overrides: Partial<Ban> = {}): Ban => ({
      guildId,
      userId,
      reason: "spam",
      moderatorId: null,
      createdAt: 1_700_000_000_000,
      expiresAt: null,
      ...overrides,
    });

    it("bans a member: the ban is recorded and the membership (with its roles) removed, together", () => {
      const { guild, owner } = seedWorld(stores(), f);
      const user = stores().users.create(f.newUser());
      const role = f.role(guild.id);
      stores().roles.create(role);
      stores().members.add(f.member(guild.id, user.id, { roleIds: [role.id] }));
      const record = ban(guild.id, user.id, { moderatorId: owner.id, expiresAt: 1_700_000_060_000 });
      stores().bans.banAndRemove(record);
      assert.deepEqual(stores().bans.get(guild.id, user.id), record);
      assert.equal(stores().members.get(guild.id, user.id), null);
      stores().members.add(f.member(guild.id, user.id));
      assert.deepEqual(stores().members.get(guild.id, user.id)?.roleIds, [], "the old roles are gone");
    });

    it("bans a user who is not a member, and a second ban replaces the first", () => {
      const { guild } = seedWorld(stores(), f);
      const userId = f.ids.next(); // not even a user of this instance
      stores().bans.banAndRemove(ban(guild.id, userId));
      const again = ban(guild.id, userId, { reason: null, createdAt: 1_800_000_000_000, expiresAt: 1_800_000_060_000 });
      stores().bans.banAndRemove(again);
      assert.deepEqual(stores().bans.get(guild.id, userId), again);
      assert.equal(stores().bans.get(seedWorld(stores(), f).guild.id, userId), null, "bans are per guild");
    });

    it("lists by user id with before, after and limit", () => {
      const { guild } = seedWorld(stores(), f);
      const ids = [f.ids.next(), f.ids.next(), f.ids.next(), f.ids.next()];
      for (const id of [...ids].reverse()) stores().bans.banAndRemove(ban(guild.id, id));
      const listed = (query: { before?: UserId; after?: UserId; limit: number }) =>
        stores()
          .bans.list(guild.id, query)
          .map((one) => one.userId);
      assert.deepEqual(listed({ limit: 10 }), ids);
      assert.deepEqual(listed({ limit: 2 }), ids.slice(0, 2));
      assert.deepEqual(listed({ limit: 10, after: ids[1] }), ids.slice(2));
      assert.deepEqual(listed({ limit: 2, before: ids[3] }), ids.slice(1, 3), "the page nearest the cursor, ascending");
    });

    it("lifts a ban once", () => {
      const { guild } = seedWorld(stores(), f);
      const userId = f.ids.next();
      stores().bans.banAndRemove(ban(guild.id, userId));
      assert.equal(stores().bans.remove(guild.id, userId), true);
      assert.equal(stores().bans.remove(guild.id, userId), false);
      assert.equal(stores().bans.get(guild.id, userId), null);
      assert.deepEqual(stores().bans.list(guild.id, { limit: 10 }), []);
    });
  });
}
