/** The behaviour every SessionStore backend must show. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { UserId } from "../../ids.ts";
import type { AuthSession } from "../records.ts";
import { createFixtures, type MakeStores, useStores } from "./fixtures.ts";

export function sessionStoreContract(makeStores: MakeStores): void {
  describe("SessionStore contract", () => {
    const stores = useStores(makeStores);
    const f = createFixtures();
    let sessions = 0;

    const session = (userId: UserId, overrides: Partial<AuthSession> = {}): AuthSession => {
      const record: AuthSession = {
        idHash: `hash-${++sessions}`,
        userId,
        createdAt: 1_700_000_000_000 + sessions,
        lastUsedAt: 1_700_000_000_000 + sessions,
        clientOs: "Linux",
        clientBrowser: "Firefox",
        clientPlatform: "web",
        ip: "127.0.0.1",
        ...overrides,
      };
      stores().sessions.create(record);
      return record;
    };
    const user = () => stores().users.create(f.newUser()).id;

    it("round-trips a session, with or without client details", () => {
      const full = session(user());
      const bare = session(user(), { clientOs: null, clientBrowser: null, clientPlatform: null, ip: null });
      assert.deepEqual(stores().sessions.get(full.idHash), full);
      assert.deepEqual(stores().sessions.get(bare.idHash), bare);
      assert.equal(stores().sessions.get("unknown"), null);
    });

    it("touches the last use time", () => {
      const made = session(user());
      stores().sessions.touch(made.idHash, 1_800_000_000_000);
      assert.deepEqual(stores().sessions.get(made.idHash), { ...made, lastUsedAt: 1_800_000_000_000 });
    });

    it("lists a user's sessions oldest first", () => {
      const owner = user();
      const first = session(owner, { createdAt: 1 });
      const second = session(owner, { createdAt: 2 });
      session(user());
      assert.deepEqual(stores().sessions.listForUser(owner), [first, second]);
      assert.deepEqual(stores().sessions.listForUser(f.ids.next()), []);
    });

    it("deletes only the user's own sessions and counts them", () => {
      const owner = user();
      const stranger = user();
      const mine = session(owner);
      const theirs = session(stranger);
      assert.equal(stores().sessions.delete([mine.idHash, theirs.idHash, "unknown"], owner), 1);
      assert.equal(stores().sessions.get(mine.idHash), null);
      assert.deepEqual(stores().sessions.get(theirs.idHash), theirs, "another user's session is untouched");
      assert.equal(stores().sessions.delete([], owner), 0);
    });
  });
}
