/** The DM list shown at /channels/@me, newest conversation first. */
import { compareIds, isUnread, privateChannelName } from "../../state/chat-state.ts";
import { useChat } from "../context.ts";
import { Avatar } from "../messages/avatar.tsx";
import { navigate } from "../router.ts";

export function DirectMessagesSidebar({ activeChannelId, onPicked }: { activeChannelId: string | null; onPicked(): void }) {
  const channels = useChat((s) => s.privateChannels);
  const readStates = useChat((s) => s.readStates);
  const list = Object.values(channels).sort((a, b) => compareIds(b.last_message_id ?? b.id, a.last_message_id ?? a.id));
  return (
    <nav className="channel-sidebar" aria-label="Direct messages">
      <header className="sidebar-header">
        <h2>Direct messages</h2>
      </header>
      <div className="channel-groups">
        {list.length === 0 ? <p className="muted small">No conversations yet. Message someone from a community's member list.</p> : null}
        <ul className="dm-list">
          {list.map((channel) => {
            const name = privateChannelName(channel);
            const unread = channel.id !== activeChannelId && isUnread(readStates, channel);
            const first = channel.recipients?.[0];
            return (
              <li key={channel.id}>
                <a
                  href={`/channels/@me/${channel.id}`}
                  className={`channel-link${unread ? " unread" : ""}`}
                  aria-current={channel.id === activeChannelId ? "page" : undefined}
                  onClick={(event) => {
                    event.preventDefault();
                    navigate(`/channels/@me/${channel.id}`);
                    onPicked();
                  }}
                >
                  {first ? <Avatar user={first} size={24} /> : null}
                  <span>{name}</span>
                  {unread ? <span className="visually-hidden">, unread</span> : null}
                </a>
              </li>
            );
          })}
        </ul>
      </div>
    </nav>
  );
}
