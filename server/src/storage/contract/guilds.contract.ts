/** The behaviour every GuildStore backend must show: atomic creation, patches, vanity codes, counts, cascading delete. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createFixtures, type MakeStores, seedChannel, seedWorld, useStores } from "./fixtures.ts";

export function guildStoreContract(makeStores: MakeStores): void {
  describe("GuildStore contract", () => {
    const stores = useStores(makeStores);
    const f = createFixtures();

    it("creates a guild with its @everyone role, channels and owner, and round-trips every field", () => {
      const owner = stores().users.create(f.newUser());
      const guild = f.guild(owner.id, {
        icon: "abc",
        systemChannelFlags: 1,
        afkTimeout: 600,
        verificationLevel: 2,
        explicitContentFilter: 1,
        defaultMessageNotifications: 1,
        features: ["BANNER", "ANIMATED_ICON"],
      });
      const category = f.channel(guild.id, { type: 4, name: "Text Channels" });
      const general = f.channel(guild.id, { parentId: category.id, name: "general" });
      const everyone = f.everyoneRole(guild.id, { permissions: 1024n });
      stores().guilds.create({
        guild: { ...guild, systemChannelId: general.id },
        everyoneRole: everyone,
        channels: [category, general],
        owner: f.member(guild.id, owner.id),
      });
      assert.deepEqual(stores().guilds.get(guild.id), { ...guild, systemChannelId: general.id });
      assert.deepEqual(stores().roles.list(guild.id), [everyone]);
      assert.deepEqual(
        stores()
          .channels.listForGuild(guild.id)
          .map((c) => [c.id, c.parentId]),
        [
          [category.id, null],
          [general.id, category.id],
        ],
      );
      assert.equal(stores().members.get(guild.id, owner.id)?.userId, owner.id);
      assert.equal(stores().guilds.get(f.ids.next()), null);
    });

    it("creates nothing when any part of the seed fails", () => {
      const owner = stores().users.create(f.newUser());
      const guild = f.guild(owner.id);
      const channel = f.channel(guild.id);
      assert.throws(() =>
        stores().guilds.create({
          guild,
          everyoneRole: f.everyoneRole(guild.id),
          channels: [channel, { ...channel }], // the same id twice
          owner: f.member(guild.id, owner.id),
        }),
      );
      assert.equal(stores().guilds.get(guild.id), null);
      assert.equal(stores().channels.get(channel.id), null);
      assert.equal(stores().members.get(guild.id, owner.id), null);
    });

    it("patches only the given fields and returns the result", () => {
      const { guild, channel } = seedWorld(stores(), f);
      const updated = stores().guilds.update(guild.id, {
        name: "Renamed",
        systemChannelId: channel.id,
        afkChannelId: null,
        features: ["INVITES_DISABLED"],
        nsfwLevel: 3,
      });
      const expected = { ...guild, name: "Renamed", systemChannelId: channel.id, features: ["INVITES_DISABLED"], nsfwLevel: 3 };
      assert.deepEqual(updated, expected);
      assert.deepEqual(stores().guilds.get(guild.id), expected);
      assert.deepEqual(stores().guilds.update(guild.id, {}), expected, "an empty patch changes nothing");
      const cleared = stores().guilds.update(guild.id, { systemChannelId: null, features: [] });
      assert.equal(cleared.systemChannelId, null);
      assert.deepEqual(cleared.features, []);
    });

    it("transfers ownership through update", () => {
      const { guild } = seedWorld(stores(), f);
      const next = stores().users.create(f.newUser());
      assert.equal(stores().guilds.update(guild.id, { ownerId: next.id }).ownerId, next.id);
    });

    it("finds a guild by its vanity code, exactly, and forgets a cleared code", () => {
      const { guild } = seedWorld(stores(), f);
      const code = `vanity-${guild.id}`;
      stores().guilds.update(guild.id, { vanityUrlCode: code });
      assert.equal(stores().guilds.findByVanityCode(code)?.id, guild.id);
      assert.equal(stores().guilds.findByVanityCode(`${code}x`), null);
      stores().guilds.update(guild.id, { vanityUrlCode: null });
      assert.equal(stores().guilds.findByVanityCode(code), null);
      // Once freed, another guild may take it.
      const other = seedWorld(stores(), f);
      stores().guilds.update(other.guild.id, { vanityUrlCode: code });
      assert.equal(stores().guilds.findByVanityCode(code)?.id, other.guild.id);
    });

    it("lists and counts a user's guilds, ordered by id, and counts members", () => {
      const a = seedWorld(stores(), f);
      const b = seedWorld(stores(), f);
      const member = stores().users.create(f.newUser());
      stores().members.add(f.member(a.guild.id, member.id));
      stores().members.add(f.member(b.guild.id, member.id));
      assert.deepEqual(
        stores()
          .guilds.listForUser(member.id)
          .map((g) => g.id),
        [a.guild.id, b.guild.id],
      );
      assert.deepEqual(stores().guilds.listForUser(member.id)[0], a.guild);
      assert.equal(stores().guilds.countForUser(member.id), 2);
      assert.equal(stores().guilds.countForUser(a.owner.id), 1);
      assert.equal(stores().guilds.memberCount(a.guild.id), 2);
      stores().members.remove(a.guild.id, member.id);
      assert.equal(stores().guilds.memberCount(a.guild.id), 1);
      assert.deepEqual(stores().guilds.listForUser(stores().users.create(f.newUser()).id), []);
    });

    it("deletes a guild with everything in it, and nothing of other guilds", () => {
      const world = seedWorld(stores(), f);
      const other = seedWorld(stores(), f);
      const second = seedChannel(stores(), f, world.guild.id);
      const role = f.role(world.guild.id);
      stores().roles.create(role);
      const member = stores().users.create(f.newUser());
      stores().members.add(f.member(world.guild.id, member.id, { roleIds: [role.id] }));
      stores().channels.setOverwrite(second.id, { id: role.id, type: 0, allow: 1n, deny: 2n });
      const message = f.message(world.channel.id, world.owner.id);
      stores().messages.create(message);
      stores().auditLog.append({
        id: f.ids.next(),
        guildId: world.guild.id,
        userId: world.owner.id,
        actionType: 1,
        targetId: world.guild.id,
        reason: null,
        changes: null,
        options: null,
      });
      stores().guilds.delete(world.guild.id);
      assert.equal(stores().guilds.get(world.guild.id), null);
      assert.equal(stores().channels.get(world.channel.id), null);
      assert.equal(stores().channels.get(second.id), null);
      assert.deepEqual(stores().roles.list(world.guild.id), []);
      assert.equal(stores().members.get(world.guild.id, member.id), null);
      assert.equal(stores().messages.get(world.channel.id, message.id), null);
      assert.deepEqual(stores().auditLog.list(world.guild.id, { limit: 10 }), []);
      assert.equal(stores().guilds.countForUser(member.id), 0);
      assert.deepEqual(stores().guilds.get(other.guild.id), other.guild);
      assert.equal(stores().channels.get(other.channel.id)?.id, other.channel.id);
      assert.equal(stores().users.get(member.id)?.id, member.id, "users outlive their guilds");
    });
  });
}
