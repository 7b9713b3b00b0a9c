/** The behaviour every MemberStore backend must show: memberships, their roles, pages and searches. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { GuildId, UserId } from "../../ids.ts";
import type { Stores } from "../ports.ts";
import type { Member } from "../records.ts";
import { createFixtures, type Fixtures, type MakeStores, seedWorld, useStores } from "./fixtures.ts";

/** A new user who joins the guild; returns the membership as stored. */
function join(
  stores: Stores,
  f: Fixtures,
  guildId: GuildId,
  overrides: Partial<Member> = {},
  user: Parameters<Fixtures["newUser"]>[0] = {},
) {
  const created = stores.users.create(f.newUser(user));
  const member = f.member(guildId, created.id, overrides);
  stores.members.add(member);
  return member;
}

const userIds = (members: Member[]): UserId[] => members.map((member) => member.userId);

export function memberStoreContract(makeStores: MakeStores): void {
  describe("MemberStore contract", () => {
    const stores = useStores(makeStores);
    const f = createFixtures();

    it("round-trips a membership with its roles", () => {
      const { guild } = seedWorld(stores(), f);
      const role = f.role(guild.id);
      stores().roles.create(role);
      const member = join(stores(), f, guild.id, {
        nick: "Nick",
        avatar: "hash",
        roleIds: [role.id],
        joinedAt: 1_700_000_000_000,
        communicationDisabledUntil: 1_800_000_000_000,
        mute: true,
        deaf: true,
      });
      assert.deepEqual(stores().members.get(guild.id, member.userId), member);
      assert.equal(stores().members.get(guild.id, f.ids.next()), null);
      assert.deepEqual(stores().members.getMany(guild.id, [member.userId, f.ids.next()]), [member]);
      assert.deepEqual(stores().members.getMany(guild.id, []), []);
    });

    it("pages members by user id", () => {
      const { guild, owner } = seedWorld(stores(), f);
      const a = join(stores(), f, guild.id);
      const b = join(stores(), f, guild.id);
      const all = stores().members.list(guild.id, { limit: 10 });
      assert.deepEqual(userIds(all), [owner.id, a.userId, b.userId]);
      assert.deepEqual(userIds(stores().members.list(guild.id, { limit: 1, after: owner.id })), [a.userId]);
      assert.deepEqual(stores().members.list(guild.id, { limit: 10, after: b.userId }), []);
    });

    it("patches fields, replaces roles, and adds or removes single roles", () => {
      const { guild } = seedWorld(stores(), f);
      const [r1, r2] = [f.role(guild.id), f.role(guild.id)];
      stores().roles.create(r1);
      stores().roles.create(r2);
      const member = join(stores(), f, guild.id, { nick: "x", communicationDisabledUntil: 5 });
      const patched = stores().members.update(guild.id, member.userId, {
        nick: null,
        communicationDisabledUntil: null,
        mute: true,
        roleIds: [r2.id],
      });
      assert.deepEqual(patched, { ...member, nick: null, communicationDisabledUntil: null, mute: true, roleIds: [r2.id] });
      stores().members.addRole(guild.id, member.userId, r1.id);
      stores().members.addRole(guild.id, member.userId, r1.id); // twice is once
      assert.deepEqual(
        stores().members.get(guild.id, member.userId)?.roleIds,
        [r1.id, r2.id].sort((a, b) => (a < b ? -1 : 1)),
      );
      stores().members.removeRole(guild.id, member.userId, r2.id);
      assert.deepEqual(stores().members.get(guild.id, member.userId)?.roleIds, [r1.id]);
      assert.deepEqual(stores().members.update(guild.id, member.userId, {}).roleIds, [r1.id], "an empty patch keeps the roles");
    });

    it("removes a membership with its roles, and knows a user's guilds", () => {
      const first = seedWorld(stores(), f);
      const second = seedWorld(stores(), f);
      const role = f.role(first.guild.id);
      stores().roles.create(role);
      const member = join(stores(), f, first.guild.id, { roleIds: [role.id] });
      stores().members.add(f.member(second.guild.id, member.userId));
      assert.deepEqual(stores().members.guildIdsForUser(member.userId), [first.guild.id, second.guild.id]);
      stores().members.remove(first.guild.id, member.userId);
      assert.equal(stores().members.get(first.guild.id, member.userId), null);
      assert.deepEqual(stores().members.guildIdsForUser(member.userId), [second.guild.id]);
      stores().members.add(f.member(first.guild.id, member.userId));
      assert.deepEqual(stores().members.get(first.guild.id, member.userId)?.roleIds, [], "rejoining starts without the old roles");
    });

    it("finds members by name prefix", () => {
      const { guild } = seedWorld(stores(), f);
      const alice = join(stores(), f, guild.id, {}, { username: "alice_prefix" });
      join(stores(), f, guild.id, { nick: "zed" }, { username: "bob_prefix", globalName: "Alicia" });
      const nicked = join(stores(), f, guild.id, { nick: "ALIby" }, { username: "carl_prefix" });
      const found = userIds(stores().members.search(guild.id, "ali", 10));
      assert.equal(found.length, 3);
      assert.ok(found.includes(alice.userId) && found.includes(nicked.userId));
      assert.deepEqual(stores().members.search(guild.id, "%", 10), [], "LIKE wildcards are literal");
    });

    it("searches pages with text, role, time and bot filters, and counts every match", () => {
      const { guild, owner } = seedWorld(stores(), f);
      const role = f.role(guild.id);
      const other = f.role(guild.id);
      stores().roles.create(role);
      stores().roles.create(other);
      const ann = join(stores(), f, guild.id, { joinedAt: 1_000, roleIds: [role.id, other.id] }, { username: "annie", createdAt: 100 });
      const bea = join(stores(), f, guild.id, { joinedAt: 2_000, roleIds: [role.id], nick: "Hannah" }, { username: "bea", createdAt: 200 });
      const bot = join(stores(), f, guild.id, { joinedAt: 3_000 }, { username: "annbot", bot: true, createdAt: 300 });
      const page = (query: Partial<Parameters<Stores["members"]["searchPage"]>[1]>) =>
        stores().members.searchPage(guild.id, { sort: "joined_asc", offset: 0, limit: 10, ...query });

      const ann_ = page({ text: "ANN" });
      assert.deepEqual(userIds(ann_.members), [ann.userId, bea.userId, bot.userId], "substring of username or nick, any case");
      assert.equal(ann_.total, 3);
      assert.deepEqual(userIds(page({ text: bea.userId.toString() }).members), [bea.userId], "an exact user id matches");
      assert.deepEqual(userIds(page({ roleIds: [role.id, other.id] }).members), [ann.userId], "every listed role");
      assert.deepEqual(userIds(page({ joinedFrom: 2_000, joinedTo: 3_000 }).members), [bea.userId, bot.userId]);
      assert.deepEqual(userIds(page({ userCreatedFrom: 150, userCreatedTo: 250 }).members), [bea.userId]);
      assert.deepEqual(userIds(page({ bot: true }).members), [bot.userId]);
      assert.equal(page({ bot: false }).total, 3, "the owner and two people");
      const second = page({ text: "ann", limit: 1, offset: 1 });
      assert.deepEqual(userIds(second.members), [bea.userId]);
      assert.equal(second.total, 3, "the total ignores paging");
      assert.deepEqual(userIds(page({ text: "ann", sort: "joined_desc" }).members), [bot.userId, bea.userId, ann.userId]);
      assert.deepEqual(
        userIds(page({ text: "ann", sort: "relevance" }).members),
        [bot.userId, ann.userId, bea.userId],
        "names starting with the text come first, newest first among equals",
      );
      assert.equal(page({ limit: 0 }).members.length, 0);
      assert.equal(page({}).total, 4);
      assert.ok(!userIds(page({ text: "zzz" }).members).includes(owner.id));
      const found = page({ text: "bea" }).members[0];
      assert.deepEqual(found, stores().members.get(guild.id, bea.userId), "results are full memberships");
    });
  });
}
