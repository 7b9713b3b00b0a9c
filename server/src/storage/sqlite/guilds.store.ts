import type { ChannelId, GuildId, RoleId, UserId } from "../../ids.ts";
import type { AuditLogStore, BanStore, GuildStore, MemberStore, RoleStore } from "../ports.ts";
import type { AuditLogEntry, Ban, Guild, Member, Role } from "../records.ts";
import { insertChannel } from "./channels.store.ts";
import type { SqliteDatabase } from "./database.ts";
import {
  big,
  bigOrNull,
  bool,
  flag,
  intOrNull,
  type Row,
  setClause,
  statementCache,
  stringList,
  text,
  textOrNull,
  toJson,
} from "./mapping.ts";
import { memberSearchOrder, memberSearchWhere } from "./member-search.sql.ts";

const GUILD_COLUMNS: Record<string, string> = {
  name: "name",
  icon: "icon",
  banner: "banner",
  splash: "splash",
  ownerId: "owner_id",
  systemChannelId: "system_channel_id",
  systemChannelFlags: "system_channel_flags",
  rulesChannelId: "rules_channel_id",
  afkChannelId: "afk_channel_id",
  afkTimeout: "afk_timeout",
  verificationLevel: "verification_level",
  mfaLevel: "mfa_level",
  nsfwLevel: "nsfw_level",
  explicitContentFilter: "explicit_content_filter",
  defaultMessageNotifications: "default_message_notifications",
  disabledOperations: "disabled_operations",
  vanityUrlCode: "vanity_url_code",
  features: "features",
};

function toGuild(row: Row): Guild {
  return {
    id: big(row.id),
    name: text(row.name),
    icon: textOrNull(row.icon),
    banner: textOrNull(row.banner),
    splash: textOrNull(row.splash),
    ownerId: big(row.owner_id),
    systemChannelId: bigOrNull(row.system_channel_id),
    systemChannelFlags: Number(row.system_channel_flags),
    rulesChannelId: bigOrNull(row.rules_channel_id),
    afkChannelId: bigOrNull(row.afk_channel_id),
    afkTimeout: Number(row.afk_timeout),
    verificationLevel: Number(row.verification_level),
    mfaLevel: Number(row.mfa_level),
    nsfwLevel: Number(row.nsfw_level),
    explicitContentFilter: Number(row.explicit_content_filter),
    defaultMessageNotifications: Number(row.default_message_notifications),
    disabledOperations: Number(row.disabled_operations),
    vanityUrlCode: textOrNull(row.vanity_url_code),
    features: stringList(row.features),
    createdAt: Number(row.created_at),
  };
}

export function createSqliteGuildStore(db: SqliteDatabase): GuildStore {
  const sql = statementCache(db);
  const insertGuild = db.prepare(`INSERT INTO guilds (id, name, icon, banner, splash, owner_id, system_channel_id, system_channel_flags,
    rules_channel_id, afk_channel_id, afk_timeout, verification_level, mfa_level, nsfw_level, explicit_content_filter,
    default_message_notifications, disabled_operations, vanity_url_code, features, created_at)
    VALUES (@id, @name, @icon, @banner, @splash, @ownerId, @systemChannelId, @systemChannelFlags, @rulesChannelId, @afkChannelId,
    @afkTimeout, @verificationLevel, @mfaLevel, @nsfwLevel, @explicitContentFilter, @defaultMessageNotifications,
    @disabledOperations, @vanityUrlCode, @features, @createdAt)`);
  const insertRole = prepareRoleInsert(db);
  const insertMember = prepareMemberInsert(db);
  const byId = db.prepare("SELECT * FROM guilds WHERE id = ?");
  const create = db.transaction((seed: Parameters<GuildStore["create"]>[0]) => {
    insertGuild.run({ ...seed.guild, features: toJson(seed.guild.features) });
    insertRole(seed.everyoneRole);
    for (const channel of seed.channels) insertChannel(db, channel);
    insertMember(seed.owner);
  });
  const remove = db.transaction((id: GuildId) => {
    // Messages reference channels with ON DELETE CASCADE; deleting the guild cascades to everything.
    db.prepare("DELETE FROM guilds WHERE id = ?").run(id);
  });
  return {
    create: (seed) => create(seed),
    get(id) {
      const row = byId.get(id) as Row | undefined;
      return row ? toGuild(row) : null;
    },
    update(id, patch) {
      const { sql: set, values } = setClause(patch, GUILD_COLUMNS);
      if (set) sql(`UPDATE guilds SET ${set} WHERE id = @id`).run({ ...values, id });
      return toGuild(byId.get(id) as Row);
    },
    delete: (id) => remove(id),
    findByVanityCode(code) {
      const row = sql("SELECT * FROM guilds WHERE vanity_url_code = ?").get(code) as Row | undefined;
      return row ? toGuild(row) : null;
    },
    listForUser(userId) {
      const rows = sql("SELECT g.* FROM members m JOIN guilds g ON g.id = m.guild_id WHERE m.user_id = ? ORDER BY g.id").all(
        userId,
      ) as Row[];
      return rows.map(toGuild);
    },
    countForUser: (userId) => Number((sql("SELECT count(*) AS n FROM members WHERE user_id = ?").get(userId) as Row).n),
    memberCount: (id) => Number((sql("SELECT count(*) AS n FROM members WHERE guild_id = ?").get(id) as Row).n),
  };
}

const ROLE_COLUMNS: Record<string, string> = {
  name: "name",
  color: "color",
  position: "position",
  hoistPosition: "hoist_position",
  permissions: "permissions",
  hoist: "hoist",
  mentionable: "mentionable",
  unicodeEmoji: "unicode_emoji",
};

function toRole(row: Row): Role {
  return {
    id: big(row.id),
    guildId: big(row.guild_id),
    name: text(row.name),
    color: Number(row.color),
    position: Number(row.position),
    hoistPosition: intOrNull(row.hoist_position),
    permissions: BigInt.asUintN(64, big(row.permissions)),
    hoist: bool(row.hoist),
    mentionable: bool(row.mentionable),
    unicodeEmoji: textOrNull(row.unicode_emoji),
  };
}

/** Permission sets use all 64 bits; SQLite integers are signed, so bit 63 is stored as the sign. */
const permissionsColumn = (permissions: bigint): bigint => BigInt.asIntN(64, permissions);

function prepareRoleInsert(db: SqliteDatabase) {
  const insert =
    db.prepare(`INSERT INTO roles (id, guild_id, name, color, position, hoist_position, permissions, hoist, mentionable, unicode_emoji)
    VALUES (@id, @guildId, @name, @color, @position, @hoistPosition, @permissions, @hoist, @mentionable, @unicodeEmoji)`);
  return (role: Role) =>
    void insert.run({
      ...role,
      permissions: permissionsColumn(role.permissions),
      hoist: flag(role.hoist),
      mentionable: flag(role.mentionable),
    });
}

export function createSqliteRoleStore(db: SqliteDatabase): RoleStore {
  const sql = statementCache(db);
  const insert = prepareRoleInsert(db);
  const list = db.prepare("SELECT * FROM roles WHERE guild_id = ? ORDER BY position, id");
  const byId = db.prepare("SELECT * FROM roles WHERE guild_id = ? AND id = ?");
  const setPosition = db.prepare("UPDATE roles SET position = ? WHERE guild_id = ? AND id = ?");
  const setPositions = db.transaction((guildId: GuildId, positions: readonly { id: bigint; position: number }[]) => {
    for (const { id, position } of positions) setPosition.run(position, guildId, id);
  });
  const createAt = db.transaction((role: Role): Role[] => {
    const above = (
      sql("SELECT * FROM roles WHERE guild_id = ? AND id != ? AND position >= ? ORDER BY position, id").all(
        role.guildId,
        role.guildId,
        role.position,
      ) as Row[]
    ).map(toRole);
    for (const moved of above) setPosition.run(moved.position + 1, role.guildId, moved.id);
    insert(role);
    return above.map((moved) => ({ ...moved, position: moved.position + 1 }));
  });
  // Overwrites name their target without a foreign key, so the role's go explicitly, in the same transaction.
  const remove = db.transaction((guildId: GuildId, roleId: RoleId): ChannelId[] => {
    const channels = sql(`SELECT o.channel_id FROM permission_overwrites o JOIN channels c ON c.id = o.channel_id
      WHERE c.guild_id = ? AND o.target_id = ? AND o.type = 0 ORDER BY o.channel_id`).all(guildId, roleId) as Row[];
    sql(`DELETE FROM permission_overwrites WHERE target_id = ? AND type = 0
      AND channel_id IN (SELECT id FROM channels WHERE guild_id = ?)`).run(roleId, guildId);
    sql("DELETE FROM roles WHERE guild_id = ? AND id = ?").run(guildId, roleId);
    return channels.map((row) => big(row.channel_id));
  });
  const setHoistPosition = db.prepare("UPDATE roles SET hoist_position = ? WHERE guild_id = ? AND id = ?");
  const setHoistPositions = db.transaction((guildId: GuildId, positions: readonly { id: bigint; hoistPosition: number | null }[]) => {
    for (const { id, hoistPosition } of positions) setHoistPosition.run(hoistPosition, guildId, id);
  });
  return {
    list: (guildId) => (list.all(guildId) as Row[]).map(toRole),
    get(guildId, roleId) {
      const row = byId.get(guildId, roleId) as Row | undefined;
      return row ? toRole(row) : null;
    },
    create: (role) => insert(role),
    update(guildId, roleId, patch) {
      const { sql: set, values } = setClause(patch, ROLE_COLUMNS, (key, value) =>
        key === "permissions" ? permissionsColumn(value as bigint) : typeof value === "boolean" ? flag(value) : value,
      );
      if (set) sql(`UPDATE roles SET ${set} WHERE guild_id = @guildId AND id = @roleId`).run({ ...values, guildId, roleId });
      return toRole(byId.get(guildId, roleId) as Row);
    },
    setPositions: (guildId, positions) => setPositions(guildId, positions),
    createAt: (role) => createAt(role),
    delete: (guildId, roleId) => remove(guildId, roleId),
    count: (guildId) => Number((sql("SELECT count(*) AS n FROM roles WHERE guild_id = ?").get(guildId) as Row).n),
    setHoistPositions: (guildId, positions) => setHoistPositions(guildId, positions),
  };
}

function prepareMemberInsert(db: SqliteDatabase) {
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

function toAuditEntry(row: Row): AuditLogEntry {
  return {
    id: big(row.id),
    guildId: big(row.guild_id),
    userId: bigOrNull(row.user_id),
    actionType: Number(row.action_type),
    targetId: bigOrNull(row.target_id),
    reason: textOrNull(row.reason),
    changes: row.changes ? JSON.parse(text(row.changes)) : null,
    options: row.options ? JSON.parse(text(row.options)) : null,
  };
}

export function createSqliteAuditLogStore(db: SqliteDatabase): AuditLogStore {
  const sql = statementCache(db);
  const insert = db.prepare(`INSERT INTO audit_log (id, guild_id, user_id, action_type, target_id, reason, changes, options)
    VALUES (@id, @guildId, @userId, @actionType, @targetId, @reason, @changes, @options)`);
  return {
    append: (entry) =>
      void insert.run({
        ...entry,
        changes: entry.changes ? toJson(entry.changes) : null,
        options: entry.options ? toJson(entry.options) : null,
      }),
    list(guildId, query) {
      const where = ["guild_id = @guildId"];
      if (query.userId !== undefined) where.push("user_id = @userId");
      if (query.actionType !== undefined) where.push("action_type = @actionType");
      if (query.before !== undefined) where.push("id < @before");
      if (query.after !== undefined) where.push("id > @after");
      const order = query.after !== undefined && query.before === undefined ? "ASC" : "DESC";
      const rows = sql(`SELECT * FROM audit_log WHERE ${where.join(" AND ")} ORDER BY id ${order} LIMIT @limit`).all({
        ...query,
        guildId,
      }) as Row[];
      const entries = rows.map(toAuditEntry);
      return order === "ASC" ? entries.reverse() : entries;
    },
  };
}
