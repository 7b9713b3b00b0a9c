/** The behaviour every ApplicationStore backend must show. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { UserId } from "../../ids.ts";
import type { NewUser } from "../ports.ts";
import type { Application } from "../records.ts";
import { createFixtures, type MakeStores, seedWorld, useStores } from "./fixtures.ts";

export function applicationStoreContract(makeStores: MakeStores): void {
  describe("ApplicationStore contract", () => {
    const stores = useStores(makeStores);
    const f = createFixtures();

    const application = (ownerId: UserId, overrides: Partial<Application> = {}): Application => ({
      id: f.ids.next(),
      ownerId,
      name: "My app",
      description: null,
      icon: null,
      botUserId: null,
      botPublic: true,
      botRequireCodeGrant: false,
      redirectUris: [],
      flags: 0,
      createdAt: 1_700_000_000_000,
      ...overrides,
    });
    const botUser = (overrides: Partial<NewUser> = {}): NewUser => f.newUser({ bot: true, email: null, ...overrides });
    const owner = () => stores().users.create(f.newUser());

    it("creates an application without a bot", () => {
      const app = application(owner().id, { description: "does things", icon: "abc", redirectUris: ["https://a.test/cb"], flags: 8 });
      assert.deepEqual(stores().applications.create(app, null), app);
      assert.deepEqual(stores().applications.get(app.id), app);
      assert.equal(stores().applications.get(f.ids.next()), null);
    });

    it("creates the bot user with the application, and finds the application by it", () => {
      const app = application(owner().id);
      const bot = botUser();
      const created = stores().applications.create(app, { user: bot, tokenHash: "hash-1" });
      assert.deepEqual(created, { ...app, botUserId: bot.id });
      const user = stores().users.get(bot.id);
      assert.ok(user);
      assert.equal(user.bot, true);
      assert.equal(user.username, bot.username);
      assert.deepEqual(stores().applications.findByBotUser(bot.id), { ...app, botUserId: bot.id, botTokenHash: "hash-1" });
      assert.equal(stores().applications.findByBotUser(app.ownerId), null);
    });

    it("makes the bot user a bot even when the record says otherwise", () => {
      const app = application(owner().id);
      const bot = botUser({ bot: false });
      stores().applications.create(app, { user: bot, tokenHash: "hash" });
      assert.equal(stores().users.get(bot.id)?.bot, true);
    });

    it("creates nothing when the bot user cannot be created", () => {
      const taken = owner();
      const app = application(taken.id);
      const bot = botUser({ username: taken.username, discriminator: taken.discriminator });
      assert.throws(() => stores().applications.create(app, { user: bot, tokenHash: "hash" }));
      assert.equal(stores().applications.get(app.id), null);
      assert.equal(stores().users.get(bot.id), null);
    });

    it("lists an owner's applications, oldest first", () => {
      const [me, someoneElse] = [owner(), owner()];
      const first = application(me.id);
      const second = application(me.id, { name: "Second" });
      stores().applications.create(first, null);
      stores().applications.create(application(someoneElse.id), null);
      stores().applications.create(second, { user: botUser(), tokenHash: "h" });
      assert.deepEqual(
        stores()
          .applications.listForOwner(me.id)
          .map((app) => app.id),
        [first.id, second.id],
      );
      assert.deepEqual(stores().applications.listForOwner(f.ids.next()), []);
    });

    it("updates the patched fields only", () => {
      const app = application(owner().id, { description: "before" });
      stores().applications.create(app, null);
      const patch = {
        name: "Renamed",
        icon: "icon-hash",
        botPublic: false,
        botRequireCodeGrant: true,
        redirectUris: ["https://b.test/cb"],
        flags: 1,
      };
      const expected = { ...app, ...patch };
      assert.deepEqual(stores().applications.update(app.id, patch), expected);
      assert.deepEqual(stores().applications.update(app.id, { description: null }), { ...expected, description: null });
      assert.deepEqual(stores().applications.get(app.id), { ...expected, description: null });
    });

    it("replaces the bot token hash", () => {
      const app = application(owner().id);
      const bot = botUser();
      stores().applications.create(app, { user: bot, tokenHash: "old" });
      stores().applications.setBotTokenHash(app.id, "new");
      assert.equal(stores().applications.findByBotUser(bot.id)?.botTokenHash, "new");
      stores().applications.setClientSecretHash(app.id, "secret");
      assert.deepEqual(stores().applications.get(app.id), { ...app, botUserId: bot.id });
    });

    it("deleting takes the bot out of every guild but keeps its user", () => {
      const world = seedWorld(stores(), f);
      const app = application(world.owner.id);
      const bot = botUser();
      stores().applications.create(app, { user: bot, tokenHash: "h" });
      stores().members.add(f.member(world.guild.id, bot.id));
      assert.ok(stores().members.get(world.guild.id, bot.id));
      stores().applications.delete(app.id);
      assert.equal(stores().applications.get(app.id), null);
      assert.equal(stores().applications.findByBotUser(bot.id), null);
      assert.equal(stores().members.get(world.guild.id, bot.id), null);
      assert.ok(stores().members.get(world.guild.id, world.owner.id), "other members stay");
      assert.equal(stores().users.get(bot.id)?.bot, true);
      stores().applications.delete(app.id); // deleting again is harmless
    });
  });
}
