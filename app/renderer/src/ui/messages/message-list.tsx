/**
 * The channel's messages in a virtualised list, newest at the bottom. Older pages are prepended
 * by lowering `firstItemIndex` by their size, which keeps what is on screen where it was.
 */
import { useCallback, useRef } from "react";
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
  const jump = useCallback(
    (messageId: Snowflake) => {
      const index = messages.findIndex((m) => m.id === messageId);
      if (index >= 0) virtuoso.current?.scrollToIndex({ index, align: "center", behavior: "auto" });
    },
    [messages],
  );

  const loadOlder = useCallback(() => void client.loadOlder(channelId), [client, channelId]);

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
      ref={virtuoso}
      className="message-list"
      role="log"
      aria-label="Messages"
      aria-live="polite"
      data={messages}
      firstItemIndex={firstItemIndex}
      initialTopMostItemIndex={messages.length - 1}
      alignToBottom
      followOutput={(atBottom) => (atBottom ? "auto" : false)}
      startReached={entry?.hasMoreBefore ? loadOlder : undefined}
      computeItemKey={(_, message) => (message.nonce && message.local ? `nonce-${message.nonce}` : message.id)}
      increaseViewportBy={{ top: 600, bottom: 200 }}
      components={{ Header: entry?.hasMoreBefore ? HistoryHeader : BeginningHeader }}
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
          />
        );
      }}
    />
  );
}

function HistoryHeader() {
  return <div className="history-header">Loading older messages…</div>;
}

function BeginningHeader() {
  return <div className="history-header">This is the beginning of the channel.</div>;
}
