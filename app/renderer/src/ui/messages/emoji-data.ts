/**
 * The bundled emoji list (emojibase-data, English), loaded on first use as its own chunk from
 * this instance, so the main bundle stays small and nothing is fetched from elsewhere.
 */
export interface EmojiEntry {
  unicode: string;
  label: string;
  /** Label and tags, lower-case, for search. */
  words: string;
}

let loading: Promise<EmojiEntry[]> | null = null;

export function loadEmoji(): Promise<EmojiEntry[]> {
  loading ??= import("emojibase-data/en/compact.json").then(({ default: data }) =>
    data
      // Regional indicators and components (skin tones alone) have no group: not for picking.
      .filter((entry) => entry.group !== undefined && entry.group !== 2)
      .sort((a, b) => (a.order ?? 0) - (b.order ?? 0))
      .map((entry) => ({
        // Without the variation selector, so the reaction matches what other clients send.
        unicode: entry.unicode.replace(/\uFE0F/g, ""),
        label: entry.label,
        words: [entry.label, ...(entry.tags ?? [])].join(" ").toLowerCase(),
      })),
  );
  return loading;
}

/** Entries whose label or tags contain every word of the query, best (label prefix) first. */
export function searchEmoji(all: EmojiEntry[], query: string, limit: number): EmojiEntry[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return all.slice(0, limit);
  const hits = all.filter((entry) => words.every((word) => entry.words.includes(word)));
  const first = words[0] ?? "";
  return [...hits.filter((e) => e.label.startsWith(first)), ...hits.filter((e) => !e.label.startsWith(first))].slice(0, limit);
}
