import type { GuildId } from "../../ids.ts";
import type { AuditLogStore, GuildStore } from "../ports.ts";
import type { AuditLogEntry, Guild } from "../records.ts";
import { insertChannel } from "./channels.store.ts";
import type { SqliteDatabase } from "./database.ts";
import { big, bigOrNull, type Row, setClause, statementCache, stringList, text, textOrNull, toJson } from "./mapping.ts";
import { prepareMemberInsert } from "./members.store.ts";
import { prepareRoleInsert } from "./roles.store.ts";

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
