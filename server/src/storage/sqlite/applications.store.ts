import type { ApplicationId } from "../../ids.ts";
import type { ApplicationStore, NewUser } from "../ports.ts";
import type { Application } from "../records.ts";
import type { SqliteDatabase } from "./database.ts";
import { big, bigOrNull, bool, flag, type Row, setClause, statementCache, stringList, text, textOrNull, toJson } from "./mapping.ts";
import { prepareUserInsert } from "./users.store.ts";

const APPLICATION_COLUMNS: Record<string, string> = {
  name: "name",
  description: "description",
  icon: "icon",
  botPublic: "bot_public",
  botRequireCodeGrant: "bot_require_code_grant",
  redirectUris: "redirect_uris",
  flags: "flags",
};

function toApplication(row: Row): Application {
  return {
    id: big(row.id),
    ownerId: big(row.owner_id),
    name: text(row.name),
    description: textOrNull(row.description),
    icon: textOrNull(row.icon),
    botUserId: bigOrNull(row.bot_user_id),
    botPublic: bool(row.bot_public),
    botRequireCodeGrant: bool(row.bot_require_code_grant),
    redirectUris: stringList(row.redirect_uris),
    flags: Number(row.flags),
    createdAt: Number(row.created_at),
  };
}

export function createSqliteApplicationStore(db: SqliteDatabase): ApplicationStore {
  const sql = statementCache(db);
  const insertUser = prepareUserInsert(db);
  const insertApplication = db.prepare(`INSERT INTO applications (id, owner_id, name, description, icon, bot_user_id, bot_token_hash,
    bot_public, bot_require_code_grant, redirect_uris, flags, created_at)
    VALUES (@id, @owner_id, @name, @description, @icon, @bot_user_id, @bot_token_hash, @bot_public, @bot_require_code_grant,
    @redirect_uris, @flags, @created_at)`);
  const byId = db.prepare("SELECT * FROM applications WHERE id = ?");
  const byOwner = db.prepare("SELECT * FROM applications WHERE owner_id = ? ORDER BY id");
  const byBotUser = db.prepare("SELECT * FROM applications WHERE bot_user_id = ?");
  const setBotToken = db.prepare("UPDATE applications SET bot_token_hash = ? WHERE id = ?");
  const setClientSecret = db.prepare("UPDATE applications SET client_secret_hash = ? WHERE id = ?");
  const botUserOf = db.prepare("SELECT bot_user_id FROM applications WHERE id = ?");
  const deleteApplication = db.prepare("DELETE FROM applications WHERE id = ?");
  const deleteMemberships = db.prepare("DELETE FROM members WHERE user_id = ?"); // member_roles cascade

  const createTx = db.transaction((app: Application, bot: { user: NewUser; tokenHash: string } | null) => {
    // The bot user row is always flagged a bot, whatever the record says.
    if (bot) insertUser({ ...bot.user, bot: true });
    insertApplication.run({
      id: app.id,
      owner_id: app.ownerId,
      name: app.name,
      description: app.description,
      icon: app.icon,
      bot_user_id: bot ? bot.user.id : app.botUserId,
      bot_token_hash: bot ? bot.tokenHash : null,
      bot_public: flag(app.botPublic),
      bot_require_code_grant: flag(app.botRequireCodeGrant),
      redirect_uris: toJson(app.redirectUris),
      flags: app.flags,
      created_at: app.createdAt,
    });
    return toApplication(byId.get(app.id) as Row);
  });

  // The bot user row stays: its messages still name it as their author.
  const deleteTx = db.transaction((id: ApplicationId) => {
    const row = botUserOf.get(id) as Row | undefined;
    if (!row) return;
    deleteApplication.run(id);
    const botUserId = bigOrNull(row.bot_user_id);
    if (botUserId !== null) deleteMemberships.run(botUserId);
  });

  return {
    create: (app, bot) => createTx(app, bot),
    get(id) {
      const row = byId.get(id) as Row | undefined;
      return row ? toApplication(row) : null;
    },
    listForOwner: (ownerId) => (byOwner.all(ownerId) as Row[]).map(toApplication),
    findByBotUser(botUserId) {
      const row = byBotUser.get(botUserId) as Row | undefined;
      return row ? { ...toApplication(row), botTokenHash: textOrNull(row.bot_token_hash) } : null;
    },
    update(id, patch) {
      const { sql: set, values } = setClause(patch, APPLICATION_COLUMNS);
      if (set) sql(`UPDATE applications SET ${set} WHERE id = @id`).run({ ...values, id });
      const row = byId.get(id) as Row | undefined;
      if (!row) throw new Error(`application ${id} not found`);
      return toApplication(row);
    },
    setBotTokenHash: (id, tokenHash) => void setBotToken.run(tokenHash, id),
    setClientSecretHash: (id, secretHash) => void setClientSecret.run(secretHash, id),
    delete: (id) => deleteTx(id),
  };
}
