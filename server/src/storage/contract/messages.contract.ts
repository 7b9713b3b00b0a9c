/** The behaviour every MessageStore backend must show: history pages, edits, deletes, pins. Reactions: message-reactions.contract.ts. */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { MessageId } from "../../ids.ts";
import type { MessagePage, Stores } from "../ports.ts";
import type { Message } from "../records.ts";
import { createFixtures, type Fixtures, type MakeStores, seedChannel, seedWorld, useStores, type World } from "./fixtures.ts";
import { messageMentionContract } from "./message-mentions.contract.ts";
import { messageReactionContract } from "./message-reactions.contract.ts";

const idsOf = (messages: readonly Message[]) => messages.map((message) => message.id);

/** Posts `count` messages in order (ascending ids) and returns them oldest first. */
export function postMessages(stores: Stores, f: Fixtures, world: World, count: number): Message[] {
  const posted: Message[] = [];
  for (let i = 0; i < count; i++) {
    const message = f.message(world.channel.id, world.owner.id, { content: `message ${i}` });
    stores.messages.create(message);
    posted.push(message);
  }
  return posted;
}

export function messageStoreContract(makeStores: MakeStores): void {
  describe("MessageStore contract", () => {
    const stores = useStores(makeStores);
    const f = createFixtures();

    describe("create and get", () => {
      it("round-trips every field, attachments in order", () => {
        const world = seedWorld(stores(), f);
        const replied = f.message(world.channel.id, world.owner.id);
        stores().messages.create(replied);
        const first = f.attachment({ title: "first", description: "alt text" });
        const second = f.attachment({ contentType: null, width: null, height: null });
        const message = f.message(world.channel.id, world.owner.id, {
          type: 19,
          content: "hi <@1> and <@&2>",
          flags: 4,
          tts: true,
          mentionEveryone: true,
          mentionUserIds: [world.owner.id, 9_223_372_036_854_775_807n],
          mentionRoleIds: [world.guild.id as bigint],
          nonce: "nonce-1",
          editedAt: 1_700_000_000_000,
          reference: { channelId: world.channel.id, messageId: replied.id, guildId: world.guild.id, type: 0 },
          attachments: [first, second],
        });
        stores().messages.create(message);
        assert.deepEqual(stores().messages.get(world.channel.id, message.id), message);
        assert.deepEqual(stores().messages.get(world.channel.id, replied.id), replied);
      });

      it("finds a message only in its own channel", () => {
        const world = seedWorld(stores(), f);
        const other = seedChannel(stores(), f, world.guild.id);
        const message = f.message(world.channel.id, world.owner.id);
        stores().messages.create(message);
        assert.equal(stores().messages.get(other.id, message.id), null);
        assert.equal(stores().messages.get(world.channel.id, f.ids.next()), null);
      });

      it("moves the channel's last message id", () => {
        const world = seedWorld(stores(), f);
        assert.equal(stores().channels.get(world.channel.id)?.lastMessageId, null);
        const [, last] = postMessages(stores(), f, world, 2);
        assert.equal(stores().channels.get(world.channel.id)?.lastMessageId, last?.id);
      });

      it("getMany returns the existing messages of the channel, with attachments, keyed by id", () => {
        const world = seedWorld(stores(), f);
        const other = seedChannel(stores(), f, world.guild.id);
        const withFile = f.message(world.channel.id, world.owner.id, { attachments: [f.attachment()] });
        const plain = f.message(world.channel.id, world.owner.id);
        const elsewhere = f.message(other.id, world.owner.id);
        for (const message of [withFile, plain, elsewhere]) stores().messages.create(message);
        const found = stores().messages.getMany(world.channel.id, [plain.id, f.ids.next(), withFile.id, elsewhere.id, plain.id]);
        assert.deepEqual([...found.keys()], [plain.id, withFile.id]);
        assert.deepEqual(found.get(withFile.id), withFile);
        assert.deepEqual(found.get(plain.id), plain);
        assert.equal(stores().messages.getMany(world.channel.id, []).size, 0);
      });

      it("getAttachment finds an attachment only through its message's channel, and not after the message is deleted", () => {
        const world = seedWorld(stores(), f);
        const other = seedChannel(stores(), f, world.guild.id);
        const file = f.attachment({ title: "kept" });
        const message = f.message(world.channel.id, world.owner.id, { attachments: [f.attachment(), file] });
        stores().messages.create(message);
        assert.deepEqual(stores().messages.getAttachment(world.channel.id, file.id), file);
        assert.equal(stores().messages.getAttachment(other.id, file.id), null);
        assert.equal(stores().messages.getAttachment(world.channel.id, f.ids.next()), null);
        stores().messages.delete(world.channel.id, [message.id]);
        assert.equal(stores().messages.getAttachment(world.channel.id, file.id), null);
      });
    });

    describe("attachment storage keys", () => {
      it("lists the keys of every attachment in a channel, or in all channels of a guild, and no others", () => {
        const world = seedWorld(stores(), f);
        const other = seedChannel(stores(), f, world.guild.id);
        const elsewhere = seedWorld(stores(), f);
        const [a, b, c, d] = [f.attachment(), f.attachment(), f.attachment(), f.attachment()];
        stores().messages.create(f.message(world.channel.id, world.owner.id, { attachments: [a, b] }));
        stores().messages.create(f.message(world.channel.id, world.owner.id));
        stores().messages.create(f.message(other.id, world.owner.id, { attachments: [c] }));
        stores().messages.create(f.message(elsewhere.channel.id, elsewhere.owner.id, { attachments: [d] }));
        const sorted = (keys: string[]) => [...keys].sort();
        assert.deepEqual(sorted(stores().messages.attachmentKeysInChannel(world.channel.id)), sorted([a.storageKey, b.storageKey]));
        assert.deepEqual(stores().messages.attachmentKeysInChannel(other.id), [c.storageKey]);
        assert.deepEqual(sorted(stores().messages.attachmentKeysInGuild(world.guild.id)), sorted([a, b, c].map((x) => x.storageKey)));
        assert.deepEqual(stores().messages.attachmentKeysInGuild(f.ids.next()), []);
        assert.deepEqual(stores().messages.attachmentKeysInChannel(f.ids.next()), []);
      });
    });

    describe("list", () => {
      // Ten messages m0..m9 in one channel, plus noise in a second channel of the same guild.
      let world: World;
      const m: Message[] = [];
      const page = (query: MessagePage) => idsOf(stores().messages.list(world.channel.id, query));
      const id = (index: number): MessageId => (m[index] as Message).id;
      const at = (...indexes: number[]): MessageId[] => indexes.map(id);
      before(() => {
        world = seedWorld(stores(), f);
        const noise = seedChannel(stores(), f, world.guild.id);
        for (let i = 0; i < 10; i++) {
          const message = f.message(world.channel.id, world.owner.id, {
            content: `m${i}`,
            attachments: i % 3 === 0 ? [f.attachment()] : [],
          });
          stores().messages.create(message);
          m.push(message);
          stores().messages.create(f.message(noise.id, world.owner.id));
        }
      });

      it("without a cursor returns the newest messages, newest first", () => {
        assert.deepEqual(page({ limit: 3 }), at(9, 8, 7));
        assert.deepEqual(page({ limit: 50 }), at(9, 8, 7, 6, 5, 4, 3, 2, 1, 0));
        assert.deepEqual(page({ limit: 1 }), at(9));
      });

      it("returns nothing for a limit of zero", () => {
        assert.deepEqual(page({ limit: 0 }), []);
        assert.deepEqual(page({ before: id(5), limit: 0 }), []);
        assert.deepEqual(page({ after: id(5), limit: 0 }), []);
        assert.deepEqual(page({ around: id(5), limit: 0 }), []);
      });

      it("loads each message's attachments", () => {
        assert.deepEqual(stores().messages.list(world.channel.id, { limit: 10 }), [...m].reverse());
      });

      it("before: the newest messages older than the id, newest first", () => {
        assert.deepEqual(page({ before: id(5), limit: 3 }), at(4, 3, 2));
        assert.deepEqual(page({ before: id(2), limit: 50 }), at(1, 0));
        assert.deepEqual(page({ before: id(0), limit: 50 }), []);
      });

      it("before: paging backwards visits every message once", () => {
        const seen: MessageId[] = [];
        let cursor: MessageId | undefined;
        for (;;) {
          const batch = page(cursor === undefined ? { limit: 4 } : { before: cursor, limit: 4 });
          if (batch.length === 0) break;
          seen.push(...batch);
          cursor = batch[batch.length - 1];
        }
        assert.deepEqual(seen, at(9, 8, 7, 6, 5, 4, 3, 2, 1, 0));
      });

      it("after: the oldest messages newer than the id, newest first", () => {
        assert.deepEqual(page({ after: id(2), limit: 3 }), at(5, 4, 3));
        assert.deepEqual(page({ after: id(7), limit: 50 }), at(9, 8));
        assert.deepEqual(page({ after: id(9), limit: 50 }), []);
        assert.deepEqual(page({ after: 0n, limit: 2 }), at(1, 0));
      });

      it("after: paging forwards visits every message once", () => {
        const seen: MessageId[] = [];
        let cursor: MessageId = 0n;
        for (;;) {
          const batch = page({ after: cursor, limit: 4 });
          if (batch.length === 0) break;
          seen.push(...[...batch].reverse());
          cursor = batch[0] as MessageId;
        }
        assert.deepEqual(seen, at(0, 1, 2, 3, 4, 5, 6, 7, 8, 9));
      });

      it("around: the message with ceil(limit/2) at or after it and floor(limit/2) before it, newest first", () => {
        assert.deepEqual(page({ around: id(5), limit: 5 }), at(7, 6, 5, 4, 3));
        assert.deepEqual(page({ around: id(5), limit: 4 }), at(6, 5, 4, 3));
        assert.deepEqual(page({ around: id(5), limit: 1 }), at(5));
        assert.deepEqual(page({ around: id(5), limit: 2 }), at(5, 4));
      });

      it("around: near either end returns only what exists", () => {
        assert.deepEqual(page({ around: id(9), limit: 5 }), at(9, 8, 7));
        assert.deepEqual(page({ around: id(0), limit: 5 }), at(2, 1, 0));
        assert.deepEqual(page({ around: id(4), limit: 100 }), at(9, 8, 7, 6, 5, 4, 3, 2, 1, 0));
      });

      it("around: an id that is not a message still centres the page on it", () => {
        // Every id between m4 and m5 sorts after m4 and before m5.
        const between = id(4) + 1n;
        assert.ok(between < id(5));
        assert.deepEqual(page({ around: between, limit: 4 }), at(6, 5, 4, 3));
      });

      it("never returns another channel's messages", () => {
        const world = seedWorld(stores(), f);
        const empty = seedChannel(stores(), f, world.guild.id);
        postMessages(stores(), f, world, 3);
        assert.deepEqual(stores().messages.list(empty.id, { limit: 50 }), []);
      });
    });

    describe("update", () => {
      it("changes only the patched fields and returns the message", () => {
        const world = seedWorld(stores(), f);
        const message = f.message(world.channel.id, world.owner.id, { attachments: [f.attachment()], nonce: "n" });
        stores().messages.create(message);
        const updated = stores().messages.update(world.channel.id, message.id, {
          content: "edited",
          editedAt: 1_700_000_000_001,
          mentionUserIds: [world.owner.id],
          mentionEveryone: true,
        });
        const expected = {
          ...message,
          content: "edited",
          editedAt: 1_700_000_000_001,
          mentionUserIds: [world.owner.id],
          mentionEveryone: true,
        };
        assert.deepEqual(updated, expected);
        assert.deepEqual(stores().messages.get(world.channel.id, message.id), expected);
        assert.deepEqual(stores().messages.update(world.channel.id, message.id, {}), expected);
      });
    });

    describe("delete", () => {
      it("returns the ids that existed in the channel and removes those messages", () => {
        const world = seedWorld(stores(), f);
        const other = seedChannel(stores(), f, world.guild.id);
        const [a, b, c] = postMessages(stores(), f, world, 3) as [Message, Message, Message];
        const elsewhere = f.message(other.id, world.owner.id);
        stores().messages.create(elsewhere);
        const deleted = stores().messages.delete(world.channel.id, [c.id, f.ids.next(), a.id, elsewhere.id]);
        assert.deepEqual(new Set(deleted), new Set([a.id, c.id]));
        assert.deepEqual(idsOf(stores().messages.list(world.channel.id, { limit: 50 })), [b.id]);
        assert.ok(stores().messages.get(other.id, elsewhere.id), "another channel's message survives");
        assert.deepEqual(stores().messages.delete(world.channel.id, [a.id]), []);
        assert.deepEqual(stores().messages.delete(world.channel.id, []), []);
      });

      it("takes the message's reactions and attachments with it", () => {
        const world = seedWorld(stores(), f);
        const message = f.message(world.channel.id, world.owner.id, { attachments: [f.attachment()] });
        stores().messages.create(message);
        stores().messages.addReaction(world.channel.id, message.id, {
          userId: world.owner.id,
          emojiId: null,
          emojiName: "👍",
          animated: false,
          seq: f.ids.next(),
        });
        assert.deepEqual(stores().messages.delete(world.channel.id, [message.id]), [message.id]);
        assert.deepEqual(stores().messages.reactionCounts([message.id], world.owner.id).get(message.id) ?? [], []);
        assert.equal(stores().messages.countDistinctEmojis(message.id), 0);
        assert.deepEqual(stores().messages.reactionUsers(message.id, "👍", { limit: 10 }), []);
        // Storing the same message again shows no leftover reaction or attachment.
        stores().messages.create(message);
        assert.deepEqual(stores().messages.get(world.channel.id, message.id), message);
        assert.equal(stores().messages.countDistinctEmojis(message.id), 0);
      });
    });

    describe("pins", () => {
      it("lists pinned messages by pin time, newest first, paged by pin time", () => {
        const world = seedWorld(stores(), f);
        const [a, b, c, d] = postMessages(stores(), f, world, 4) as [Message, Message, Message, Message];
        // Pin order differs from message order on purpose.
        stores().messages.setPinned(world.channel.id, c.id, 1_000);
        stores().messages.setPinned(world.channel.id, a.id, 2_000);
        stores().messages.setPinned(world.channel.id, d.id, 3_000);
        const pinnedIds = (query: { before?: number; limit: number }) => idsOf(stores().messages.listPinned(world.channel.id, query));
        assert.deepEqual(pinnedIds({ limit: 50 }), [d.id, a.id, c.id]);
        assert.deepEqual(pinnedIds({ limit: 2 }), [d.id, a.id]);
        assert.deepEqual(pinnedIds({ before: 3_000, limit: 50 }), [a.id, c.id]);
        assert.deepEqual(pinnedIds({ before: 1_000, limit: 50 }), []);
        assert.equal(stores().messages.countPinned(world.channel.id), 3);
        assert.equal(stores().messages.get(world.channel.id, a.id)?.pinnedAt, 2_000);
        assert.equal(stores().messages.get(world.channel.id, b.id)?.pinnedAt, null);
        assert.equal(stores().channels.get(world.channel.id)?.lastPinAt, 3_000);
      });

      it("unpinning removes the message from the pins", () => {
        const world = seedWorld(stores(), f);
        const [a, b] = postMessages(stores(), f, world, 2) as [Message, Message];
        stores().messages.setPinned(world.channel.id, a.id, 1_000);
        stores().messages.setPinned(world.channel.id, b.id, 2_000);
        stores().messages.setPinned(world.channel.id, b.id, null);
        assert.deepEqual(idsOf(stores().messages.listPinned(world.channel.id, { limit: 50 })), [a.id]);
        assert.equal(stores().messages.countPinned(world.channel.id), 1);
        assert.equal(stores().messages.get(world.channel.id, b.id)?.pinnedAt, null);
        assert.equal(stores().channels.get(world.channel.id)?.lastPinAt, 2_000, "unpinning keeps the last pin time");
      });

      it("pinning a message of another channel changes nothing", () => {
        const world = seedWorld(stores(), f);
        const other = seedChannel(stores(), f, world.guild.id);
        const [a] = postMessages(stores(), f, world, 1) as [Message];
        stores().messages.setPinned(other.id, a.id, 5_000);
        assert.equal(stores().messages.countPinned(other.id), 0);
        assert.equal(stores().messages.get(world.channel.id, a.id)?.pinnedAt, null);
        assert.equal(stores().channels.get(other.id)?.lastPinAt, null);
      });
    });

    messageReactionContract(stores, f);
    messageMentionContract(stores, f);
  });
}
