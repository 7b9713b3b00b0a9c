/** The behaviour every RoleStore backend must show. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createFixtures, type MakeStores, seedChannel, seedWorld, useStores } from "./fixtures.ts";

export function roleStoreContract(makeStores: MakeStores): void {
  describe("RoleStore contract", () => {
    const stores = useStores(makeStores);
    const f = createFixtures();

    it("round-trips every field, including all 64 permission bits", () => {
      const { guild } = seedWorld(stores(), f);
      const role = f.role(guild.id, {
        name: "Mods",
        color: 0xabcdef,
        position: 3,
        hoistPosition: 2,
        permissions: (1n << 63n) | (1n << 53n) | (1n << 40n) | 8n,
        hoist: true,
        mentionable: true,
        unicodeEmoji: "🛡️",
      });
      stores().roles.create(role);
      assert.deepEqual(stores().roles.get(guild.id, role.id), role);
      assert.equal(stores().roles.get(guild.id, f.ids.next()), null);
      const elsewhere = seedWorld(stores(), f);
      assert.equal(stores().roles.get(elsewhere.guild.id, role.id), null, "a role belongs to one guild");
    });

    it("lists a guild's roles by position, @everyone first, and counts them", () => {
      const { guild } = seedWorld(stores(), f);
      const high = f.role(guild.id, { position: 2 });
      const low = f.role(guild.id, { position: 1 });
      stores().roles.create(high);
      stores().roles.create(low);
      assert.deepEqual(
        stores()
          .roles.list(guild.id)
          .map((role) => role.id),
        [guild.id, low.id, high.id],
      );
      assert.equal(stores().roles.count(guild.id), 3);
    });

    it("patches only the given fields", () => {
      const { guild } = seedWorld(stores(), f);
      const role = f.role(guild.id, { name: "before", color: 1, hoist: true });
      stores().roles.create(role);
      const updated = stores().roles.update(guild.id, role.id, { name: "after", permissions: 1n << 63n, hoist: false, unicodeEmoji: null });
      assert.deepEqual(updated, { ...role, name: "after", permissions: 1n << 63n, hoist: false });
      assert.deepEqual(stores().roles.get(guild.id, role.id), updated);
      assert.deepEqual(stores().roles.update(guild.id, role.id, {}), updated);
    });

    it("sets positions and hoist positions of several roles at once", () => {
      const { guild } = seedWorld(stores(), f);
      const a = f.role(guild.id, { position: 1 });
      const b = f.role(guild.id, { position: 2, hoistPosition: 5 });
      stores().roles.create(a);
      stores().roles.create(b);
      stores().roles.setPositions(guild.id, [
        { id: a.id, position: 2 },
        { id: b.id, position: 1 },
      ]);
      assert.deepEqual(
        stores()
          .roles.list(guild.id)
          .map((role) => [role.id, role.position]),
        [
          [guild.id, 0],
          [b.id, 1],
          [a.id, 2],
        ],
      );
      stores().roles.setHoistPositions(guild.id, [
        { id: a.id, hoistPosition: 1 },
        { id: b.id, hoistPosition: null },
      ]);
      assert.equal(stores().roles.get(guild.id, a.id)?.hoistPosition, 1);
      assert.equal(stores().roles.get(guild.id, b.id)?.hoistPosition, null);
      const other = seedWorld(stores(), f);
      stores().roles.setPositions(other.guild.id, [{ id: a.id, position: 9 }]);
      assert.equal(stores().roles.get(guild.id, a.id)?.position, 2, "another guild's id list does not touch this guild");
    });

    it("deletes a role and takes it from every member", () => {
      const { guild, owner } = seedWorld(stores(), f);
      const role = f.role(guild.id);
      const kept = f.role(guild.id);
      stores().roles.create(role);
      stores().roles.create(kept);
      stores().members.addRole(guild.id, owner.id, role.id);
      stores().members.addRole(guild.id, owner.id, kept.id);
      stores().roles.delete(guild.id, role.id);
      assert.equal(stores().roles.get(guild.id, role.id), null);
      assert.deepEqual(stores().members.get(guild.id, owner.id)?.roleIds, [kept.id]);
      assert.equal(stores().roles.count(guild.id), 2);
    });

    it("deletes a role's channel overwrites with it and names the channels that lost one", () => {
      const { guild, channel } = seedWorld(stores(), f);
      const other = seedChannel(stores(), f, guild.id);
      const untouched = seedChannel(stores(), f, guild.id, { name: "untouched" });
      const role = f.role(guild.id);
      const kept = f.role(guild.id);
      stores().roles.create(role);
      stores().roles.create(kept);
      const keptOverwrite = { id: kept.id, type: 0 as const, allow: 1n, deny: 2n };
      stores().channels.setOverwrite(channel.id, { id: role.id, type: 0, allow: 1024n, deny: 0n });
      stores().channels.setOverwrite(channel.id, keptOverwrite);
      stores().channels.setOverwrite(other.id, { id: role.id, type: 0, allow: 0n, deny: 1024n });
      stores().channels.setOverwrite(untouched.id, keptOverwrite);
      const changed = stores().roles.delete(guild.id, role.id);
      assert.deepEqual(
        [...changed].sort((a, b) => (a < b ? -1 : 1)),
        [channel.id, other.id].sort((a, b) => (a < b ? -1 : 1)),
      );
      assert.deepEqual(stores().channels.get(channel.id)?.overwrites, [keptOverwrite]);
      assert.deepEqual(stores().channels.get(other.id)?.overwrites, []);
      assert.deepEqual(stores().channels.get(untouched.id)?.overwrites, [keptOverwrite]);
      assert.deepEqual(stores().roles.delete(guild.id, kept.id).length, 2, "the second role's overwrites go the same way");
    });

    it("creates a role at a position, moving the roles at or above it up one, @everyone staying at 0", () => {
      const { guild } = seedWorld(stores(), f);
      const low = f.role(guild.id, { position: 1 });
      const high = f.role(guild.id, { position: 2 });
      stores().roles.create(low);
      stores().roles.create(high);
      const fresh = f.role(guild.id, { position: 1, name: "fresh" });
      const moved = stores().roles.createAt(fresh);
      assert.deepEqual(
        moved.map((role) => [role.id, role.position]),
        [
          [low.id, 2],
          [high.id, 3],
        ],
      );
      assert.deepEqual(
        stores()
          .roles.list(guild.id)
          .map((role) => [role.id, role.position]),
        [
          [guild.id, 0],
          [fresh.id, 1],
          [low.id, 2],
          [high.id, 3],
        ],
      );
      assert.deepEqual(stores().roles.get(guild.id, fresh.id), fresh);
      const top = f.role(guild.id, { position: 4 });
      assert.deepEqual(stores().roles.createAt(top), [], "nothing above: nothing moves");
    });

    it("creates nothing and moves nothing when the insert fails", () => {
      const { guild } = seedWorld(stores(), f);
      const existing = f.role(guild.id, { position: 1 });
      stores().roles.create(existing);
      assert.throws(() => stores().roles.createAt({ ...existing, name: "same id" }));
      assert.deepEqual(
        stores()
          .roles.list(guild.id)
          .map((role) => [role.id, role.position, role.name]),
        [
          [guild.id, 0, "@everyone"],
          [existing.id, 1, existing.name],
        ],
      );
    });
  });
}
