/** The mentions inbox index, part of the MessageStore contract (registered by messageStoreContract). */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { MentionQuery, Stores } from "../ports.ts";
import { ChannelType, type Message } from "../records.ts";
import { type Fixtures, seedChannel, seedWorld } from "./fixtures.ts";

const idsOf = (messages: readonly Message[]) => messages.map((message) => message.id);

export function messageMentionContract(stores: () => Stores, f: Fixtures): void {
  describe("mentions inbox", () => {
    function scene() {
      const world = seedWorld(stores(), f);
      const reader = stores().users.create(f.newUser());
      const role = f.role(world.guild.id);
      stores().roles.create(role);
      const post = (overrides: Partial<Message>, channelId = world.channel.id, authorId = world.owner.id) => {
        const message = f.message(channelId, authorId, overrides);
        stores().messages.create(message);
        return message;
      };
      const inbox = (query: Partial<MentionQuery> = {}) =>
        stores().messages.listMentions({
          userId: reader.id,
          roleIds: [role.id],
          everyoneGuildIds: [world.guild.id],
          privateOnly: false,
          limit: 25,
          ...query,
        });
      return { world, reader, role, post, inbox };
    }

    it("lists direct, role and @everyone mentions newest first, each message once", () => {
      const { reader, role, post, inbox } = scene();
      const direct = post({ mentionUserIds: [reader.id] });
      post({ content: "nothing for the reader" });
      const byRole = post({ mentionRoleIds: [role.id] });
      const everyone = post({ mentionEveryone: true });
      const twice = post({ mentionUserIds: [reader.id], mentionRoleIds: [role.id], mentionEveryone: true });
      assert.deepEqual(idsOf(inbox()), [twice.id, everyone.id, byRole.id, direct.id]);
      assert.deepEqual(inbox()[0], twice, "whole messages come back");
    });

    it("counts only the kinds the query names, pages with before and limit", () => {
      const { reader, role, post, inbox } = scene();
      const direct = post({ mentionUserIds: [reader.id] });
      const byRole = post({ mentionRoleIds: [role.id] });
      const everyone = post({ mentionEveryone: true });
      assert.deepEqual(idsOf(inbox({ roleIds: [], everyoneGuildIds: [] })), [direct.id]);
      assert.deepEqual(idsOf(inbox({ everyoneGuildIds: [] })), [byRole.id, direct.id]);
      assert.deepEqual(idsOf(inbox({ limit: 2 })), [everyone.id, byRole.id]);
      assert.deepEqual(idsOf(inbox({ before: byRole.id })), [direct.id]);
      assert.deepEqual(inbox({ limit: 0 }), []);
    });

    it("leaves out the reader's own messages and, when asked, guild channels", () => {
      const { world, reader, post, inbox } = scene();
      post({ mentionEveryone: true }, world.channel.id, reader.id);
      const dm = f.channel(null, { type: ChannelType.dm, name: null, recipientIds: [world.owner.id, reader.id] });
      stores().channels.create(dm);
      const inGuild = post({ mentionUserIds: [reader.id] });
      const inDm = post({ mentionUserIds: [reader.id] }, dm.id);
      assert.deepEqual(idsOf(inbox()), [inDm.id, inGuild.id]);
      assert.deepEqual(idsOf(inbox({ privateOnly: true })), [inDm.id]);
    });

    it("follows edits that change mentions, and deletes", () => {
      const { world, reader, post, inbox } = scene();
      const a = post({ mentionUserIds: [reader.id] });
      const b = post({});
      stores().messages.update(world.channel.id, a.id, { mentionUserIds: [] });
      stores().messages.update(world.channel.id, b.id, { mentionEveryone: true });
      assert.deepEqual(idsOf(inbox()), [b.id]);
      stores().messages.update(world.channel.id, b.id, { content: "edited, same mentions" });
      assert.deepEqual(idsOf(inbox()), [b.id]);
      stores().messages.delete(world.channel.id, [b.id]);
      assert.deepEqual(inbox(), []);
    });

    it("drops a deleted channel's mentions", () => {
      const { world, reader, post, inbox } = scene();
      const other = seedChannel(stores(), f, world.guild.id);
      post({ mentionUserIds: [reader.id] }, other.id);
      stores().channels.delete(other.id);
      assert.deepEqual(inbox(), []);
    });

    it("dismissing takes a mention out of one user's inbox only; unknown ids are ignored", () => {
      const { world, reader, role, post, inbox } = scene();
      const other = stores().users.create(f.newUser());
      const a = post({ mentionEveryone: true });
      const b = post({ mentionEveryone: true });
      stores().messages.dismissMentions(reader.id, [a.id, a.id, f.ids.next()]);
      assert.deepEqual(idsOf(inbox()), [b.id]);
      const othersInbox = stores().messages.listMentions({
        userId: other.id,
        roleIds: [role.id],
        everyoneGuildIds: [world.guild.id],
        privateOnly: false,
        limit: 25,
      });
      assert.deepEqual(idsOf(othersInbox), [b.id, a.id]);
    });
  });
}
