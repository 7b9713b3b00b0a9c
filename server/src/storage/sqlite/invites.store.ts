import type { InviteStore } from "../ports.ts";
import type { Invite } from "../records.ts";
import type { SqliteDatabase } from "./database.ts";
import { big, bigOrNull, bool, flag, intOrNull, type Row, text } from "./mapping.ts";

function toInvite(row: Row): Invite {
  return {
    code: text(row.code),
    guildId: bigOrNull(row.guild_id),
    channelId: big(row.channel_id),
    inviterId: bigOrNull(row.inviter_id),
    maxAge: Number(row.max_age),
    maxUses: Number(row.max_uses),
    uses: Number(row.uses),
    temporary: bool(row.temporary),
    createdAt: Number(row.created_at),
    expiresAt: intOrNull(row.expires_at),
  };
}

export function createSqliteInviteStore(db: SqliteDatabase): InviteStore {
  const insert =
    db.prepare(`INSERT INTO invites (code, guild_id, channel_id, inviter_id, max_age, max_uses, uses, temporary, created_at, expires_at)
    VALUES (@code, @guildId, @channelId, @inviterId, @maxAge, @maxUses, @uses, @temporary, @createdAt, @expiresAt)`);
  const byCode = db.prepare("SELECT * FROM invites WHERE code = ?");
  const byChannel = db.prepare("SELECT * FROM invites WHERE channel_id = ? ORDER BY created_at, code");
  const byGuild = db.prepare("SELECT * FROM invites WHERE guild_id = ? ORDER BY created_at, code");
  // One statement: two concurrent joins can never both take the last use.
  const use = db.prepare(`UPDATE invites SET uses = uses + 1
    WHERE code = ? AND (max_uses = 0 OR uses < max_uses) AND (expires_at IS NULL OR expires_at > ?)`);
  const remove = db.prepare("DELETE FROM invites WHERE code = ?");
  return {
    create: (invite) => void insert.run({ ...invite, temporary: flag(invite.temporary) }),
    get(code) {
      const row = byCode.get(code) as Row | undefined;
      return row ? toInvite(row) : null;
    },
    listForChannel: (channelId) => (byChannel.all(channelId) as Row[]).map(toInvite),
    listForGuild: (guildId) => (byGuild.all(guildId) as Row[]).map(toInvite),
    use: (code, now) => use.run(code, now).changes === 1,
    delete: (code) => remove.run(code).changes > 0,
  };
}
