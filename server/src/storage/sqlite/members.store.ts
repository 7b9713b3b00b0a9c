import type { GuildId, UserId } from "../../ids.ts";
import type { BanStore, MemberStore } from "../ports.ts";
import type { Ban, Member } from "../records.ts";
import type { SqliteDatabase } from "./database.ts";
import { big, bigOrNull, bool, flag, intOrNull, type Row, setClause, statementCache, textOrNull } from "./mapping.ts";
import { memberSearchOrder, memberSearchWhere } from "./member-search.sql.ts";

export function prepareMemberInsert(db: SqliteDatabase) {
  const insert = db.prepare(`INSERT INTO members (guild_id, user_id, nick, avatar, joined_at, communication_disabled_until, mute, deaf)
    VALUES (@guildId, @userId, @nick, @avatar, @joinedAt, @communicationDisabledUntil, @mute, @deaf)`);
  const insertRole = db.prepare("INSERT OR IGNORE INTO member_roles (guild_id, user_id, role_id) VALUES (?, ?, ?)");
  return (member: Member) => {
    insert.run({ ...member, mute: flag(member.mute), deaf: flag(member.deaf), roleIds: undefined });
    for (const roleId of member.roleIds) insertRole.run(member.guildId, member.userId, roleId);
  };
}

const MEMBER_COLUMNS: Record<string, string> = {
  nick: "nick",
  avatar: "avatar",
  communicationDisabledUntil: "communication_disabled_until",
  mute: "mute",
  deaf: "deaf",
};

export function createSqliteMemberStore(db: SqliteDatabase): MemberStore {
  const sql = statementCache(db);
  const insert = prepareMemberInsert(db);
  const byId = db.prepare("SELECT * FROM members WHERE guild_id = ? AND user_id = ?");
  const rolesOf = db.prepare("SELECT role_id FROM member_roles WHERE guild_id = ? AND user_id = ? ORDER BY role_id");
  const addRole = db.prepare("INSERT OR IGNORE INTO member_roles (guild_id, user_id, role_id) VALUES (?, ?, ?)");
  const removeRole = db.prepare("DELETE FROM member_roles WHERE guild_id = ? AND user_id = ? AND role_id = ?");
  const clearRoles = db.prepare("DELETE FROM member_roles WHERE guild_id = ? AND user_id = ?");

  const withRoles = (rows: Row[], guildId: GuildId): Member[] => {
    if (rows.length === 0) return [];
    const ids = rows.map((row) => big(row.user_id));
    const roleRows = sql(
      `SELECT user_id, role_id FROM member_roles WHERE guild_id = ? AND user_id IN (${ids.map(() => "?").join(",")}) ORDER BY role_id`,
    ).all(guildId, ...ids) as Row[];
    const roles = new Map<bigint, bigint[]>();
    for (const row of roleRows) {
      const list = roles.get(big(row.user_id)) ?? [];
      list.push(big(row.role_id));
      roles.set(big(row.user_id), list);
    }
    return rows.map((row) => toMember(row, roles.get(big(row.user_id)) ?? []));
  };
  const update = db.transaction((guildId: GuildId, userId: UserId, patch: Parameters<MemberStore["update"]>[2]) => {
    const { sql: set, values } = setClause(patch, MEMBER_COLUMNS);
    if (set) sql(`UPDATE members SET ${set} WHERE guild_id = @guildId AND user_id = @userId`).run({ ...values, guildId, userId });
    if (patch.roleIds) {
      clearRoles.run(guildId, userId);
      for (const roleId of patch.roleIds) addRole.run(guildId, userId, roleId);
    }
  });
  const get = (guildId: GuildId, userId: UserId): Member | null => {
    const row = byId.get(guildId, userId) as Row | undefined;
    return row
      ? toMember(
          row,
          (rolesOf.all(guildId, userId) as Row[]).map((r) => big(r.role_id)),
        )
      : null;
  };
  return {
    get,
    list(guildId, query) {
      const rows = sql("SELECT * FROM members WHERE guild_id = ? AND user_id > ? ORDER BY user_id LIMIT ?").all(
        guildId,
        query.after ?? 0n,
        query.limit,
      ) as Row[];
      return withRoles(rows, guildId);
    },
    search(guildId, prefix, limit) {
      const pattern = `${prefix.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      const rows = sql(`SELECT m.* FROM members m JOIN users u ON u.id = m.user_id WHERE m.guild_id = ?
        AND (u.username LIKE ? ESCAPE '\\' OR u.global_name LIKE ? ESCAPE '\\' OR m.nick LIKE ? ESCAPE '\\')
        ORDER BY m.user_id LIMIT ?`).all(guildId, pattern, pattern, pattern, limit) as Row[];
      return withRoles(rows, guildId);
    },
    searchPage(guildId, query) {
      const { where, values } = memberSearchWhere(guildId, query);
      const total = Number(
        (sql(`SELECT count(*) AS n FROM members m JOIN users u ON u.id = m.user_id WHERE ${where}`).get(values) as Row).n,
      );
      const limit = Math.max(0, Math.floor(query.limit));
      if (limit === 0) return { members: [], total };
      const rows = sql(
        `SELECT m.* FROM members m JOIN users u ON u.id = m.user_id WHERE ${where} ORDER BY ${memberSearchOrder(query)} LIMIT @limit OFFSET @offset`,
      ).all({ ...values, limit, offset: Math.max(0, Math.floor(query.offset)) }) as Row[];
      return { members: withRoles(rows, guildId), total };
    },
    getMany(guildId, userIds) {
      if (userIds.length === 0) return [];
      const rows = sql(`SELECT * FROM members WHERE guild_id = ? AND user_id IN (${userIds.map(() => "?").join(",")})`).all(
        guildId,
        ...userIds,
      ) as Row[];
      return withRoles(rows, guildId);
    },
    add: (member) => db.transaction(() => insert(member))(),
    update(guildId, userId, patch) {
      update(guildId, userId, patch);
      return get(guildId, userId) as Member;
    },
    addRole: (guildId, userId, roleId) => void addRole.run(guildId, userId, roleId),
    removeRole: (guildId, userId, roleId) => void removeRole.run(guildId, userId, roleId),
    remove: (guildId, userId) => void sql("DELETE FROM members WHERE guild_id = ? AND user_id = ?").run(guildId, userId),
    guildIdsForUser: (userId) =>
      (sql("SELECT guild_id FROM members WHERE user_id = ? ORDER BY guild_id").all(userId) as Row[]).map((r) => big(r.guild_id)),
  };
}

function toMember(row: Row, roleIds: bigint[]): Member {
  return {
    guildId: big(row.guild_id),
    userId: big(row.user_id),
    nick: textOrNull(row.nick),
    avatar: textOrNull(row.avatar),
    roleIds,
    joinedAt: Number(row.joined_at),
    communicationDisabledUntil: intOrNull(row.communication_disabled_until),
    mute: bool(row.mute),
    deaf: bool(row.deaf),
  };
}

function toBan(row: Row): Ban {
  return {
    guildId: big(row.guild_id),
    userId: big(row.user_id),
    reason: textOrNull(row.reason),
    moderatorId: bigOrNull(row.moderator_id),
    createdAt: Number(row.created_at),
    expiresAt: intOrNull(row.expires_at),
  };
}

export function createSqliteBanStore(db: SqliteDatabase): BanStore {
  const sql = statementCache(db);
  const upsert = db.prepare(`INSERT INTO bans (guild_id, user_id, reason, moderator_id, created_at, expires_at)
    VALUES (@guildId, @userId, @reason, @moderatorId, @createdAt, @expiresAt)
    ON CONFLICT (guild_id, user_id) DO UPDATE SET reason = excluded.reason, moderator_id = excluded.moderator_id,
    created_at = excluded.created_at, expires_at = excluded.expires_at`);
  const removeMember = db.prepare("DELETE FROM members WHERE guild_id = ? AND user_id = ?");
  const banAndRemove = db.transaction((ban: Ban) => {
    upsert.run(ban);
    removeMember.run(ban.guildId, ban.userId);
  });
  return {
    get(guildId, userId) {
      const row = sql("SELECT * FROM bans WHERE guild_id = ? AND user_id = ?").get(guildId, userId) as Row | undefined;
      return row ? toBan(row) : null;
    },
    list(guildId, query) {
      if (query.before !== undefined) {
        const rows = sql("SELECT * FROM bans WHERE guild_id = ? AND user_id < ? ORDER BY user_id DESC LIMIT ?").all(
          guildId,
          query.before,
          query.limit,
        ) as Row[];
        return rows.map(toBan).reverse();
      }
      const rows = sql("SELECT * FROM bans WHERE guild_id = ? AND user_id > ? ORDER BY user_id LIMIT ?").all(
        guildId,
        query.after ?? 0n,
        query.limit,
      ) as Row[];
      return rows.map(toBan);
    },
    banAndRemove: (ban) => banAndRemove(ban),
    remove: (guildId, userId) => sql("DELETE FROM bans WHERE guild_id = ? AND user_id = ?").run(guildId, userId).changes > 0,
  };
}
