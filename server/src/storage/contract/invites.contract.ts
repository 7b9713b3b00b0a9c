/** The behaviour every InviteStore backend must show. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Invite } from "../records.ts";
import { createFixtures, type MakeStores, seedChannel, seedWorld, useStores, type World } from "./fixtures.ts";

export function inviteStoreContract(makeStores: MakeStores): void {
  describe("InviteStore contract", () => {
    const stores = useStores(makeStores);
    const f = createFixtures();
    let codes = 0;

    function invite(world: World, overrides: Partial<Invite> = {}): Invite {
      const record: Invite = {
        code: `code${++codes}${f.ids.next().toString(36)}`,
        guildId: world.guild.id,
        channelId: world.channel.id,
        inviterId: world.owner.id,
        maxAge: 86_400,
        maxUses: 0,
        uses: 0,
        temporary: false,
        createdAt: 1_700_000_000_000 + codes,
        expiresAt: null,
        ...overrides,
      };
      stores().invites.create(record);
      return record;
    }

    it("round-trips an invite, and knows no other code", () => {
      const world = seedWorld(stores(), f);
      const made = invite(world, { maxAge: 3_600, maxUses: 5, uses: 1, temporary: true, expiresAt: 1_700_003_600_000 });
      assert.deepEqual(stores().invites.get(made.code), made);
      assert.deepEqual(stores().invites.get(made.code.toUpperCase()), null, "codes are case-sensitive");
      assert.equal(stores().invites.get("nope"), null);
    });

    it("keeps an invite without guild or inviter", () => {
      const world = seedWorld(stores(), f);
      const made = invite(world, { guildId: null, inviterId: null });
      assert.deepEqual(stores().invites.get(made.code), made);
    });

    it("lists a channel's and a guild's invites", () => {
      const world = seedWorld(stores(), f);
      const other = seedChannel(stores(), f, world.guild.id);
      const elsewhere = seedWorld(stores(), f);
      const a = invite(world);
      const b = invite({ ...world, channel: other });
      const c = invite(world);
      invite(elsewhere);
      const codesOf = (invites: Invite[]) => invites.map((one) => one.code).sort();
      assert.deepEqual(codesOf(stores().invites.listForChannel(world.channel.id)), [a.code, c.code].sort());
      assert.deepEqual(codesOf(stores().invites.listForChannel(other.id)), [b.code]);
      assert.deepEqual(codesOf(stores().invites.listForGuild(world.guild.id)), [a.code, b.code, c.code].sort());
      assert.deepEqual(stores().invites.listForChannel(seedChannel(stores(), f, world.guild.id).id), []);
      assert.deepEqual(stores().invites.listForChannel(world.channel.id)[0], stores().invites.get(a.code));
    });

    it("counts uses up to max_uses", () => {
      const world = seedWorld(stores(), f);
      const made = invite(world, { maxUses: 2 });
      assert.equal(stores().invites.use(made.code, 0), true);
      assert.equal(stores().invites.use(made.code, 0), true);
      assert.equal(stores().invites.use(made.code, 0), false);
      assert.equal(stores().invites.get(made.code)?.uses, 2);
    });

    it("never runs out when max_uses is 0", () => {
      const world = seedWorld(stores(), f);
      const made = invite(world, { maxUses: 0 });
      for (let i = 0; i < 25; i++) assert.equal(stores().invites.use(made.code, 0), true);
      assert.equal(stores().invites.get(made.code)?.uses, 25);
    });

    it("stops at its expiry time", () => {
      const world = seedWorld(stores(), f);
      const made = invite(world, { expiresAt: 10_000 });
      assert.equal(stores().invites.use(made.code, 9_999), true);
      assert.equal(stores().invites.use(made.code, 10_000), false, "an invite is expired at its expiry time");
      assert.equal(stores().invites.use(made.code, 20_000), false);
      assert.equal(stores().invites.get(made.code)?.uses, 1, "a refused use is not counted");
      const forever = invite(world, { expiresAt: null });
      assert.equal(stores().invites.use(forever.code, Number.MAX_SAFE_INTEGER), true);
    });

    it("refuses an unknown code", () => {
      assert.equal(stores().invites.use("missing", 0), false);
    });

    it("deletes an invite once", () => {
      const world = seedWorld(stores(), f);
      const made = invite(world);
      assert.equal(stores().invites.delete(made.code), true);
      assert.equal(stores().invites.delete(made.code), false);
      assert.equal(stores().invites.get(made.code), null);
      assert.equal(stores().invites.use(made.code, 0), false);
      assert.deepEqual(stores().invites.listForChannel(world.channel.id), []);
    });
  });
}
