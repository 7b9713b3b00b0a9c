/**
 * The appliance's own facts: who claimed the instance, and the dashboard's totals. The claim is one
 * transaction whose first write is the conditional `owner_user_id` row, so a second claim, even
 * one running at the same time, changes nothing.
 */
import type { ApplianceStore, GuildStore, OwnerClaim, OwnerClaimOutcome } from "../ports.ts";
import type { User } from "../records.ts";
import type { SqliteDatabase } from "./database.ts";
import { type Row, text } from "./mapping.ts";
import { createSqliteUserStore, prepareUserInsert } from "./users.store.ts";

class AlreadyClaimed extends Error {}
class EmailTaken extends Error {}

export function createSqliteApplianceStore(db: SqliteDatabase, guilds: GuildStore): ApplianceStore {
  const users = createSqliteUserStore(db);
  const insertUser = prepareUserInsert(db);
  const claimOwnerRow = db.prepare(`INSERT OR IGNORE INTO instance_meta (key, value) VALUES ('owner_user_id', ?)`);
  // The owner is the first user when nobody registered before (the host's case): registration then gives nobody else admin.
  const claimFirstUser = db.prepare(`INSERT OR IGNORE INTO instance_meta (key, value) VALUES ('first_user_id', ?)`);
  const ownerRow = db.prepare(`SELECT value FROM instance_meta WHERE key = 'owner_user_id'`);
  const emailTaken = db.prepare("SELECT 1 FROM users WHERE email = ?");
  const counts = db.prepare(`SELECT
      (SELECT count(*) FROM users WHERE bot = 0) AS users,
      (SELECT count(*) FROM users WHERE bot = 1) AS bots,
      (SELECT count(*) FROM guilds) AS guilds,
      (SELECT count(*) FROM messages) AS messages`);

  const claim = db.transaction((input: OwnerClaim): User => {
    if (claimOwnerRow.run(input.owner.id.toString()).changes === 0) throw new AlreadyClaimed();
    // Inside the transaction, so it cannot go stale before the insert; a throw undoes the owner row too.
    if (input.owner.email && emailTaken.get(input.owner.email)) throw new EmailTaken();
    claimFirstUser.run(input.owner.id.toString());
    insertUser(input.owner);
    guilds.create(input.community);
    return users.get(input.owner.id) as User;
  });

  return {
    claimOwner(input): OwnerClaimOutcome {
      try {
        return { outcome: "claimed", owner: claim(input) };
      } catch (error) {
        if (error instanceof AlreadyClaimed) return { outcome: "already_claimed" };
        if (error instanceof EmailTaken) return { outcome: "email_taken" };
        throw error;
      }
    },
    owner() {
      const row = ownerRow.get() as Row | undefined;
      return row ? BigInt(text(row.value)) : null;
    },
    figures() {
      const row = counts.get() as Row;
      return { users: Number(row.users), bots: Number(row.bots), guilds: Number(row.guilds), messages: Number(row.messages) };
    },
  };
}
