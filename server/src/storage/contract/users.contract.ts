/** The behaviour every UserStore backend must show. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { createFixtures, type MakeStores, useStores } from "./fixtures.ts";

export function userStoreContract(makeStores: MakeStores): void {
  describe("UserStore contract", () => {
    const stores = useStores(makeStores);
    const f = createFixtures();

    it("round-trips every field and knows no other id", () => {
      const user = f.newUser({
        globalName: "Global",
        avatar: "a1",
        banner: "b1",
        bio: "hello",
        pronouns: "they/them",
        accentColor: 0x123456,
        flags: 4,
        acls: ["something"],
        passwordHash: "hash",
      });
      const created = stores().users.create(user);
      assert.deepEqual(created, f.userOf(user));
      assert.deepEqual(stores().users.get(user.id), created);
      assert.equal(stores().users.get(f.ids.next()), null);
    });

    it("gives the first non-bot user the first-user ACLs, once", () => {
      const bot = stores().users.create(f.newUser({ bot: true, email: null }), ["admin"]);
      assert.deepEqual(bot.acls, [], "a bot is never the first user");
      const first = stores().users.create(f.newUser({ acls: ["x"] }), ["admin"]);
      assert.deepEqual(first.acls, ["x", "admin"]);
      const second = stores().users.create(f.newUser(), ["admin"]);
      assert.deepEqual(second.acls, []);
    });

    it("gets many users in the order asked, skipping unknown and repeated ids", () => {
      const a = stores().users.create(f.newUser());
      const b = stores().users.create(f.newUser());
      const found = stores().users.getMany([b.id, f.ids.next(), a.id, b.id]);
      assert.deepEqual([...found.keys()], [b.id, a.id]);
      assert.deepEqual(found.get(a.id), a);
      assert.equal(stores().users.getMany([]).size, 0);
    });

    it("finds users by email (any case) and by tag, and lists taken discriminators", () => {
      const user = stores().users.create(
        f.newUser({ email: "Mixed.Case@Example.test", username: "tagged", discriminator: "0042", passwordHash: "h" }),
      );
      stores().users.create(f.newUser({ username: "tagged", discriminator: "0007" }));
      assert.deepEqual(stores().users.findByEmail("mixed.case@example.test"), { ...user, passwordHash: "h" });
      assert.equal(stores().users.findByEmail("nobody@example.test"), null);
      assert.deepEqual(stores().users.findByTag("tagged", "0042"), user);
      assert.equal(stores().users.findByTag("tagged", "0001"), null);
      assert.deepEqual([...stores().users.takenDiscriminators("tagged")].sort(), ["0007", "0042"]);
      assert.equal(stores().users.takenDiscriminators("untaken").size, 0);
    });

    it("refuses a second account with the same email or tag", () => {
      stores().users.create(f.newUser({ email: "dupe@example.test", username: "dupe", discriminator: "0001" }));
      assert.throws(() => stores().users.create(f.newUser({ email: "DUPE@example.test" })));
      assert.throws(() => stores().users.create(f.newUser({ username: "dupe", discriminator: "0001" })));
    });

    it("patches fields and the password hash", () => {
      const user = stores().users.create(f.newUser({ passwordHash: "old" }));
      const updated = stores().users.update(user.id, {
        globalName: "New",
        bio: null,
        acls: ["a", "b"],
        flags: 8,
        passwordHash: "new",
        passwordChangedAt: 1_800_000_000_000,
      });
      assert.deepEqual(updated, {
        ...user,
        globalName: "New",
        bio: null,
        acls: ["a", "b"],
        flags: 8,
        passwordChangedAt: 1_800_000_000_000,
      });
      assert.equal(stores().users.passwordHash(user.id), "new");
      assert.equal(stores().users.passwordHash(f.ids.next()), null);
      assert.deepEqual(stores().users.update(user.id, {}), updated);
    });
  });
}
