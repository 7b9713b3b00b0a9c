/** The behaviour every UserGuildSettingsStore backend must show. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { UserGuildSettingsFields } from "../ports.ts";
import { createFixtures, type MakeStores, seedWorld, useStores } from "./fixtures.ts";

const DEFAULTS: UserGuildSettingsFields = {
  messageNotifications: 3,
  muted: false,
  muteConfig: null,
  mobilePush: true,
  suppressEveryone: false,
  suppressRoles: false,
  hideMutedChannels: false,
  channelOverrides: null,
  unreadBadges: null,
};

export function userGuildSettingsStoreContract(makeStores: MakeStores): void {
  describe("UserGuildSettingsStore contract", () => {
    const stores = useStores(makeStores);
    const f = createFixtures();

    it("a first patch writes the defaults with the changes, version 1; every field round-trips", () => {
      const { owner, guild } = seedWorld(stores(), f);
      assert.deepEqual(stores().userGuildSettings.listForUser(owner.id), []);
      const changes: Partial<UserGuildSettingsFields> = {
        muted: true,
        muteConfig: { endTime: 1_900_000_000_000, selectedTimeWindow: 3600 },
        suppressRoles: true,
        channelOverrides: {
          "123": { collapsed: true, messageNotifications: 1, muted: false, muteConfig: null, unreadBadges: 2 },
        },
        unreadBadges: 0,
      };
      const saved = stores().userGuildSettings.patch(owner.id, guild.id, changes, DEFAULTS);
      assert.deepEqual(saved, { ...DEFAULTS, ...changes, guildId: guild.id, version: 1 });
      assert.deepEqual(stores().userGuildSettings.listForUser(owner.id), [saved]);
    });

    it("a later patch changes only what it names and counts the version up", () => {
      const { owner, guild } = seedWorld(stores(), f);
      stores().userGuildSettings.patch(owner.id, guild.id, { muted: true, messageNotifications: 1 }, DEFAULTS);
      const other = { ...DEFAULTS, muted: false, messageNotifications: 0 };
      const second = stores().userGuildSettings.patch(owner.id, guild.id, { suppressEveryone: true }, other);
      assert.equal(second.muted, true, "defaults apply only to a new row");
      assert.equal(second.messageNotifications, 1);
      assert.equal(second.suppressEveryone, true);
      assert.equal(second.version, 2);
      const cleared = stores().userGuildSettings.patch(owner.id, guild.id, { muteConfig: null, channelOverrides: null }, DEFAULTS);
      assert.equal(cleared.version, 3, "null is a change too");
      assert.equal(cleared.muted, true);
    });

    it("keeps the DM entry (guild null) and each guild apart, per user", () => {
      const { owner, guild } = seedWorld(stores(), f);
      const other = stores().users.create(f.newUser());
      const dms = stores().userGuildSettings.patch(owner.id, null, { messageNotifications: 0 }, DEFAULTS);
      assert.equal(dms.guildId, null);
      stores().userGuildSettings.patch(owner.id, guild.id, { muted: true }, DEFAULTS);
      stores().userGuildSettings.patch(other.id, guild.id, { suppressRoles: true }, DEFAULTS);
      const mine = stores().userGuildSettings.listForUser(owner.id);
      assert.deepEqual(
        mine.map((s) => [s.guildId, s.muted, s.messageNotifications]),
        [
          [null, false, 0],
          [guild.id, true, 3],
        ],
      );
      assert.deepEqual(
        stores()
          .userGuildSettings.listForUser(other.id)
          .map((s) => s.suppressRoles),
        [true],
      );
    });
  });
}
