/** The message box: Enter sends, Shift+Enter adds a line, Up edits your last message, Escape drops a reply. */
import { type FormEvent, type KeyboardEvent, useEffect, useId, useRef, useState } from "react";
import type { Channel } from "../../api/types.ts";
import { privateChannelName, type ShownMessage } from "../../state/chat-state.ts";
import { useChat, useChatClient } from "../context.ts";
import { Icon } from "../icons.tsx";
import { EmojiPicker } from "./emoji-picker.tsx";
import { MentionList, useMentionSuggestions } from "./mention-autocomplete.tsx";
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
  const target = channel.guild_id ? `#${channel.name ?? "channel"}` : `@${privateChannelName(channel)}`;
  const [text, setText] = useState("");
  const [files, setFiles] = useState<File[]>([]);
  const [dragging, setDragging] = useState(false);
  const fileInputId = useId();
  const addFiles = (list: FileList | File[] | null) => {
    if (list && list.length > 0) setFiles((current) => [...current, ...Array.from(list)].slice(0, 10));
  };
  const [caret, setCaret] = useState(0);
  const box = useRef<HTMLTextAreaElement>(null);
  const listId = useId();
  const mentions = useMentionSuggestions(channel.guild_id ?? null, text, caret);

  const [emojiOpen, setEmojiOpen] = useState(false);
  function insertEmoji(emoji: string) {
    const at = box.current?.selectionStart ?? text.length;
    const next = text.slice(0, at) + emoji + text.slice(at);
    setText(next);
    setEmojiOpen(false);
    const after = at + emoji.length;
    requestAnimationFrame(() => {
      box.current?.focus();
      box.current?.setSelectionRange(after, after);
    });
  }

  function pickMention(member: Parameters<typeof mentions.complete>[0]) {
    const next = mentions.complete(member);
    setText(next.text);
    setCaret(next.caret);
    requestAnimationFrame(() => box.current?.setSelectionRange(next.caret, next.caret));
  }

  useEffect(() => {
    if (replyTo) box.current?.focus();
  }, [replyTo]);

  function send(event?: FormEvent) {
    event?.preventDefault();
    const content = text.trim();
    if (!content && files.length === 0) return;
    setText("");
    setFiles([]);
    onCancelReply();
    void client.sendMessage(channel.id, content, replyTo ?? undefined, files);
  }

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (mentions.open) {
      const picked = mentions.suggestions[mentions.active];
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        event.preventDefault();
        mentions.move(event.key === "ArrowDown" ? 1 : -1);
        return;
      }
      if ((event.key === "Enter" || event.key === "Tab") && picked) {
        event.preventDefault();
        pickMention(picked);
        return;
      }
      if (event.key === "Escape") {
        event.preventDefault();
        mentions.dismiss();
        return;
      }
    }
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
    <form
      className={`composer${dragging ? " dragging" : ""}`}
      onSubmit={send}
      id="composer"
      onDragOver={(event) => {
        if (!event.dataTransfer.types.includes("Files")) return;
        event.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={(event) => {
        event.preventDefault();
        setDragging(false);
        addFiles(event.dataTransfer.files);
      }}
    >
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
      {mentions.open ? <MentionList id={listId} suggestions={mentions.suggestions} active={mentions.active} onPick={pickMention} /> : null}
      {files.length > 0 ? (
        <ul className="pending-files" aria-label="Files to send">
          {files.map((file, index) => (
            <li key={`${file.name}-${file.size}-${file.lastModified}`}>
              <span>{file.name}</span>
              <button
                type="button"
                className="icon-button small"
                aria-label={`Remove ${file.name}`}
                onClick={() => setFiles((current) => current.filter((_, i) => i !== index))}
              >
                <Icon name="close" size={14} />
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      <div className="composer-row">
        <label className="icon-button attach" htmlFor={fileInputId} title="Attach files">
          <Icon name="plus" />
          <span className="visually-hidden">Attach files</span>
        </label>
        <input
          id={fileInputId}
          type="file"
          multiple
          className="visually-hidden"
          onChange={(event) => {
            addFiles(event.target.files);
            event.target.value = "";
          }}
        />
        <textarea
          ref={box}
          className="composer-input"
          aria-label={`Message ${target}`}
          placeholder={`Message ${target}`}
          value={text}
          rows={1}
          maxLength={4000}
          // Stays a textbox (its name starts with "Message", which tools and tests look for).
          aria-autocomplete="list"
          aria-controls={mentions.open ? listId : undefined}
          aria-activedescendant={mentions.open ? `${listId}-${mentions.active}` : undefined}
          onSelect={(event) => setCaret(event.currentTarget.selectionStart)}
          onChange={(event) => {
            setText(event.target.value);
            setCaret(event.target.selectionStart);
            if (event.target.value) client.startTyping(channel.id);
          }}
          onKeyDown={onKeyDown}
          onPaste={(event) => {
            if (event.clipboardData.files.length > 0) {
              event.preventDefault();
              addFiles(event.clipboardData.files);
            }
          }}
        />
        <span className="composer-emoji">
          <button
            type="button"
            className="icon-button"
            aria-label="Emoji"
            aria-expanded={emojiOpen}
            title="Emoji"
            onClick={() => setEmojiOpen(!emojiOpen)}
          >
            <Icon name="smile" />
          </button>
          {emojiOpen ? <EmojiPicker label="Insert an emoji" onPick={insertEmoji} onClose={() => setEmojiOpen(false)} /> : null}
        </span>
      </div>
      <TypingIndicator channelId={channel.id} guildId={channel.guild_id ?? null} />
    </form>
  );
}
