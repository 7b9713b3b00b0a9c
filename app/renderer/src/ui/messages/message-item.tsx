/** One message row: header when a group starts, reply quote, content, reactions, and its actions. */
import { type KeyboardEvent, memo, useEffect, useRef, useState } from "react";
import { displayName, emojiKey, type ShownMessage } from "../../state/chat-state.ts";
import { roleColour } from "../../state/member-groups.ts";
import { useChat, useChatClient } from "../context.ts";
import { Icon } from "../icons.tsx";
import { Attachments } from "./attachments.tsx";
import { Avatar } from "./avatar.tsx";
import { EmojiPicker } from "./emoji-picker.tsx";
import { Markdown } from "./markdown.tsx";
import { MessageTypePinned, SystemMessage } from "./system-message.tsx";

export const quickReactions = ["👍", "❤️", "😂", "🎉", "😮", "😢"];

export interface MessageAbilities {
  react: boolean;
  reply: boolean;
  manageMessages: boolean;
  pin: boolean;
}

const timeFormat = new Intl.DateTimeFormat(undefined, { hour: "2-digit", minute: "2-digit" });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });

function formatWhen(iso: string): string {
  const date = new Date(iso);
  const today = new Date();
  return date.toDateString() === today.toDateString() ? `Today at ${timeFormat.format(date)}` : dateTimeFormat.format(date);
}

export const MessageItem = memo(function MessageItem({
  message,
  guildId,
  grouped,
  abilities,
  editing,
  onReply,
  onEdit,
  onStopEdit,
  onJump,
  newSince,
  highlighted = false,
}: {
  message: ShownMessage;
  guildId: string | null;
  grouped: boolean;
  abilities: MessageAbilities;
  editing: boolean;
  onReply(message: ShownMessage): void;
  onEdit(message: ShownMessage): void;
  onStopEdit(): void;
  /** Scrolls the list to another message (the original of a reply). */
  onJump(messageId: string): void;
  /** The first message past the read position when the channel was opened: a divider goes above it. */
  newSince: boolean;
  /** The message a jump brought into view. */
  highlighted?: boolean;
}) {
  const client = useChatClient();
  const meId = useChat((s) => s.me?.id);
  const member = useChat((s) => (guildId ? s.guilds[guildId]?.members[message.author.id] : undefined));
  const colour = useChat((s) => (guildId ? roleColour(member, s.guilds[guildId]?.roles ?? {}) : undefined));
  const [picking, setPicking] = useState(false);
  const [browsing, setBrowsing] = useState(false);
  const react = (emoji: string) => {
    setPicking(false);
    setBrowsing(false);
    const existing = message.reactions?.find((r) => emojiKey(r.emoji) === emoji);
    void client.toggleReaction(message, emoji, Boolean(existing?.me));
  };
  const mine = message.author.id === meId;
  const name = displayName(message.author, member);
  const reference = message.referenced_message;
  const showHeader = !grouped || Boolean(reference);
  const mentionsMe = Boolean(meId && (message.mentions?.some((u) => u.id === meId) || message.referenced_message?.author.id === meId));
  if (message.type === MessageTypePinned) return <SystemMessage message={message} name={name} onJump={onJump} />;

  return (
    <article
      className={`message${showHeader ? " group-start" : ""}${mentionsMe && !mine ? " mentions-me" : ""}${message.local ? ` local-${message.local.state}` : ""}${highlighted ? " highlighted" : ""}`}
      aria-label={`${name}: ${message.content.slice(0, 80)}`}
      data-message-id={message.id}
      id={`message-${message.id}`}
    >
      {newSince ? (
        <div className="new-divider">
          <hr aria-label="New messages" />
          <span aria-hidden="true">New</span>
        </div>
      ) : null}
      {reference ? (
        <button type="button" className="reply-quote" onClick={() => onJump(reference.id)}>
          <Icon name="reply" size={14} />
          <span className="reply-author">@{reference.author.global_name || reference.author.username}</span>
          <span className="reply-text">
            <Markdown content={reference.content.slice(0, 200).replace(/\n+/g, " ")} />
          </span>
        </button>
      ) : null}
      <div className="message-row">
        <div className="message-gutter">
          {showHeader ? (
            <Avatar user={message.author} />
          ) : (
            <time className="hover-time" dateTime={message.timestamp}>
              {timeFormat.format(new Date(message.timestamp))}
            </time>
          )}
        </div>
        <div className="message-body">
          {showHeader ? (
            <h3 className="message-header">
              <span className="author" style={{ color: colour }}>
                {name}
              </span>
              <time dateTime={message.timestamp} title={dateTimeFormat.format(new Date(message.timestamp))}>
                {formatWhen(message.timestamp)}
              </time>
            </h3>
          ) : null}
          {editing ? (
            <EditBox message={message} onDone={onStopEdit} />
          ) : (
            <div className="message-content">
              <Markdown content={message.content} />
              {message.edited_timestamp ? (
                <span className="edited" title={dateTimeFormat.format(new Date(message.edited_timestamp))}>
                  {" "}
                  (edited)
                </span>
              ) : null}
            </div>
          )}
          {message.attachments?.length ? <Attachments attachments={message.attachments} /> : null}
          {message.local?.state === "failed" ? (
            <p className="send-failed" role="alert">
              {message.local.error ?? "Not sent."}{" "}
              <button type="button" className="link" onClick={() => void client.retry(message)}>
                Retry
              </button>{" "}
              <button type="button" className="link" onClick={() => client.discard(message)}>
                Discard
              </button>
            </p>
          ) : null}
          {message.reactions?.length ? (
            <ul className="reactions" aria-label="Reactions">
              {message.reactions.map((reaction) => (
                <li key={emojiKey(reaction.emoji)}>
                  <button
                    type="button"
                    className="reaction"
                    aria-pressed={Boolean(reaction.me)}
                    disabled={!abilities.react && !reaction.me}
                    aria-label={`${reaction.emoji.name} ${reaction.count}${reaction.me ? ", you reacted" : ""}`}
                    onClick={() => void client.toggleReaction(message, emojiKey(reaction.emoji), Boolean(reaction.me))}
                  >
                    <span>{reaction.emoji.name}</span> <span className="count">{reaction.count}</span>
                  </button>
                </li>
              ))}
            </ul>
          ) : null}
        </div>
        {message.local || editing ? null : (
          <div className="message-actions" role="toolbar" aria-label="Message actions">
            {abilities.react ? (
              <button
                type="button"
                className="icon-button"
                aria-label="Add reaction"
                aria-expanded={picking}
                onClick={() => setPicking(!picking)}
              >
                <Icon name="smile" size={18} />
              </button>
            ) : null}
            {abilities.reply ? (
              <button type="button" className="icon-button" aria-label="Reply" onClick={() => onReply(message)}>
                <Icon name="reply" size={18} />
              </button>
            ) : null}
            {abilities.pin ? (
              <button
                type="button"
                className="icon-button"
                aria-label={message.pinned ? "Unpin" : "Pin"}
                onClick={() => void (message.pinned ? client.admin.unpin(message) : client.admin.pin(message))}
              >
                <Icon name="pin" size={18} />
              </button>
            ) : null}
            {mine ? (
              <button type="button" className="icon-button" aria-label="Edit" onClick={() => onEdit(message)}>
                <Icon name="edit" size={18} />
              </button>
            ) : null}
            {mine || abilities.manageMessages ? (
              <button type="button" className="icon-button danger" aria-label="Delete" onClick={() => void client.deleteMessage(message)}>
                <Icon name="trash" size={18} />
              </button>
            ) : null}
            {picking ? (
              <fieldset className="reaction-picker" aria-label="Pick a reaction">
                {quickReactions.map((emoji) => (
                  <button key={emoji} type="button" className="icon-button" aria-label={`React with ${emoji}`} onClick={() => react(emoji)}>
                    {emoji}
                  </button>
                ))}
                <button
                  type="button"
                  className="icon-button"
                  aria-label="More emoji"
                  aria-expanded={browsing}
                  onClick={() => setBrowsing(!browsing)}
                >
                  <Icon name="plus" size={18} />
                </button>
                {browsing ? <EmojiPicker label="Pick a reaction" onPick={react} onClose={() => setBrowsing(false)} /> : null}
              </fieldset>
            ) : null}
          </div>
        )}
      </div>
    </article>
  );
});

function EditBox({ message, onDone }: { message: ShownMessage; onDone(): void }) {
  const client = useChatClient();
  const [text, setText] = useState(message.content);
  const [error, setError] = useState<string | null>(null);
  const editBox = useRef<HTMLTextAreaElement>(null);
  useEffect(() => {
    const box = editBox.current;
    box?.focus();
    box?.setSelectionRange(box.value.length, box.value.length);
  }, []);
  async function save() {
    if (text.trim() === message.content) return onDone();
    try {
      await client.editMessage(message, text.trim());
      onDone();
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : "Not saved.");
    }
  }
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === "Escape") onDone();
    if (event.key === "Enter" && !event.shiftKey) {
      event.preventDefault();
      void save();
    }
  };
  return (
    <div className="edit-box">
      <textarea
        aria-label="Edit message"
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onKeyDown}
        rows={2}
        ref={editBox}
      />
      <p className="muted small">
        Escape to{" "}
        <button type="button" className="link" onClick={onDone}>
          cancel
        </button>{" "}
        · Enter to{" "}
        <button type="button" className="link" onClick={() => void save()}>
          save
        </button>
      </p>
      {error ? <p role="alert">{error}</p> : null}
    </div>
  );
}
