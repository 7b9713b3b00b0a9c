/** "Bob is typing…" above the composer; the line keeps its height so the composer does not move. */
import { displayName } from "../../state/chat-state.ts";
import { useChat } from "../context.ts";

export function TypingIndicator({ channelId, guildId }: { channelId: string; guildId: string | null }) {
  const typingIds = useChat((s) => s.typing[channelId]);
  const names = useChat((s) => {
    const guild = guildId ? s.guilds[guildId] : undefined;
    return Object.keys(typingIds ?? {})
      .map((id) => {
        const member = guild?.members[id];
        return member ? displayName(member.user, member) : null;
      })
      .filter((name): name is string => Boolean(name))
      .join("\u0000");
  });
  const list = names ? names.split("\u0000") : [];
  const text =
    list.length === 0
      ? ""
      : list.length === 1
        ? `${list[0]} is typing…`
        : list.length <= 3
          ? `${list.slice(0, -1).join(", ")} and ${list.at(-1)} are typing…`
          : "Several people are typing…";
  return (
    <p className="typing" aria-live="polite">
      {text}
    </p>
  );
}
