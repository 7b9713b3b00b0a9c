/** Notices the server posts into a channel (a pin today), shown as one quiet line. */
import type { ShownMessage } from "../../state/chat-state.ts";
import { Icon } from "../icons.tsx";

export const MessageTypePinned = 6;

export function SystemMessage({ message, name, onJump }: { message: ShownMessage; name: string; onJump(messageId: string): void }) {
  const target = message.message_reference?.message_id;
  return (
    <article
      className="message system-message"
      aria-label={`${name} pinned a message`}
      data-message-id={message.id}
      id={`message-${message.id}`}
    >
      <div className="message-row">
        <div className="message-gutter">
          <Icon name="pin" size={18} />
        </div>
        <p className="message-body">
          <strong>{name}</strong> pinned{" "}
          {target ? (
            <button type="button" className="link" onClick={() => onJump(target)}>
              a message
            </button>
          ) : (
            "a message"
          )}{" "}
          to this channel.
        </p>
      </div>
    </article>
  );
}
