/** The behaviour every ApplianceStore backend must show: one claim ever, all or nothing. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { UserId } from "../../ids.ts";
import type { OwnerClaim } from "../ports.ts";
import { createFixtures, type MakeStores, useStores } from "./fixtures.ts";

export function applianceStoreContract(makeStores: MakeStores): void {
  describe("ApplianceStore contract", () => {
    const stores = useStores(makeStores);
    const f = createFixtures();
    const claimOf = (email: string): OwnerClaim => {
      const owner = f.newUser({ email, acls: ["admin"] });
      const guild = f.guild(owner.id as UserId);
      return {
        owner,
        community: { guild, everyoneRole: f.everyoneRole(guild.id), channels: [f.channel(guild.id)], owner: f.member(guild.id, owner.id) },
      };
    };

    it("starts unclaimed with nothing counted", () => {
      assert.equal(stores().appliance.owner(), null);
      assert.deepEqual(stores().appliance.figures(), { users: 0, bots: 0, guilds: 0, messages: 0 });
    });

    it("refuses a taken email and leaves the instance unclaimed", () => {
      stores().users.create(f.newUser({ email: "taken@example.test" }));
      const result = stores().appliance.claimOwner(claimOf("TAKEN@example.test"));
      assert.deepEqual(result, { outcome: "email_taken" });
      assert.equal(stores().appliance.owner(), null);
      assert.equal(stores().appliance.figures().guilds, 0);
    });

    it("claims once: the owner, their ACLs and the community exist together; a second claim changes nothing", () => {
      const first = claimOf("owner@example.test");
      const result = stores().appliance.claimOwner(first);
      assert.equal(result.outcome, "claimed");
      assert.equal(stores().appliance.owner(), first.owner.id);
      assert.deepEqual(stores().users.get(first.owner.id)?.acls, ["admin"]);
      assert.equal(stores().guilds.get(first.community.guild.id)?.ownerId, first.owner.id);

      const second = claimOf("second@example.test");
      assert.deepEqual(stores().appliance.claimOwner(second), { outcome: "already_claimed" });
      assert.equal(stores().users.get(second.owner.id), null);
      assert.equal(stores().guilds.get(second.community.guild.id), null);
      assert.deepEqual(stores().appliance.figures(), { users: 2, bots: 0, guilds: 1, messages: 0 });
    });
  });
}
