import type { UserId } from "../../ids.ts";
import type { InstanceStore, NewUser, SessionStore, UserStore } from "../ports.ts";
import type { AuthSession, User } from "../records.ts";
import type { SqliteDatabase } from "./database.ts";
import { big, bool, flag, intOrNull, type Row, setClause, statementCache, stringList, text, textOrNull, toJson } from "./mapping.ts";

const USER_COLUMNS: Record<string, string> = {
  username: "username",
  discriminator: "discriminator",
  globalName: "global_name",
  email: "email",
  avatar: "avatar",
  banner: "banner",
  bio: "bio",
  pronouns: "pronouns",
  accentColor: "accent_color",
  flags: "flags",
  acls: "acls",
  passwordHash: "password_hash",
  passwordChangedAt: "password_changed_at",
};

function toUser(row: Row): User {
  return {
    id: big(row.id),
    username: text(row.username),
    discriminator: text(row.discriminator),
    globalName: textOrNull(row.global_name),
    email: textOrNull(row.email),
    avatar: textOrNull(row.avatar),
    banner: textOrNull(row.banner),
    bio: textOrNull(row.bio),
    pronouns: textOrNull(row.pronouns),
    accentColor: intOrNull(row.accent_color),
    flags: Number(row.flags),
    bot: bool(row.bot),
    system: bool(row.system),
    acls: stringList(row.acls),
    createdAt: Number(row.created_at),
    passwordChangedAt: intOrNull(row.password_changed_at),
  };
}

/** The users-row insert, shared with the application store (which writes bot users in its own transaction). */
export function prepareUserInsert(db: SqliteDatabase): (user: NewUser, acls?: string[]) => void {
  const insert = db.prepare(`INSERT INTO users (id, username, discriminator, global_name, email, password_hash, avatar, banner, bio,
    pronouns, accent_color, flags, bot, system, acls, created_at, password_changed_at)
    VALUES (@id, @username, @discriminator, @global_name, @email, @password_hash, @avatar, @banner, @bio,
    @pronouns, @accent_color, @flags, @bot, @system, @acls, @created_at, @created_at)`);
  return (user, acls = user.acls) => {
    insert.run({
      id: user.id,
      username: user.username,
      discriminator: user.discriminator,
      global_name: user.globalName,
      email: user.email,
      password_hash: user.passwordHash,
      avatar: user.avatar,
      banner: user.banner,
      bio: user.bio,
      pronouns: user.pronouns,
      accent_color: user.accentColor,
      flags: user.flags,
      bot: flag(user.bot),
      system: flag(user.system),
      acls: toJson(acls),
      created_at: user.createdAt,
    });
  };
}

export function createSqliteUserStore(db: SqliteDatabase): UserStore {
  const sql = statementCache(db);
  const insertUser = prepareUserInsert(db);
  const claimFirst = db.prepare(`INSERT OR IGNORE INTO instance_meta (key, value) VALUES ('first_user_id', ?)`);
  const byId = db.prepare("SELECT * FROM users WHERE id = ?");
  const createTx = db.transaction((user: NewUser, firstUserAcls?: string[]) => {
    let acls = user.acls;
    if (firstUserAcls && !user.bot && claimFirst.run(user.id.toString()).changes === 1) acls = [...acls, ...firstUserAcls];
    insertUser(user, acls);
    return toUser(byId.get(user.id) as Row);
  });
  return {
    create: (user, firstUserAcls) => createTx(user, firstUserAcls),
    get(id) {
      const row = byId.get(id) as Row | undefined;
      return row ? toUser(row) : null;
    },
    getMany(ids) {
      const found = new Map<UserId, User>();
      if (ids.length === 0) return found;
      const unique = [...new Set(ids)];
      for (let i = 0; i < unique.length; i += 500) {
        const chunk = unique.slice(i, i + 500);
        const rows = sql(`SELECT * FROM users WHERE id IN (${chunk.map(() => "?").join(",")})`).all(...chunk) as Row[];
        for (const row of rows) found.set(big(row.id), toUser(row));
      }
      // Return in the order asked for, so callers can rely on it.
      return new Map(unique.filter((id) => found.has(id)).map((id) => [id, found.get(id) as User]));
    },
    findByEmail(email) {
      const row = sql("SELECT * FROM users WHERE email = ?").get(email) as Row | undefined;
      return row ? { ...toUser(row), passwordHash: textOrNull(row.password_hash) } : null;
    },
    findByTag(username, discriminator) {
      const row = sql("SELECT * FROM users WHERE username = ? AND discriminator = ?").get(username, discriminator) as Row | undefined;
      return row ? toUser(row) : null;
    },
    takenDiscriminators(username) {
      const rows = sql("SELECT discriminator FROM users WHERE username = ?").all(username) as Row[];
      return new Set(rows.map((row) => text(row.discriminator)));
    },
    passwordHash(id) {
      const row = sql("SELECT password_hash FROM users WHERE id = ?").get(id) as Row | undefined;
      return row ? textOrNull(row.password_hash) : null;
    },
    update(id, patch) {
      const { sql: set, values } = setClause(patch, USER_COLUMNS);
      if (set) sql(`UPDATE users SET ${set} WHERE id = @id`).run({ ...values, id });
      return toUser(byId.get(id) as Row);
    },
  };
}

function toSession(row: Row): AuthSession {
  return {
    idHash: text(row.id_hash),
    userId: big(row.user_id),
    createdAt: Number(row.created_at),
    lastUsedAt: Number(row.last_used_at),
    clientOs: textOrNull(row.client_os),
    clientBrowser: textOrNull(row.client_browser),
    clientPlatform: textOrNull(row.client_platform),
    ip: textOrNull(row.ip),
  };
}

export function createSqliteSessionStore(db: SqliteDatabase): SessionStore {
  const insert =
    db.prepare(`INSERT INTO auth_sessions (id_hash, user_id, created_at, last_used_at, client_os, client_browser, client_platform, ip)
    VALUES (@idHash, @userId, @createdAt, @lastUsedAt, @clientOs, @clientBrowser, @clientPlatform, @ip)`);
  const byHash = db.prepare("SELECT * FROM auth_sessions WHERE id_hash = ?");
  const touch = db.prepare("UPDATE auth_sessions SET last_used_at = ? WHERE id_hash = ?");
  const byUser = db.prepare("SELECT * FROM auth_sessions WHERE user_id = ? ORDER BY created_at");
  const remove = db.prepare("DELETE FROM auth_sessions WHERE id_hash = ? AND user_id = ?");
  const removeMany = db.transaction((hashes: readonly string[], userId: UserId) =>
    hashes.reduce((count, hash) => count + remove.run(hash, userId).changes, 0),
  );
  return {
    create: (session) => void insert.run(session),
    get(idHash) {
      const row = byHash.get(idHash) as Row | undefined;
      return row ? toSession(row) : null;
    },
    touch: (idHash, at) => void touch.run(at, idHash),
    listForUser: (userId) => (byUser.all(userId) as Row[]).map(toSession),
    delete: (hashes, userId) => removeMany(hashes, userId),
  };
}

export function createSqliteInstanceStore(db: SqliteDatabase): InstanceStore {
  const get = db.prepare("SELECT value FROM instance_meta WHERE key = ?");
  const set = db.prepare("INSERT INTO instance_meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value");
  return {
    get: (key) => {
      const row = get.get(key) as Row | undefined;
      return row ? text(row.value) : null;
    },
    set: (key, value) => void set.run(key, value),
  };
}
