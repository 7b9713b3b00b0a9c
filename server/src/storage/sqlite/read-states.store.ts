import type { ReadStateStore } from "../ports.ts";
import type { ReadState } from "../records.ts";
import type { SqliteDatabase } from "./database.ts";
import { big, bigOrNull, intOrNull, type Row } from "./mapping.ts";

function toReadState(row: Row): ReadState {
  return {
    channelId: big(row.channel_id),
    lastMessageId: bigOrNull(row.last_message_id),
    lastPinAt: intOrNull(row.last_pin_at),
    mentionCount: Number(row.mention_count),
  };
}

export function createSqliteReadStateStore(db: SqliteDatabase): ReadStateStore {
  // An ack may move backwards (mark unread), so both upserts overwrite unconditionally.
  const ack = db.prepare(`INSERT INTO read_states (user_id, channel_id, last_message_id, mention_count) VALUES (?, ?, ?, ?)
    ON CONFLICT (user_id, channel_id) DO UPDATE SET last_message_id = excluded.last_message_id, mention_count = excluded.mention_count`);
  const ackPins = db.prepare(`INSERT INTO read_states (user_id, channel_id, last_pin_at) VALUES (?, ?, ?)
    ON CONFLICT (user_id, channel_id) DO UPDATE SET last_pin_at = excluded.last_pin_at`);
  const clear = db.prepare("DELETE FROM read_states WHERE user_id = ? AND channel_id = ?");
  const byUser = db.prepare("SELECT * FROM read_states WHERE user_id = ? ORDER BY channel_id");
  return {
    ack: (userId, channelId, messageId, mentionCount) => void ack.run(userId, channelId, messageId, mentionCount),
    ackPins: (userId, channelId, at) => void ackPins.run(userId, channelId, at),
    clear: (userId, channelId) => void clear.run(userId, channelId),
    listForUser: (userId) => (byUser.all(userId) as Row[]).map(toReadState),
  };
}
