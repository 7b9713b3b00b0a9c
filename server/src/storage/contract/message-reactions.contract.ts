/** Reactions, part of the MessageStore contract (registered by messageStoreContract). */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { MessageId, UserId } from "../../ids.ts";
import type { Stores } from "../ports.ts";
import type { Message, User } from "../records.ts";
import { emojiKey, type Fixtures, seedChannel, seedWorld, type World } from "./fixtures.ts";

const THUMBS = { emojiId: null, emojiName: "👍", animated: false };
const PARTY = { emojiId: null, emojiName: "🎉", animated: false };

export function messageReactionContract(stores: () => Stores, f: Fixtures): void {
  describe("reactions", () => {
    interface Scene extends World {
      message: Message;
      users: User[];
      react(
        messageId: MessageId,
        userId: UserId,
        emoji: typeof THUMBS | { emojiId: bigint; emojiName: string; animated: boolean },
      ): boolean;
    }

    function scene(userCount = 3): Scene {
      const world = seedWorld(stores(), f);
      const message = f.message(world.channel.id, world.owner.id);
      stores().messages.create(message);
      const users = Array.from({ length: userCount }, () => stores().users.create(f.newUser()));
      const react: Scene["react"] = (messageId, userId, emoji) =>
        stores().messages.addReaction(world.channel.id, messageId, { userId, ...emoji, seq: f.ids.next() });
      return { ...world, message, users, react };
    }

    it("adds a reaction once per user and emoji", () => {
      const { message, users, react } = scene(1);
      const [u] = users as [User];
      assert.equal(react(message.id, u.id, THUMBS), true);
      assert.equal(react(message.id, u.id, THUMBS), false);
      assert.equal(react(message.id, u.id, PARTY), true);
      const counts = stores().messages.reactionCounts([message.id], u.id).get(message.id);
      assert.deepEqual(counts, [
        { emojiId: null, emojiName: "👍", animated: false, count: 1, me: true },
        { emojiId: null, emojiName: "🎉", animated: false, count: 1, me: true },
      ]);
    });

    it("does not add a reaction to a message of another channel", () => {
      const { guild, owner, message } = scene(0);
      const other = seedChannel(stores(), f, guild.id);
      assert.equal(stores().messages.addReaction(other.id, message.id, { userId: owner.id, ...THUMBS, seq: f.ids.next() }), false);
      assert.equal(stores().messages.countDistinctEmojis(message.id), 0);
    });

    it("counts per emoji, in order of each emoji's first remaining reaction, with `me` for the viewer", () => {
      const { message, users, react } = scene(3);
      const [u1, u2, u3] = users as [User, User, User];
      const custom = { emojiId: f.ids.next(), emojiName: "blobcat", animated: true };
      react(message.id, u1.id, THUMBS);
      react(message.id, u2.id, PARTY);
      react(message.id, u2.id, THUMBS);
      react(message.id, u3.id, custom);
      react(message.id, u1.id, custom);
      const counts = (viewer: UserId) => stores().messages.reactionCounts([message.id], viewer).get(message.id);
      assert.deepEqual(counts(u1.id), [
        { ...THUMBS, count: 2, me: true },
        { ...PARTY, count: 1, me: false },
        { ...custom, count: 2, me: true },
      ]);
      assert.deepEqual(
        counts(u3.id)?.map((count) => count.me),
        [false, false, true],
      );
      // u1's 👍 was the first reaction of all; without it, 👍 starts at u2's later one, after 🎉.
      assert.equal(stores().messages.removeReaction(message.id, emojiKey(THUMBS), u1.id), true);
      assert.equal(stores().messages.removeReaction(message.id, emojiKey(THUMBS), u1.id), false);
      assert.deepEqual(counts(u1.id), [
        { ...PARTY, count: 1, me: false },
        { ...THUMBS, count: 1, me: false },
        { ...custom, count: 2, me: true },
      ]);
    });

    it("keys a custom emoji by its id, whatever its name", () => {
      const { message, users, react } = scene(2);
      const [u1, u2] = users as [User, User];
      const emojiId = f.ids.next();
      react(message.id, u1.id, { emojiId, emojiName: "old_name", animated: false });
      assert.equal(react(message.id, u1.id, { emojiId, emojiName: "new_name", animated: false }), false);
      react(message.id, u2.id, { emojiId, emojiName: "new_name", animated: false });
      assert.equal(stores().messages.countDistinctEmojis(message.id), 1);
      assert.deepEqual(stores().messages.reactionUsers(message.id, emojiId.toString(), { limit: 10 }), [u1.id, u2.id].sort(compare));
      const [only] = stores().messages.reactionCounts([message.id], u1.id).get(message.id) ?? [];
      assert.equal(only?.emojiId, emojiId);
      assert.equal(only?.count, 2);
    });

    it("counts several messages in one call, every asked id present", () => {
      const { channel, owner, message, users, react } = scene(2);
      const [u1, u2] = users as [User, User];
      const second = f.message(channel.id, owner.id);
      const bare = f.message(channel.id, owner.id);
      stores().messages.create(second);
      stores().messages.create(bare);
      react(message.id, u1.id, THUMBS);
      react(second.id, u1.id, PARTY);
      react(second.id, u2.id, PARTY);
      const counts = stores().messages.reactionCounts([message.id, second.id, bare.id], u2.id);
      assert.deepEqual(counts.get(message.id), [{ ...THUMBS, count: 1, me: false }]);
      assert.deepEqual(counts.get(second.id), [{ ...PARTY, count: 2, me: true }]);
      assert.deepEqual(counts.get(bare.id), []);
      assert.equal(stores().messages.reactionCounts([], u1.id).size, 0);
    });

    it("pages the users of one emoji by user id, ascending", () => {
      const { message, users, react } = scene(5);
      for (const user of [...users].reverse()) react(message.id, user.id, THUMBS);
      react(message.id, (users[0] as User).id, PARTY);
      const sorted = users.map((user) => user.id).sort(compare);
      const key = emojiKey(THUMBS);
      assert.deepEqual(stores().messages.reactionUsers(message.id, key, { limit: 2 }), sorted.slice(0, 2));
      assert.deepEqual(stores().messages.reactionUsers(message.id, key, { after: sorted[1], limit: 2 }), sorted.slice(2, 4));
      assert.deepEqual(stores().messages.reactionUsers(message.id, key, { after: sorted[3], limit: 2 }), sorted.slice(4));
      assert.deepEqual(stores().messages.reactionUsers(message.id, key, { after: sorted[4], limit: 2 }), []);
      assert.deepEqual(stores().messages.reactionUsers(message.id, key, { limit: 100 }), sorted);
      assert.deepEqual(stores().messages.reactionUsers(message.id, emojiKey(PARTY), { limit: 100 }), [(users[0] as User).id]);
      assert.deepEqual(stores().messages.reactionUsers(message.id, "🦀", { limit: 100 }), []);
    });

    it("removes one emoji's reactions, or all of them", () => {
      const { message, users, react } = scene(2);
      const [u1, u2] = users as [User, User];
      const custom = { emojiId: f.ids.next(), emojiName: "blobcat", animated: false };
      for (const user of [u1, u2]) {
        react(message.id, user.id, THUMBS);
        react(message.id, user.id, PARTY);
        react(message.id, user.id, custom);
      }
      assert.equal(stores().messages.countDistinctEmojis(message.id), 3);
      stores().messages.removeEmojiReactions(message.id, emojiKey(custom));
      assert.equal(stores().messages.countDistinctEmojis(message.id), 2);
      assert.deepEqual(
        stores()
          .messages.reactionCounts([message.id], u1.id)
          .get(message.id)
          ?.map((count) => count.emojiName),
        ["👍", "🎉"],
      );
      stores().messages.removeAllReactions(message.id);
      assert.equal(stores().messages.countDistinctEmojis(message.id), 0);
      assert.deepEqual(stores().messages.reactionCounts([message.id], u1.id).get(message.id), []);
      // A user can react again after a removal.
      assert.equal(react(message.id, u1.id, THUMBS), true);
    });
  });
}

function compare(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
