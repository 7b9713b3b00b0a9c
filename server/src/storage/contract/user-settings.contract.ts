/** The behaviour every UserSettingsStore backend must show. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { UserSettings } from "../records.ts";
import { createFixtures, type MakeStores, useStores } from "./fixtures.ts";

/** Settings with every field set, so a backend that drops or mangles one is caught. */
function base(): UserSettings {
  return {
    status: "online",
    statusResetsAt: null,
    statusResetsTo: null,
    theme: "system",
    locale: "en-US",
    restrictedGuilds: [],
    botRestrictedGuilds: [],
    defaultGuildsRestricted: false,
    botDefaultGuildsRestricted: false,
    inlineAttachmentMedia: true,
    inlineEmbedMedia: true,
    gifAutoPlay: true,
    renderEmbeds: true,
    renderReactions: true,
    animateEmoji: true,
    animateStickers: 0,
    renderSpoilers: 1,
    messageDisplayCompact: false,
    friendSourceFlags: 7,
    incomingCallFlags: 8,
    groupDmAddPermissionFlags: 8,
    guildFolders: [{ id: -1, name: null, color: null, flags: 0, icon: "folder", guildIds: [] }],
    customStatus: null,
    afkTimeout: 600,
    timeFormat: 0,
    developerMode: false,
    trustedDomains: [],
    defaultHideMutedChannels: false,
    sensitiveContentFriendDmFilter: 0,
    sensitiveContentNonFriendDmFilter: 2,
    sensitiveContentGuildFilter: 1,
    suppressUnprivilegedSelfMentions: false,
    suppressUnprivilegedSelfMentionsBypassUserIds: [],
    staffDmAccessUserIds: [],
    syncedPreferences: "",
    profilePrivacy: 0,
    defaultShareVoiceActivity: true,
  };
}

export function userSettingsStoreContract(makeStores: MakeStores): void {
  describe("UserSettingsStore contract", () => {
    const stores = useStores(makeStores);
    const f = createFixtures();
    const newUser = () => stores().users.create(f.newUser()).id;

    it("has nothing stored for a new user", () => {
      assert.equal(stores().userSettings.get(newUser()), null);
    });

    it("a first patch stores the defaults with the changes; get reads back the same", () => {
      const id = newUser();
      const saved = stores().userSettings.patch(id, { theme: "dark", restrictedGuilds: [f.ids.next()] }, base());
      assert.deepEqual(saved, { ...base(), theme: "dark", restrictedGuilds: saved.restrictedGuilds });
      assert.equal(saved.restrictedGuilds.length, 1);
      assert.deepEqual(stores().userSettings.get(id), saved);
    });

    it("a later patch changes only what it names, whatever defaults it is given", () => {
      const id = newUser();
      const [g1, g2] = [f.ids.next(), f.ids.next()];
      stores().userSettings.patch(
        id,
        {
          status: "dnd",
          customStatus: { text: "away", expiresAt: 1_900_000_000_000, emojiId: g1, emojiName: "x", emojiAnimated: false },
          guildFolders: [{ id: 3, name: "A", color: 5, flags: 1, icon: "star", guildIds: [g2, g1] }],
        },
        base(),
      );
      const after = stores().userSettings.patch(id, { locale: "fr", statusResetsAt: 42 }, { ...base(), status: "idle", theme: "coal" });
      assert.equal(after.status, "dnd", "stored values win over the defaults given");
      assert.equal(after.theme, "system");
      assert.equal(after.locale, "fr");
      assert.equal(after.statusResetsAt, 42);
      assert.deepEqual(after.customStatus, {
        text: "away",
        expiresAt: 1_900_000_000_000,
        emojiId: g1,
        emojiName: "x",
        emojiAnimated: false,
      });
      assert.deepEqual(after.guildFolders, [{ id: 3, name: "A", color: 5, flags: 1, icon: "star", guildIds: [g2, g1] }]);
      const cleared = stores().userSettings.patch(id, { customStatus: null }, base());
      assert.equal(cleared.customStatus, null, "null is a value, not 'unchanged'");
      assert.equal(cleared.locale, "fr");
    });

    it("an empty patch of a user with settings returns them unchanged", () => {
      const id = newUser();
      const saved = stores().userSettings.patch(id, { developerMode: true }, base());
      assert.deepEqual(stores().userSettings.patch(id, {}, base()), saved);
    });

    it("keeps each user's settings apart", () => {
      const [a, b] = [newUser(), newUser()];
      stores().userSettings.patch(a, { theme: "light" }, base());
      assert.equal(stores().userSettings.get(b), null);
    });
  });
}
