/** The message box: Enter sends, Shift+Enter adds a line, Up edits your last message, Escape drops a reply. */
import { type FormEvent, type KeyboardEvent, useEffect, useRef, useState } from "react";
import type { Channel } from "../../api/types.ts";
import type { ShownMessage } from "../../state/chat-state.ts";
import { useChat, useChatClient } from "../context.ts";
import { Icon } from "../icons.tsx";
import { TypingIndicator } from "./typing-indicator.tsx";

export function Composer({
  channel,
  replyTo,
  onCancelReply,
  onEditLast,
}: {
  channel: Channel;
  replyTo: ShownMessage | null;
  onCancelReply(): void;
  onEditLast(message: ShownMessage): void;
}) {
  const client = useChatClient();
  const meId = useChat((s) => s.me?.id);
  const lastMine = useChat((s) => s.messages[channel.id]?.messages.findLast((m) => m.author.id === meId && !m.local));
  const [text, setText] = useState("");
  const box = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    if (replyTo) box.current?.focus();
  }, [replyTo]);

  function send(event?: FormEvent) {
    event?.preventDefault();
    const content = text.trim();
    if (!content) return;
    setText("");
    onCancelReply();
    void client.sendMessage(channel.id, content, replyTo ?? undefined);
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      send();
    } else if (event.key === "ArrowUp" && text === "" && lastMine) {
      event.preventDefault();
      onEditLast(lastMine);
    } else if (event.key === "Escape" && replyTo) {
      onCancelReply();
    }
  }

  return (
    <form className="composer" onSubmit={send} id="composer">
      {replyTo ? (
        <div className="replying">
          <span>
            Replying to <strong>{replyTo.author.global_name || replyTo.author.username}</strong>
          </span>
          <button type="button" className="icon-button small" aria-label="Cancel reply" onClick={onCancelReply}>
            <Icon name="close" size={16} />
          </button>
        </div>
      ) : null}
      <textarea
        ref={box}
        className="composer-input"
        aria-label={`Message #${channel.name ?? "channel"}`}
        placeholder={`Message #${channel.name ?? "channel"}`}
        value={text}
        rows={1}
        maxLength={4000}
        onChange={(event) => {
          setText(event.target.value);
          if (event.target.value) client.startTyping(channel.id);
        }}
        onKeyDown={onKeyDown}
      />
      <TypingIndicator channelId={channel.id} guildId={channel.guild_id ?? null} />
    </form>
  );
}
