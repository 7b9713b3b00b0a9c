/**
 * Where attachments live in the blob store: `attachments/<channel_id>/<attachment_id>/<filename>`.
 * Shared by every feature that deletes messages (one by one, or with their channel or guild), which
 * hand the keys or the channel's prefix to the blob cleanup queue.
 */
export { keysToDelete, prefixToDelete } from "../blobs/blob-cleanup.ts";

export const attachmentKey = (channelId: bigint, attachmentId: bigint, filename: string) =>
  `attachments/${channelId}/${attachmentId}/${filename}`;

/** Every attachment of one channel (ends with `/`, as blob prefixes do). */
export const attachmentPrefixOfChannel = (channelId: bigint) => `attachments/${channelId}/`;
