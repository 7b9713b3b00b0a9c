/**
 * `@` in the composer: members whose name starts with what follows, picked with the arrows and
 * Enter or Tab, inserted as `<@id>` (the wire form the server turns into a mention).
 */
import { useMemo, useState } from "react";
import type { Member } from "../../api/types.ts";
import { displayName } from "../../state/chat-state.ts";
import { useChat } from "../context.ts";
import { Avatar } from "./avatar.tsx";

const maxSuggestions = 8;

/** The `@query` just before the caret, if the caret is at the end of one. */
export function mentionQuery(text: string, caret: number): { start: number; query: string } | null {
  const match = /(^|\s)@([^\s@]{0,32})$/.exec(text.slice(0, caret));
  if (!match) return null;
  return { start: caret - (match[2]?.length ?? 0) - 1, query: (match[2] ?? "").toLowerCase() };
}

export function useMentionSuggestions(guildId: string | null, text: string, caret: number) {
  const members = useChat((s) => (guildId ? s.guilds[guildId]?.members : undefined));
  const [dismissedAt, setDismissedAt] = useState<number | null>(null);
  const [active, setActive] = useState(0);
  const found = mentionQuery(text, caret);
  const query = found?.query ?? null;
  const suggestions = useMemo(() => {
    if (query === null || !members) return [];
    return Object.values(members)
      .filter((m) => [displayName(m.user, m), m.user.username].some((name) => name.toLowerCase().startsWith(query)))
      .sort((a, b) => displayName(a.user, a).localeCompare(displayName(b.user, b)))
      .slice(0, maxSuggestions);
  }, [query, members]);
  const open = suggestions.length > 0 && found !== null && dismissedAt !== found.start;
  return {
    open,
    suggestions,
    active: Math.min(active, Math.max(0, suggestions.length - 1)),
    move(delta: number) {
      setActive((index) => (index + delta + suggestions.length) % suggestions.length);
    },
    dismiss() {
      if (found) setDismissedAt(found.start);
    },
    /** The text with the query replaced by the picked member's mention, and where the caret goes. */
    complete(member: Member): { text: string; caret: number } {
      const start = found?.start ?? caret;
      const inserted = `<@${member.user.id}> `;
      setActive(0);
      return { text: text.slice(0, start) + inserted + text.slice(caret), caret: start + inserted.length };
    },
  };
}

export function MentionList({
  id,
  suggestions,
  active,
  onPick,
}: {
  id: string;
  suggestions: Member[];
  active: number;
  onPick(member: Member): void;
}) {
  return (
    <div className="mention-list" id={id} role="listbox" aria-label="Members to mention">
      {suggestions.map((member, index) => (
        <div
          key={member.user.id}
          tabIndex={-1}
          id={`${id}-${index}`}
          role="option"
          aria-selected={index === active}
          className="mention-option"
          // mousedown, not click: the textarea must keep focus.
          onMouseDown={(event) => {
            event.preventDefault();
            onPick(member);
          }}
        >
          <Avatar user={member.user} size={24} />
          <span>{displayName(member.user, member)}</span>
          <span className="muted small">{member.user.username}</span>
        </div>
      ))}
    </div>
  );
}
