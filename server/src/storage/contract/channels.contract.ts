/** The behaviour every ChannelStore backend must show: guild channels, positions, overwrites, deletes, DMs. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { ChannelType } from "../records.ts";
import { createFixtures, type MakeStores, seedChannel, seedWorld, useStores } from "./fixtures.ts";

export function channelStoreContract(makeStores: MakeStores): void {
  describe("ChannelStore contract", () => {
    const stores = useStores(makeStores);
    const f = createFixtures();

    it("round-trips a guild channel with its overwrites, and knows no other id", () => {
      const { guild } = seedWorld(stores(), f);
      const category = seedChannel(stores(), f, guild.id, { type: ChannelType.guildCategory, name: "Voice" });
      const voice = f.channel(guild.id, {
        type: ChannelType.guildVoice,
        name: "Lounge",
        parentId: category.id,
        position: 3,
        bitrate: 64_000,
        userLimit: 5,
        rtcRegion: "eu",
        nsfw: true,
        rateLimitPerUser: 30,
        overwrites: [
          { id: guild.id as bigint, type: 0, allow: 0n, deny: 1024n },
          { id: 9_223_372_036_854_775_807n, type: 1, allow: 1n << 53n, deny: 0n },
        ],
      });
      stores().channels.create(voice);
      assert.deepEqual(stores().channels.get(voice.id), voice);
      const link = f.channel(guild.id, { type: ChannelType.guildLink, url: "https://example.test/", topic: "t" });
      stores().channels.create(link);
      assert.deepEqual(stores().channels.get(link.id), link);
      assert.equal(stores().channels.get(f.ids.next()), null);
    });

    it("lists a guild's channels by position then id, each with its overwrites", () => {
      const world = seedWorld(stores(), f);
      const late = seedChannel(stores(), f, world.guild.id, { position: 5 });
      const tie = seedChannel(stores(), f, world.guild.id, { position: 0 });
      stores().channels.setOverwrite(late.id, { id: world.owner.id, type: 1, allow: 8n, deny: 0n });
      seedWorld(stores(), f); // another guild's channels stay out
      const listed = stores().channels.listForGuild(world.guild.id);
      assert.deepEqual(
        listed.map((c) => c.id),
        [world.channel.id, tie.id, late.id],
      );
      assert.deepEqual(listed[2], stores().channels.get(late.id));
      assert.deepEqual(listed[2]?.overwrites, [{ id: world.owner.id, type: 1, allow: 8n, deny: 0n }]);
      assert.equal(stores().channels.countForGuild(world.guild.id), 3);
    });

    it("patches only the given fields, booleans and nulls included", () => {
      const world = seedWorld(stores(), f);
      const category = seedChannel(stores(), f, world.guild.id, { type: ChannelType.guildCategory });
      const updated = stores().channels.update(world.channel.id, {
        name: "renamed",
        topic: "a topic",
        nsfw: true,
        rateLimitPerUser: 60,
        parentId: category.id,
      });
      const expected = { ...world.channel, name: "renamed", topic: "a topic", nsfw: true, rateLimitPerUser: 60, parentId: category.id };
      assert.deepEqual(updated, expected);
      assert.deepEqual(stores().channels.get(world.channel.id), expected);
      const back = stores().channels.update(world.channel.id, { topic: null, nsfw: false, parentId: null });
      assert.deepEqual(back, { ...expected, topic: null, nsfw: false, parentId: null });
      assert.deepEqual(stores().channels.update(world.channel.id, {}), back, "an empty patch changes nothing");
    });

    it("sets positions: a parent id moves, null clears, an absent parent id keeps", () => {
      const world = seedWorld(stores(), f);
      const category = seedChannel(stores(), f, world.guild.id, { type: ChannelType.guildCategory });
      const a = seedChannel(stores(), f, world.guild.id, { parentId: category.id });
      const b = seedChannel(stores(), f, world.guild.id);
      stores().channels.setPositions(world.guild.id, [
        { id: a.id, position: 7, parentId: null },
        { id: b.id, position: 2, parentId: category.id },
        { id: world.channel.id, position: 4 },
      ]);
      assert.deepEqual(
        [a, b, world.channel].map((c) => {
          const got = stores().channels.get(c.id);
          return [got?.position, got?.parentId];
        }),
        [
          [7, null],
          [2, category.id],
          [4, null],
        ],
      );
      // Another guild's channel is never touched through this guild.
      const other = seedWorld(stores(), f);
      stores().channels.setPositions(world.guild.id, [{ id: other.channel.id, position: 9 }]);
      assert.equal(stores().channels.get(other.channel.id)?.position, other.channel.position);
    });

    it("upserts and deletes overwrites", () => {
      const { channel, guild } = seedWorld(stores(), f);
      stores().channels.setOverwrite(channel.id, { id: guild.id as bigint, type: 0, allow: 1n, deny: 2n });
      stores().channels.setOverwrite(channel.id, { id: guild.id as bigint, type: 0, allow: 4n, deny: 0n });
      assert.deepEqual(stores().channels.get(channel.id)?.overwrites, [{ id: guild.id, type: 0, allow: 4n, deny: 0n }]);
      assert.equal(stores().channels.deleteOverwrite(channel.id, guild.id), true);
      assert.equal(stores().channels.deleteOverwrite(channel.id, guild.id), false);
      assert.deepEqual(stores().channels.get(channel.id)?.overwrites, []);
    });

    it("deletes a channel with its messages, invites and overwrites; children lose their parent", () => {
      const world = seedWorld(stores(), f);
      const category = seedChannel(stores(), f, world.guild.id, { type: ChannelType.guildCategory });
      const child = seedChannel(stores(), f, world.guild.id, { parentId: category.id });
      stores().channels.setOverwrite(category.id, { id: world.owner.id, type: 1, allow: 1n, deny: 0n });
      const message = f.message(category.id, world.owner.id);
      stores().messages.create(message);
      stores().invites.create({
        code: `c${category.id}`,
        guildId: world.guild.id,
        channelId: category.id,
        inviterId: null,
        maxAge: 0,
        maxUses: 0,
        uses: 0,
        temporary: false,
        createdAt: 1,
        expiresAt: null,
      });
      stores().channels.delete(category.id);
      assert.equal(stores().channels.get(category.id), null);
      assert.equal(stores().channels.get(child.id)?.parentId, null);
      assert.equal(stores().messages.get(category.id, message.id), null);
      assert.equal(stores().invites.get(`c${category.id}`), null);
      assert.equal(stores().channels.countForGuild(world.guild.id), 2);
    });

    it("keeps DMs and group DMs with their recipients", () => {
      const a = stores().users.create(f.newUser());
      const b = stores().users.create(f.newUser());
      const c = stores().users.create(f.newUser());
      const dm = f.channel(null, { type: ChannelType.dm, name: null, recipientIds: [a.id, b.id] });
      const group = f.channel(null, { type: ChannelType.groupDm, name: "trio", ownerId: a.id, recipientIds: [a.id, c.id] });
      stores().channels.create(dm);
      stores().channels.create(group);
      assert.deepEqual(stores().channels.get(dm.id), dm);
      assert.equal(stores().channels.findDm(a.id, b.id)?.id, dm.id);
      assert.equal(stores().channels.findDm(b.id, a.id)?.id, dm.id);
      assert.equal(stores().channels.findDm(a.id, c.id), null, "a group DM is not a DM");
      assert.deepEqual(
        stores()
          .channels.listPrivateForUser(a.id)
          .map((ch) => ch.id),
        [dm.id, group.id],
      );
      stores().channels.addRecipient(group.id, b.id);
      stores().channels.addRecipient(group.id, b.id);
      assert.deepEqual(stores().channels.get(group.id)?.recipientIds.slice().sort(), [a.id, b.id, c.id].sort());
      stores().channels.removeRecipient(group.id, c.id);
      assert.deepEqual(
        stores()
          .channels.listPrivateForUser(c.id)
          .map((ch) => ch.id),
        [],
      );
    });
  });
}
