/** The behaviour every ReadStateStore backend must show. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { ChannelId } from "../../ids.ts";
import type { ReadState } from "../records.ts";
import { createFixtures, type MakeStores, seedChannel, seedWorld, useStores } from "./fixtures.ts";

const byChannel = (states: ReadState[]) => [...states].sort((a, b) => (a.channelId < b.channelId ? -1 : a.channelId > b.channelId ? 1 : 0));

export function readStateStoreContract(makeStores: MakeStores): void {
  describe("ReadStateStore contract", () => {
    const stores = useStores(makeStores);
    const f = createFixtures();

    function scene() {
      const world = seedWorld(stores(), f);
      const other = seedChannel(stores(), f, world.guild.id);
      const reader = stores().users.create(f.newUser());
      return { ...world, other, reader };
    }
    const state = (channelId: ChannelId, patch: Partial<ReadState> = {}): ReadState => ({
      channelId,
      lastMessageId: null,
      lastPinAt: null,
      mentionCount: 0,
      ...patch,
    });

    it("has no read states for a new user", () => {
      const { reader } = scene();
      assert.deepEqual(stores().readStates.listForUser(reader.id), []);
    });

    it("acks a message, then overwrites it, even backwards", () => {
      const { channel, reader } = scene();
      const [older, newer] = [f.ids.next(), f.ids.next()];
      stores().readStates.ack(reader.id, channel.id, newer, 3);
      assert.deepEqual(stores().readStates.listForUser(reader.id), [state(channel.id, { lastMessageId: newer, mentionCount: 3 })]);
      stores().readStates.ack(reader.id, channel.id, older, 0);
      assert.deepEqual(stores().readStates.listForUser(reader.id), [state(channel.id, { lastMessageId: older })]);
    });

    it("acks pins without touching the message ack, and the other way round", () => {
      const { channel, other, reader } = scene();
      const messageId = f.ids.next();
      stores().readStates.ack(reader.id, channel.id, messageId, 2);
      stores().readStates.ackPins(reader.id, channel.id, 5_000);
      stores().readStates.ackPins(reader.id, other.id, 6_000);
      stores().readStates.ackPins(reader.id, other.id, 7_000);
      assert.deepEqual(byChannel(stores().readStates.listForUser(reader.id)), [
        state(channel.id, { lastMessageId: messageId, mentionCount: 2, lastPinAt: 5_000 }),
        state(other.id, { lastPinAt: 7_000 }),
      ]);
      const later = f.ids.next();
      stores().readStates.ack(reader.id, other.id, later, 1);
      assert.deepEqual(
        byChannel(stores().readStates.listForUser(reader.id)).find((one) => one.channelId === other.id),
        state(other.id, { lastMessageId: later, mentionCount: 1, lastPinAt: 7_000 }),
      );
    });

    it("keeps each user's read states apart", () => {
      const { channel, owner, reader } = scene();
      const messageId = f.ids.next();
      stores().readStates.ack(reader.id, channel.id, messageId, 1);
      stores().readStates.ack(owner.id, channel.id, messageId, 0);
      assert.deepEqual(stores().readStates.listForUser(reader.id), [state(channel.id, { lastMessageId: messageId, mentionCount: 1 })]);
      assert.deepEqual(stores().readStates.listForUser(owner.id), [state(channel.id, { lastMessageId: messageId })]);
    });

    it("clears one channel's read state", () => {
      const { channel, other, reader } = scene();
      const messageId = f.ids.next();
      stores().readStates.ack(reader.id, channel.id, messageId, 1);
      stores().readStates.ack(reader.id, other.id, messageId, 1);
      stores().readStates.clear(reader.id, channel.id);
      assert.deepEqual(stores().readStates.listForUser(reader.id), [state(other.id, { lastMessageId: messageId, mentionCount: 1 })]);
      stores().readStates.clear(reader.id, channel.id); // clearing again is harmless
    });
  });
}
