/**
 * The channel's messages in a virtualised list, newest at the bottom. Older pages are prepended
 * by lowering `firstItemIndex` by their size, which keeps what is on screen where it was.
 */
import { useCallback, useEffect, useRef, useState } from "react";
import { Virtuoso, type VirtuosoHandle } from "react-virtuoso";
import type { Snowflake } from "../../api/types.ts";
import { compareIds, type ShownMessage } from "../../state/chat-state.ts";
import { useChat, useChatClient } from "../context.ts";
import { type MessageAbilities, MessageItem } from "./message-item.tsx";

const startIndex = 1_000_000_000;
/** Consecutive messages by one author within this window share one header. */
const groupWindowMs = 7 * 60 * 1000;

function isGrouped(previous: ShownMessage | undefined, message: ShownMessage): boolean {
  if (!previous || previous.author.id !== message.author.id || message.referenced_message) return false;
  return Date.parse(message.timestamp) - Date.parse(previous.timestamp) < groupWindowMs;
}

export function MessageList({
  channelId,
  guildId,
  abilities,
  editingId,
  onReply,
  onEdit,
  onStopEdit,
  readUpTo,
  jumpRequest,
}: {
  channelId: Snowflake;
  guildId: string | null;
  abilities: MessageAbilities;
  editingId: Snowflake | null;
  onReply(message: ShownMessage): void;
  onEdit(message: ShownMessage): void;
  onStopEdit(): void;
  /** Where reading stood when the channel was opened (null: all new, undefined: no divider). */
  readUpTo: Snowflake | null | undefined;
  /** A message to bring into view from outside the list (the pins panel); `seq` repeats a jump. */
  jumpRequest?: { messageId: Snowflake; seq: number } | null;
}) {
  const client = useChatClient();
  const entry = useChat((s) => s.messages[channelId]);
  const messages = entry?.messages ?? [];
  const virtuoso = useRef<VirtuosoHandle>(null);

  // firstItemIndex must fall by exactly the number of messages added above the first one, in the
  // same render as the new data (an effect would be one render late, and the list would jump).
  const anchor = useRef<{ firstId: Snowflake | null; index: number }>({ firstId: null, index: startIndex });
  const firstMessageId = messages[0]?.id ?? null;
  if (firstMessageId !== anchor.current.firstId) {
    const previousFirst = anchor.current.firstId;
    const prepended = previousFirst ? messages.findIndex((m) => m.id === previousFirst) : -1;
    anchor.current = { firstId: firstMessageId, index: anchor.current.index - Math.max(0, prepended) };
  }
  const firstItemIndex = anchor.current.index;

  const firstNewId =
    readUpTo === undefined ? undefined : messages.find((m) => !m.local && (readUpTo === null || compareIds(m.id, readUpTo) > 0))?.id;
  // A jump to a message that is not loaded fetches the history around it; the list then opens there.
  const [target, setTarget] = useState<Snowflake | null>(null);
  const jump = useCallback(
    (messageId: Snowflake) => {
      setTarget(messageId);
      const index = messages.findIndex((m) => m.id === messageId);
      if (index >= 0) virtuoso.current?.scrollToIndex({ index, align: "center", behavior: "auto" });
      else void client.loadAround(channelId, messageId).catch(() => setTarget(null));
    },
    [messages, client, channelId],
  );
  // Only a new request jumps (`jump` itself changes with every message, so it is read through a ref).
  const jumpRef = useRef(jump);
  jumpRef.current = jump;
  useEffect(() => {
    if (jumpRequest) jumpRef.current(jumpRequest.messageId);
  }, [jumpRequest]);
  const targetIndex = target ? messages.findIndex((m) => m.id === target) : -1;

  const loadOlder = useCallback(() => void client.loadOlder(channelId), [client, channelId]);
  const loadNewer = useCallback(() => void client.loadNewer(channelId), [client, channelId]);

  if (!entry?.loaded && messages.length === 0) return <div className="message-list empty">Loading messages…</div>;
  if (messages.length === 0) {
    return (
      <div className="message-list empty">
        <p>This is the start of the channel. Say hello!</p>
      </div>
    );
  }
  return (
    <Virtuoso
      key={entry?.windowId ?? 0}
      ref={virtuoso}
      className="message-list"
      role="log"
      aria-label="Messages"
      aria-live="polite"
      data={messages}
      firstItemIndex={firstItemIndex}
      initialTopMostItemIndex={targetIndex >= 0 ? { index: targetIndex, align: "center" } : messages.length - 1}
      alignToBottom
      followOutput={(atBottom) => (atBottom && !entry?.hasMoreAfter ? "auto" : false)}
      startReached={entry?.hasMoreBefore ? loadOlder : undefined}
      endReached={entry?.hasMoreAfter ? loadNewer : undefined}
      computeItemKey={(_, message) => (message.nonce && message.local ? `nonce-${message.nonce}` : message.id)}
      increaseViewportBy={{ top: 600, bottom: 200 }}
      components={{ Header: entry?.hasMoreBefore ? HistoryHeader : BeginningHeader, Footer: entry?.hasMoreAfter ? NewerFooter : undefined }}
      itemContent={(index, message) => {
        const previous = messages[index - firstItemIndex - 1];
        return (
          <MessageItem
            message={message}
            guildId={guildId}
            grouped={isGrouped(previous, message)}
            abilities={abilities}
            editing={editingId === message.id}
            onReply={onReply}
            onEdit={onEdit}
            onStopEdit={onStopEdit}
            onJump={jump}
            newSince={message.id === firstNewId}
            highlighted={message.id === target}
          />
        );
      }}
    />
  );
}

function HistoryHeader() {
  return <div className="history-header">Loading older messages…</div>;
}

function NewerFooter() {
  return <div className="history-header">Loading newer messages…</div>;
}

function BeginningHeader() {
  return <div className="history-header">This is the beginning of the channel.</div>;
}
