import type { ChannelId, MessageId, UserId } from "../../ids.ts";
import type { MentionQuery, MessagePage, MessageStore } from "../ports.ts";
import { type Attachment, emojiKey, type Message, type ReactionCount } from "../records.ts";
import type { SqliteDatabase } from "./database.ts";
import { big, bigOrNull, bool, flag, idList, intOrNull, type Row, setClause, statementCache, text, textOrNull, toJson } from "./mapping.ts";

const MENTION_USER = 0;
const MENTION_ROLE = 1;
const MENTION_EVERYONE = 2;

/** Bound parameters per IN (...) list, well under SQLite's 32766 limit. */
const CHUNK = 500;

const MESSAGE_COLUMNS: Record<string, string> = {
  content: "content",
  flags: "flags",
  editedAt: "edited_at",
  mentionEveryone: "mention_everyone",
  mentionUserIds: "mention_user_ids",
  mentionRoleIds: "mention_role_ids",
  pinnedAt: "pinned_at",
  embeds: "embeds",
};

function toAttachment(row: Row): Attachment {
  return {
    id: big(row.id),
    filename: text(row.filename),
    title: textOrNull(row.title),
    description: textOrNull(row.description),
    contentType: textOrNull(row.content_type),
    size: Number(row.size),
    width: intOrNull(row.width),
    height: intOrNull(row.height),
    storageKey: text(row.storage_key),
    flags: Number(row.flags),
  };
}

function toMessage(row: Row, attachments: Attachment[]): Message {
  const referenced = bigOrNull(row.reference_message_id);
  return {
    id: big(row.id),
    channelId: big(row.channel_id),
    authorId: big(row.author_id),
    type: Number(row.type),
    content: text(row.content),
    flags: Number(row.flags),
    tts: bool(row.tts),
    mentionEveryone: bool(row.mention_everyone),
    mentionUserIds: idList(row.mention_user_ids),
    mentionRoleIds: idList(row.mention_role_ids),
    embeds: JSON.parse(text(row.embeds) || "[]"),
    nonce: textOrNull(row.nonce),
    editedAt: intOrNull(row.edited_at),
    pinnedAt: intOrNull(row.pinned_at),
    reference:
      referenced === null
        ? null
        : {
            channelId: big(row.reference_channel_id),
            messageId: referenced,
            guildId: bigOrNull(row.reference_guild_id),
            type: Number(row.reference_type ?? 0),
          },
    attachments,
  };
}

const placeholders = (count: number) => Array.from({ length: count }, () => "?").join(",");

function chunks<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += CHUNK) out.push(items.slice(i, i + CHUNK));
  return out;
}

export function createSqliteMessageStore(db: SqliteDatabase): MessageStore {
  const sql = statementCache(db);

  const insertMessage = db.prepare(`INSERT INTO messages (id, channel_id, author_id, type, content, flags, tts, mention_everyone,
    mention_user_ids, mention_role_ids, embeds, nonce, edited_at, pinned_at, reference_channel_id, reference_message_id, reference_guild_id,
    reference_type)
    VALUES (@id, @channel_id, @author_id, @type, @content, @flags, @tts, @mention_everyone, @mention_user_ids, @mention_role_ids,
    @embeds, @nonce, @edited_at, @pinned_at, @reference_channel_id, @reference_message_id, @reference_guild_id, @reference_type)`);
  const insertAttachment = db.prepare(`INSERT INTO attachments (id, message_id, filename, title, description, content_type, size,
    width, height, storage_key, flags)
    VALUES (@id, @message_id, @filename, @title, @description, @content_type, @size, @width, @height, @storage_key, @flags)`);
  // Only moves forward, so a late or imported message never hides a newer one.
  const bumpLastMessage = db.prepare(
    "UPDATE channels SET last_message_id = @id WHERE id = @channel_id AND (last_message_id IS NULL OR last_message_id < @id)",
  );
  const byId = db.prepare("SELECT * FROM messages WHERE id = ? AND channel_id = ?");
  const attachmentsOf = db.prepare("SELECT * FROM attachments WHERE message_id = ? ORDER BY id");
  const attachmentInChannel = db.prepare(
    "SELECT a.* FROM attachments a JOIN messages m ON m.id = a.message_id WHERE a.id = ? AND m.channel_id = ?",
  );

  // History pages, all on messages_by_channel (channel_id, id).
  const latest = db.prepare("SELECT * FROM messages WHERE channel_id = ? ORDER BY id DESC LIMIT ?");
  const olderThan = db.prepare("SELECT * FROM messages WHERE channel_id = ? AND id < ? ORDER BY id DESC LIMIT ?");
  const newerThan = db.prepare("SELECT * FROM messages WHERE channel_id = ? AND id > ? ORDER BY id ASC LIMIT ?");

  // Pins, on messages_pinned (channel_id, pinned_at) WHERE pinned_at IS NOT NULL.
  const pinned = db.prepare(
    "SELECT * FROM messages WHERE channel_id = ? AND pinned_at IS NOT NULL ORDER BY pinned_at DESC, id DESC LIMIT ?",
  );
  const pinnedBefore = db.prepare(
    "SELECT * FROM messages WHERE channel_id = ? AND pinned_at IS NOT NULL AND pinned_at < ? ORDER BY pinned_at DESC, id DESC LIMIT ?",
  );
  const pinnedCount = db.prepare("SELECT count(*) AS n FROM messages WHERE channel_id = ? AND pinned_at IS NOT NULL");
  const setPinnedAt = db.prepare("UPDATE messages SET pinned_at = ? WHERE id = ? AND channel_id = ?");
  const setLastPin = db.prepare("UPDATE channels SET last_pin_at = ? WHERE id = ?");

  // Reactions, on the primary key (message_id, emoji_key, user_id).
  const insertReaction =
    db.prepare(`INSERT OR IGNORE INTO reactions (message_id, emoji_key, user_id, emoji_id, emoji_name, animated, created_seq)
    SELECT id, @emoji_key, @user_id, @emoji_id, @emoji_name, @animated, @created_seq FROM messages WHERE id = @message_id AND channel_id = @channel_id`);
  const deleteReaction = db.prepare("DELETE FROM reactions WHERE message_id = ? AND emoji_key = ? AND user_id = ?");
  const deleteAllReactions = db.prepare("DELETE FROM reactions WHERE message_id = ?");
  const deleteEmojiReactions = db.prepare("DELETE FROM reactions WHERE message_id = ? AND emoji_key = ?");
  const distinctEmojis = db.prepare("SELECT count(DISTINCT emoji_key) AS n FROM reactions WHERE message_id = ?");
  const usersFirst = db.prepare("SELECT user_id FROM reactions WHERE message_id = ? AND emoji_key = ? ORDER BY user_id LIMIT ?");
  const usersAfter = db.prepare(
    "SELECT user_id FROM reactions WHERE message_id = ? AND emoji_key = ? AND user_id > ? ORDER BY user_id LIMIT ?",
  );

  /** Attaches each row's attachments with one query per chunk of messages. */
  function hydrate(rows: Row[]): Message[] {
    if (rows.length === 0) return [];
    if (rows.length === 1) {
      const row = rows[0] as Row;
      return [toMessage(row, (attachmentsOf.all(row.id) as Row[]).map(toAttachment))];
    }
    const byMessage = new Map<bigint, Attachment[]>();
    for (const chunk of chunks(rows.map((row) => big(row.id)))) {
      const found = sql(`SELECT * FROM attachments WHERE message_id IN (${placeholders(chunk.length)}) ORDER BY message_id, id`).all(
        ...chunk,
      ) as Row[];
      for (const row of found) {
        const messageId = big(row.message_id);
        const list = byMessage.get(messageId);
        if (list) list.push(toAttachment(row));
        else byMessage.set(messageId, [toAttachment(row)]);
      }
    }
    return rows.map((row) => toMessage(row, byMessage.get(big(row.id)) ?? []));
  }

  // The mentions inbox index (migration 007).
  const insertMention = db.prepare(`INSERT OR IGNORE INTO message_mentions (kind, target_id, message_id, channel_id, guild_id, author_id)
    SELECT @kind, @target_id, @message_id, id, guild_id, @author_id FROM channels WHERE id = @channel_id`);
  const guildOfChannel = db.prepare("SELECT guild_id FROM channels WHERE id = ?");
  const deleteMentionsOf = db.prepare("DELETE FROM message_mentions WHERE message_id = ?");
  const dismiss = db.prepare(
    "INSERT OR IGNORE INTO mention_dismissals (user_id, message_id) SELECT @user_id, id FROM messages WHERE id = @message_id",
  );

  /** Index rows for what the message mentions: users, roles and (in a guild) @everyone as the guild. */
  function indexMentions(message: Message) {
    const base = { message_id: message.id, channel_id: message.channelId, author_id: message.authorId };
    for (const id of message.mentionUserIds) insertMention.run({ ...base, kind: MENTION_USER, target_id: id });
    const guildId = bigOrNull((guildOfChannel.get(message.channelId) as Row | undefined)?.guild_id);
    if (guildId === null) return; // roles and @everyone mean nothing in a private channel
    for (const id of message.mentionRoleIds) insertMention.run({ ...base, kind: MENTION_ROLE, target_id: id });
    if (message.mentionEveryone) insertMention.run({ ...base, kind: MENTION_EVERYONE, target_id: guildId });
  }

  const updateTx = db.transaction((channelId: ChannelId, id: MessageId, patch: Parameters<MessageStore["update"]>[2]) => {
    const { sql: set, values } = setClause(patch, MESSAGE_COLUMNS);
    if (set) sql(`UPDATE messages SET ${set} WHERE id = @id AND channel_id = @channel_id`).run({ ...values, id, channel_id: channelId });
    const row = byId.get(id, channelId) as Row | undefined;
    if (!row) throw new Error(`message ${id} not found in channel ${channelId}`);
    const updated = hydrate([row])[0] as Message;
    if (patch.mentionUserIds !== undefined || patch.mentionRoleIds !== undefined || patch.mentionEveryone !== undefined) {
      deleteMentionsOf.run(id);
      indexMentions(updated);
    }
    return updated;
  });

  function mentionsPage(query: MentionQuery): Row[] {
    const limit = Math.floor(query.limit);
    if (!(limit > 0)) return [];
    const terms = ["(m.kind = ? AND m.target_id = ?)"];
    const params: unknown[] = [MENTION_USER, query.userId];
    // Bounded by what one user can hold (roles in their guilds, guilds joined), well under SQLite's limit.
    if (query.roleIds.length > 0) {
      terms.push(`(m.kind = ? AND m.target_id IN (${placeholders(query.roleIds.length)}))`);
      params.push(MENTION_ROLE, ...query.roleIds);
    }
    if (query.everyoneGuildIds.length > 0) {
      terms.push(`(m.kind = ? AND m.target_id IN (${placeholders(query.everyoneGuildIds.length)}))`);
      params.push(MENTION_EVERYONE, ...query.everyoneGuildIds);
    }
    let where = `(${terms.join(" OR ")}) AND m.author_id != ?`;
    params.push(query.userId);
    if (query.before !== undefined) {
      where += " AND m.message_id < ?";
      params.push(query.before);
    }
    if (query.privateOnly) where += " AND m.guild_id IS NULL";
    const rows = sql(`SELECT DISTINCT m.message_id FROM message_mentions m WHERE ${where}
      AND NOT EXISTS (SELECT 1 FROM mention_dismissals d WHERE d.user_id = ? AND d.message_id = m.message_id)
      ORDER BY m.message_id DESC LIMIT ?`).all(...params, query.userId, limit) as Row[];
    if (rows.length === 0) return [];
    const ids = rows.map((row) => big(row.message_id));
    const found = new Map<bigint, Row>();
    for (const chunk of chunks(ids)) {
      for (const row of sql(`SELECT * FROM messages WHERE id IN (${placeholders(chunk.length)})`).all(...chunk) as Row[]) {
        found.set(big(row.id), row);
      }
    }
    return ids.flatMap((id) => (found.has(id) ? [found.get(id) as Row] : []));
  }

  const createTx = db.transaction((message: Message) => {
    insertMessage.run({
      id: message.id,
      channel_id: message.channelId,
      author_id: message.authorId,
      type: message.type,
      content: message.content,
      flags: message.flags,
      tts: flag(message.tts),
      mention_everyone: flag(message.mentionEveryone),
      mention_user_ids: toJson(message.mentionUserIds),
      mention_role_ids: toJson(message.mentionRoleIds),
      embeds: toJson(message.embeds),
      nonce: message.nonce,
      edited_at: message.editedAt,
      pinned_at: message.pinnedAt,
      reference_channel_id: message.reference?.channelId ?? null,
      reference_message_id: message.reference?.messageId ?? null,
      reference_guild_id: message.reference?.guildId ?? null,
      reference_type: message.reference?.type ?? null,
    });
    for (const attachment of message.attachments) {
      insertAttachment.run({
        id: attachment.id,
        message_id: message.id,
        filename: attachment.filename,
        title: attachment.title,
        description: attachment.description,
        content_type: attachment.contentType,
        size: attachment.size,
        width: attachment.width,
        height: attachment.height,
        storage_key: attachment.storageKey,
        flags: attachment.flags,
      });
    }
    bumpLastMessage.run({ id: message.id, channel_id: message.channelId });
    indexMentions(message);
  });

  const deleteTx = db.transaction((channelId: ChannelId, ids: readonly MessageId[]) => {
    const existed = new Set<bigint>();
    for (const chunk of chunks([...new Set(ids)])) {
      const rows = sql(`DELETE FROM messages WHERE channel_id = ? AND id IN (${placeholders(chunk.length)}) RETURNING id`).all(
        channelId,
        ...chunk,
      ) as Row[];
      for (const row of rows) existed.add(big(row.id));
    }
    return [...new Set(ids)].filter((id) => existed.has(id));
  });

  const setPinnedTx = db.transaction((channelId: ChannelId, id: MessageId, pinnedAt: number | null) => {
    const changed = setPinnedAt.run(pinnedAt, id, channelId).changes === 1;
    if (changed && pinnedAt !== null) setLastPin.run(pinnedAt, channelId);
  });

  function page(channelId: ChannelId, query: MessagePage): Row[] {
    const limit = Math.floor(query.limit);
    if (!(limit > 0)) return []; // LIMIT -1 would mean "no limit" to SQLite
    if (query.around !== undefined) {
      // ceil(limit/2) at or after the id (the id itself included), floor(limit/2) before it.
      const newer = newerThan.all(channelId, query.around - 1n, Math.ceil(limit / 2)) as Row[];
      const older = Math.floor(limit / 2) > 0 ? (olderThan.all(channelId, query.around, Math.floor(limit / 2)) as Row[]) : [];
      return [...newer.reverse(), ...older];
    }
    if (query.before !== undefined) return olderThan.all(channelId, query.before, limit) as Row[];
    if (query.after !== undefined) return (newerThan.all(channelId, query.after, limit) as Row[]).reverse();
    return latest.all(channelId, limit) as Row[];
  }

  return {
    create: (message) => createTx(message),
    get(channelId, id) {
      const row = byId.get(id, channelId) as Row | undefined;
      return row ? (hydrate([row])[0] ?? null) : null;
    },
    getMany(channelId, ids) {
      const unique = [...new Set(ids)];
      const rows: Row[] = [];
      for (const chunk of chunks(unique)) {
        rows.push(
          ...(sql(`SELECT * FROM messages WHERE channel_id = ? AND id IN (${placeholders(chunk.length)})`).all(
            channelId,
            ...chunk,
          ) as Row[]),
        );
      }
      const found = new Map(hydrate(rows).map((message) => [message.id, message]));
      // In the order asked for, like UserStore.getMany.
      return new Map(unique.filter((id) => found.has(id)).map((id) => [id, found.get(id) as Message]));
    },
    list: (channelId, query) => hydrate(page(channelId, query)),
    update: (channelId, id, patch) => updateTx(channelId, id, patch),
    delete: (channelId, ids) => (ids.length === 0 ? [] : deleteTx(channelId, ids)),
    listMentions: (query) => hydrate(mentionsPage(query)),
    dismissMentions: db.transaction((userId: UserId, messageIds: readonly MessageId[]) => {
      for (const id of new Set(messageIds)) dismiss.run({ user_id: userId, message_id: id });
    }),
    listPinned(channelId, query) {
      const limit = Math.floor(query.limit);
      if (!(limit > 0)) return [];
      const rows = query.before === undefined ? pinned.all(channelId, limit) : pinnedBefore.all(channelId, query.before, limit);
      return hydrate(rows as Row[]);
    },
    countPinned: (channelId) => Number((pinnedCount.get(channelId) as Row).n),
    setPinned: (channelId, id, pinnedAt) => setPinnedTx(channelId, id, pinnedAt),
    addReaction(channelId, messageId, reaction) {
      const result = insertReaction.run({
        message_id: messageId,
        channel_id: channelId,
        emoji_key: emojiKey(reaction),
        user_id: reaction.userId,
        emoji_id: reaction.emojiId,
        emoji_name: reaction.emojiName,
        animated: flag(reaction.animated),
        created_seq: reaction.seq,
      });
      return result.changes === 1;
    },
    removeReaction: (messageId, emojiKey, userId) => deleteReaction.run(messageId, emojiKey, userId).changes > 0,
    removeAllReactions: (messageId) => void deleteAllReactions.run(messageId),
    removeEmojiReactions: (messageId, emojiKey) => void deleteEmojiReactions.run(messageId, emojiKey),
    reactionCounts(messageIds, viewer) {
      const unique = [...new Set(messageIds)];
      const counts = new Map<MessageId, ReactionCount[]>(unique.map((id) => [id, []]));
      for (const chunk of chunks(unique)) {
        const rows = sql(`SELECT message_id, emoji_key, max(emoji_id) AS emoji_id, max(emoji_name) AS emoji_name, max(animated) AS animated,
          count(*) AS n, max(user_id = ?) AS me, min(created_seq) AS first_seq
          FROM reactions WHERE message_id IN (${placeholders(chunk.length)})
          GROUP BY message_id, emoji_key ORDER BY message_id, first_seq, emoji_key`).all(viewer, ...chunk) as Row[];
        for (const row of rows) {
          counts.get(big(row.message_id))?.push({
            emojiId: bigOrNull(row.emoji_id),
            emojiName: text(row.emoji_name),
            animated: bool(row.animated),
            count: Number(row.n),
            me: bool(row.me),
          });
        }
      }
      return counts;
    },
    countDistinctEmojis: (messageId) => Number((distinctEmojis.get(messageId) as Row).n),
    reactionUsers(messageId, emojiKey, query) {
      const limit = Math.floor(query.limit);
      if (!(limit > 0)) return [];
      const rows =
        query.after === undefined ? usersFirst.all(messageId, emojiKey, limit) : usersAfter.all(messageId, emojiKey, query.after, limit);
      return (rows as Row[]).map((row): UserId => big(row.user_id));
    },
    getAttachment(channelId, attachmentId) {
      const row = attachmentInChannel.get(attachmentId, channelId) as Row | undefined;
      return row ? toAttachment(row) : null;
    },
    attachmentKeysInChannel: (channelId) =>
      (
        sql("SELECT a.storage_key FROM attachments a JOIN messages m ON m.id = a.message_id WHERE m.channel_id = ?").all(channelId) as Row[]
      ).map((row) => text(row.storage_key)),
    attachmentKeysInGuild: (guildId) =>
      (
        sql(`SELECT a.storage_key FROM attachments a JOIN messages m ON m.id = a.message_id JOIN channels c ON c.id = m.channel_id
          WHERE c.guild_id = ?`).all(guildId) as Row[]
      ).map((row) => text(row.storage_key)),
  };
}
