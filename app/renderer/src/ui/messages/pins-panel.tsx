/** The channel's pinned messages, newest pin first, with a jump to each and unpin for those allowed. */
import { useEffect, useState } from "react";
import type { Channel } from "../../api/types.ts";
import type { PinnedEntry } from "../../state/guild-admin.ts";
import { useChat, useChatClient } from "../context.ts";
import { Icon } from "../icons.tsx";
import { Avatar } from "./avatar.tsx";
import { Markdown } from "./markdown.tsx";

export function PinsPanel({
  channel,
  canUnpin,
  onJump,
  onClose,
}: {
  channel: Channel;
  canUnpin: boolean;
  onJump(messageId: string): void;
  onClose(): void;
}) {
  const client = useChatClient();
  const version = useChat((s) => s.pinsVersion[channel.id] ?? 0);
  const [pins, setPins] = useState<PinnedEntry[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `version` is the signal to fetch again
  useEffect(() => {
    let live = true;
    client.admin.listPins(channel.id).then(
      (items) => {
        if (!live) return;
        setPins(items);
        setError(null);
      },
      (caught) => live && setError(caught instanceof Error ? caught.message : "Pins could not be loaded."),
    );
    return () => {
      live = false;
    };
  }, [client, channel.id, version]);
  return (
    <section className="pins-panel" aria-label="Pinned messages">
      <header>
        <h2>Pinned messages</h2>
        <button type="button" className="icon-button" aria-label="Close pinned messages" onClick={onClose}>
          <Icon name="close" size={18} />
        </button>
      </header>
      {error ? <p role="alert">{error}</p> : null}
      {pins === null && !error ? <p className="muted">Loading…</p> : null}
      {pins?.length === 0 ? <p className="muted">No pinned messages in #{channel.name} yet.</p> : null}
      <ul>
        {pins?.map(({ message }) => (
          <li key={message.id} className="pinned">
            <Avatar user={message.author} size={24} />
            <div className="pinned-body">
              <strong>{message.author.global_name || message.author.username}</strong>
              <Markdown content={message.content} />
              <div className="pinned-actions">
                <button type="button" className="link" onClick={() => onJump(message.id)}>
                  Jump
                </button>
                {canUnpin ? (
                  <button type="button" className="link danger" onClick={() => void client.admin.unpin(message)}>
                    Unpin
                  </button>
                ) : null}
              </div>
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}
