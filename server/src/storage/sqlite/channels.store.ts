import type { ChannelId, GuildId } from "../../ids.ts";
import type { ChannelStore } from "../ports.ts";
import type { Channel, PermissionOverwrite } from "../records.ts";
import type { SqliteDatabase } from "./database.ts";
import { big, bigOrNull, bool, flag, intOrNull, type Row, setClause, statementCache, textOrNull } from "./mapping.ts";

const CHANNEL_COLUMNS: Record<string, string> = {
  type: "type",
  name: "name",
  topic: "topic",
  url: "url",
  icon: "icon",
  ownerId: "owner_id",
  position: "position",
  parentId: "parent_id",
  bitrate: "bitrate",
  userLimit: "user_limit",
  rtcRegion: "rtc_region",
  nsfw: "nsfw",
  rateLimitPerUser: "rate_limit_per_user",
  lastMessageId: "last_message_id",
  lastPinAt: "last_pin_at",
};

const shared = new WeakMap<SqliteDatabase, ReturnType<typeof statementCache>>();
function sharedStatements(db: SqliteDatabase) {
  let cache = shared.get(db);
  if (!cache) {
    cache = statementCache(db);
    shared.set(db, cache);
  }
  return cache;
}

/** Inserts a channel with its overwrites and recipients (used by guild creation too). */
export function insertChannel(db: SqliteDatabase, channel: Channel): void {
  const sql = sharedStatements(db);
  sql(`INSERT INTO channels (id, guild_id, type, name, topic, url, icon, owner_id, position, parent_id, bitrate, user_limit,
    rtc_region, nsfw, rate_limit_per_user, last_message_id, last_pin_at, created_at)
    VALUES (@id, @guildId, @type, @name, @topic, @url, @icon, @ownerId, @position, @parentId, @bitrate, @userLimit,
    @rtcRegion, @nsfw, @rateLimitPerUser, @lastMessageId, @lastPinAt, @createdAt)`).run({
    id: channel.id,
    guildId: channel.guildId,
    type: channel.type,
    name: channel.name,
    topic: channel.topic,
    url: channel.url,
    icon: channel.icon,
    ownerId: channel.ownerId,
    position: channel.position,
    parentId: channel.parentId,
    bitrate: channel.bitrate,
    userLimit: channel.userLimit,
    rtcRegion: channel.rtcRegion,
    nsfw: flag(channel.nsfw),
    rateLimitPerUser: channel.rateLimitPerUser,
    lastMessageId: channel.lastMessageId,
    lastPinAt: channel.lastPinAt,
    createdAt: channel.createdAt,
  });
  const overwrite = sql("INSERT INTO permission_overwrites (channel_id, target_id, type, allow, deny) VALUES (?, ?, ?, ?, ?)");
  for (const o of channel.overwrites) overwrite.run(channel.id, o.id, o.type, o.allow, o.deny);
  const recipient = sql("INSERT OR IGNORE INTO channel_recipients (channel_id, user_id) VALUES (?, ?)");
  for (const userId of channel.recipientIds) recipient.run(channel.id, userId);
}

function toChannel(row: Row, overwrites: PermissionOverwrite[], recipientIds: bigint[]): Channel {
  return {
    id: big(row.id),
    guildId: bigOrNull(row.guild_id),
    type: Number(row.type),
    name: textOrNull(row.name),
    topic: textOrNull(row.topic),
    url: textOrNull(row.url),
    icon: textOrNull(row.icon),
    ownerId: bigOrNull(row.owner_id),
    position: Number(row.position),
    parentId: bigOrNull(row.parent_id),
    bitrate: intOrNull(row.bitrate),
    userLimit: intOrNull(row.user_limit),
    rtcRegion: textOrNull(row.rtc_region),
    nsfw: bool(row.nsfw),
    rateLimitPerUser: Number(row.rate_limit_per_user),
    lastMessageId: bigOrNull(row.last_message_id),
    lastPinAt: intOrNull(row.last_pin_at),
    overwrites,
    recipientIds,
    createdAt: Number(row.created_at),
  };
}

const toOverwrite = (row: Row): PermissionOverwrite => ({
  id: big(row.target_id),
  type: Number(row.type) === 1 ? 1 : 0,
  allow: big(row.allow),
  deny: big(row.deny),
});

export function createSqliteChannelStore(db: SqliteDatabase): ChannelStore {
  const sql = statementCache(db);
  const byId = db.prepare("SELECT * FROM channels WHERE id = ?");
  const overwritesOf = db.prepare("SELECT * FROM permission_overwrites WHERE channel_id = ? ORDER BY target_id");
  const recipientsOf = db.prepare("SELECT user_id FROM channel_recipients WHERE channel_id = ? ORDER BY user_id");
  const insert = db.transaction((channel: Channel) => insertChannel(db, channel));
  const setPosition = db.prepare(
    "UPDATE channels SET position = @position, parent_id = COALESCE(@parentId, parent_id) WHERE guild_id = @guildId AND id = @id",
  );
  const clearParent = db.prepare("UPDATE channels SET parent_id = NULL WHERE guild_id = ? AND id = ?");
  const setPositions = db.transaction((guildId: GuildId, positions: Parameters<ChannelStore["setPositions"]>[1]) => {
    for (const p of positions) {
      setPosition.run({ guildId, id: p.id, position: p.position, parentId: p.parentId ?? null });
      if (p.parentId === null) clearParent.run(guildId, p.id);
    }
  });
  const remove = db.transaction((id: ChannelId) => {
    sql("UPDATE channels SET parent_id = NULL WHERE parent_id = ?").run(id);
    sql("DELETE FROM channels WHERE id = ?").run(id);
  });

  const load = (row: Row): Channel => {
    const id = big(row.id);
    const overwrites = (overwritesOf.all(id) as Row[]).map(toOverwrite);
    const recipients = row.guild_id === null ? (recipientsOf.all(id) as Row[]).map((r) => big(r.user_id)) : [];
    return toChannel(row, overwrites, recipients);
  };
  const get = (id: ChannelId): Channel | null => {
    const row = byId.get(id) as Row | undefined;
    return row ? load(row) : null;
  };

  return {
    get,
    listForGuild(guildId) {
      const rows = sql("SELECT * FROM channels WHERE guild_id = ? ORDER BY position, id").all(guildId) as Row[];
      const overwrites = new Map<bigint, PermissionOverwrite[]>();
      const overwriteRows = sql(
        `SELECT o.* FROM permission_overwrites o JOIN channels c ON c.id = o.channel_id WHERE c.guild_id = ? ORDER BY o.target_id`,
      ).all(guildId) as Row[];
      for (const row of overwriteRows) {
        const list = overwrites.get(big(row.channel_id)) ?? [];
        list.push(toOverwrite(row));
        overwrites.set(big(row.channel_id), list);
      }
      return rows.map((row) => toChannel(row, overwrites.get(big(row.id)) ?? [], []));
    },
    create: (channel) => insert(channel),
    update(id, patch) {
      const { sql: set, values } = setClause(patch, CHANNEL_COLUMNS, (_key, value) => (typeof value === "boolean" ? flag(value) : value));
      if (set) sql(`UPDATE channels SET ${set} WHERE id = @id`).run({ ...values, id });
      return get(id) as Channel;
    },
    setPositions: (guildId, positions) => setPositions(guildId, positions),
    delete: (id) => remove(id),
    countForGuild: (guildId) => Number((sql("SELECT count(*) AS n FROM channels WHERE guild_id = ?").get(guildId) as Row).n),
    setOverwrite: (channelId, o) =>
      void sql(`INSERT INTO permission_overwrites (channel_id, target_id, type, allow, deny) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (channel_id, target_id) DO UPDATE SET type = excluded.type, allow = excluded.allow, deny = excluded.deny`).run(
        channelId,
        o.id,
        o.type,
        o.allow,
        o.deny,
      ),
    deleteOverwrite: (channelId, targetId) =>
      sql("DELETE FROM permission_overwrites WHERE channel_id = ? AND target_id = ?").run(channelId, targetId).changes > 0,
    listPrivateForUser(userId) {
      const rows = sql("SELECT c.* FROM channel_recipients r JOIN channels c ON c.id = r.channel_id WHERE r.user_id = ? ORDER BY c.id").all(
        userId,
      ) as Row[];
      return rows.map(load);
    },
    findDm(a, b) {
      const row = sql(`SELECT c.* FROM channels c JOIN channel_recipients ra ON ra.channel_id = c.id AND ra.user_id = ?
        JOIN channel_recipients rb ON rb.channel_id = c.id AND rb.user_id = ? WHERE c.type = 1 LIMIT 1`).get(a, b) as Row | undefined;
      return row ? load(row) : null;
    },
    addRecipient: (channelId, userId) =>
      void sql("INSERT OR IGNORE INTO channel_recipients (channel_id, user_id) VALUES (?, ?)").run(channelId, userId),
    removeRecipient: (channelId, userId) =>
      void sql("DELETE FROM channel_recipients WHERE channel_id = ? AND user_id = ?").run(channelId, userId),
  };
}
