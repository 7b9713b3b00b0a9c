/**
 * Removing attachment files from local disk by storage key (`attachments/<channel>/<attachment>/<name>`),
 * shared by every feature that deletes messages: one by one, or with their channel or guild. Each
 * file lives alone in its attachment folder, so that folder goes.
 */
import { rm, rmdir } from "node:fs/promises";
import { dirname, join, resolve, sep } from "node:path";

export interface RemoveOptions {
  /** The channels are gone too: their folders go once empty (never while uploads may still land in them). */
  pruneChannelFolders?: boolean;
}

export async function removeAttachmentFiles(dataDir: string, storageKeys: readonly string[], options: RemoveOptions = {}): Promise<void> {
  if (storageKeys.length === 0) return;
  const root = resolve(dataDir, "attachments") + sep;
  // Keys come from our own rows, but nothing outside the attachments folder is ever touched.
  const folders = [...new Set(storageKeys.map((key) => dirname(resolve(join(dataDir, key)))))].filter((folder) => folder.startsWith(root));
  await Promise.all(folders.map((folder) => rm(folder, { recursive: true, force: true })));
  if (!options.pruneChannelFolders) return;
  const parents = new Set(folders.map((folder) => dirname(folder)).filter((parent) => parent.startsWith(root)));
  // rmdir removes only an empty folder; one that still holds something stays.
  await Promise.all([...parents].map((parent) => rmdir(parent).catch(() => undefined)));
}
