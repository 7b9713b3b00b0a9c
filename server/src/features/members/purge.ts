/**
 * Deleting a banned user's recent messages (delete_message_seconds). Bounded on purpose: it walks
 * each channel's newest messages back to the cut-off, at most PAGES pages per channel. Their
 * attachment files are removed after the rows.
 */
import type { Deps } from "../../deps.ts";
import { type GuildId, type MessageId, snowflakeAt, type UserId } from "../../ids.ts";
import { keysToDelete } from "../attachment-removal.ts";

const PAGE = 100;
const PAGES = 10;

/** Deletes the user's messages newer than `since` (epoch ms) in every channel of the guild. */
export function purgeRecentMessages(deps: Deps, guildId: GuildId, userId: UserId, since: number): number {
  const { stores, bus } = deps;
  const cutoff = snowflakeAt(since);
  let deleted = 0;
  const files: string[] = [];
  for (const channel of stores.channels.listForGuild(guildId)) {
    const doomed: MessageId[] = [];
    const doomedFiles = new Map<MessageId, string[]>();
    let before: MessageId | undefined;
    for (let page = 0; page < PAGES; page++) {
      const messages = stores.messages.list(channel.id, { before, limit: PAGE });
      for (const message of messages) {
        if (message.id < cutoff || message.authorId !== userId) continue;
        doomed.push(message.id);
        const keys = message.attachments.map((attachment) => attachment.storageKey);
        doomedFiles.set(message.id, keys);
      }
      const oldest = messages.at(-1);
      if (!oldest || messages.length < PAGE || oldest.id < cutoff) break;
      before = oldest.id;
    }
    if (doomed.length === 0) continue;
    const ids = stores.messages.delete(channel.id, doomed);
    if (ids.length === 0) continue;
    deleted += ids.length;
    for (const id of ids) files.push(...(doomedFiles.get(id) ?? []));
    bus.publish({
      type: "MESSAGE_DELETE_BULK",
      audience: { kind: "guild", guildId, channelId: channel.id },
      data: { ids: ids.map(String), channel_id: channel.id.toString(), guild_id: guildId.toString() },
    });
  }
  // After the rows are gone. Not awaited: the ban that calls this answers without waiting for the
  // blob store; a deletion that fails stays queued and is retried.
  void deps.blobCleanup.remove(keysToDelete(files)).catch(() => undefined);
  return deleted;
}
