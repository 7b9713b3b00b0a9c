/** A community's initials on a colour derived from its name (icons come with the media issue). */
export function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  return (words.length > 1 ? words.slice(0, 2).map((w) => [...w][0]) : [...(words[0] ?? "?")].slice(0, 2)).join("").toUpperCase();
}

export function hue(text: string): number {
  // FNV-1a, so ids that differ only in their last digits still get far-apart colours.
  let h = 2166136261;
  for (const char of text) h = Math.imul(h ^ (char.codePointAt(0) ?? 0), 16777619);
  // A final mix (as murmur3 does) so the low bits that % keeps depend on every character.
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return (h >>> 0) % 360;
}

/** The initials are drawn by CSS (`attr(data-initials)`) so they are not text a button's name must contain. */
export function GuildBadge({ name, size = 48 }: { name: string; size?: number }) {
  return (
    <span
      className="guild-badge"
      aria-hidden="true"
      data-initials={initials(name)}
      style={{ width: size, height: size, fontSize: size * 0.36, backgroundColor: `hsl(${hue(name)} 45% 42%)` }}
    />
  );
}
