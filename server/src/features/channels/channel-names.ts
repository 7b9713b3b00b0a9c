/**
 * Text channel names as Fluxer stores them unless the guild has TEXT_CHANNEL_FLEXIBLE_NAMES:
 * lower case, whitespace runs become one hyphen, punctuation is dropped.
 */
import type { Guild } from "../../storage/records.ts";

export const FLEXIBLE_NAMES = "TEXT_CHANNEL_FLEXIBLE_NAMES";

const DISALLOWED = new Set(" !\"#$%&'()*+,/:;<=>?@[\\]^`{|}~");

export function normalizeTextChannelName(name: string): string {
  const lowered = name.normalize("NFC").toLowerCase().replace(/\s+/g, "-");
  const kept = [...lowered].filter((char) => !DISALLOWED.has(char)).join("");
  return kept.slice(0, 100) || "-";
}

/** The name a text channel gets in this guild. */
export const textChannelName = (guild: Guild, name: string): string =>
  guild.features.includes(FLEXIBLE_NAMES) ? name : normalizeTextChannelName(name);
