/** The community rail: one button per community, then "Create a community" and "Log out". */
import { useState } from "react";
import { isUnread } from "../../state/chat-state.ts";
import { signOut } from "../../state/session.ts";
import { useChat } from "../context.ts";
import { Icon } from "../icons.tsx";
import { channelPath, navigate } from "../router.ts";
import { CreateGuildDialog } from "./dialogs.tsx";
import { GuildBadge } from "./guild-badge.tsx";

export function GuildRail({ activeGuildId }: { activeGuildId: string | null }) {
  const guildOrder = useChat((s) => s.guildOrder);
  const guilds = useChat((s) => s.guilds);
  const [creating, setCreating] = useState(false);
  const readStates = useChat((s) => s.readStates);
  const privateChannels = useChat((s) => s.privateChannels);
  const dmMentions = Object.values(privateChannels).reduce((sum, c) => sum + (readStates[c.id]?.mentions ?? 0), 0);
  return (
    <nav className="guild-rail" aria-label="Communities">
      <button
        type="button"
        className="rail-button rail-action"
        aria-current={activeGuildId === null ? "page" : undefined}
        aria-label={`Direct messages${dmMentions ? `, ${dmMentions} unread` : ""}`}
        title="Direct messages"
        onClick={() => navigate("/channels/@me")}
      >
        <Icon name="chat" size={22} />
        {dmMentions ? (
          <span className="mention-badge rail-badge" aria-hidden="true">
            {dmMentions}
          </span>
        ) : null}
      </button>
      <hr className="rail-separator" />
      <ul>
        {guildOrder.map((id) => {
          const guild = guilds[id];
          if (!guild) return null;
          const channels = Object.values(guild.channels);
          const mentions = channels.reduce((sum, c) => sum + (readStates[c.id]?.mentions ?? 0), 0);
          const unread = id !== activeGuildId && channels.some((c) => c.type === 0 && isUnread(readStates, c));
          return (
            <li key={id}>
              <button
                type="button"
                className="rail-button"
                aria-current={id === activeGuildId ? "page" : undefined}
                title={guild.guild.name}
                aria-label={`${guild.guild.name}${mentions ? `, ${mentions} mentions` : unread ? ", unread" : ""}`}
                onClick={() => navigate(channelPath(id))}
              >
                <GuildBadge name={guild.guild.name} />
                {unread ? <span className="unread-pip" aria-hidden="true" /> : null}
                {mentions ? (
                  <span className="mention-badge rail-badge" aria-hidden="true">
                    {mentions}
                  </span>
                ) : null}
              </button>
            </li>
          );
        })}
        <li>
          <button
            type="button"
            className="rail-button rail-action"
            aria-label="Create a community"
            title="Create a community"
            onClick={() => setCreating(true)}
          >
            <Icon name="plus" size={24} />
          </button>
        </li>
      </ul>
      <button type="button" className="rail-button rail-action" aria-label="Log out" title="Log out" onClick={signOut}>
        <Icon name="logout" />
      </button>
      {creating ? <CreateGuildDialog onClose={() => setCreating(false)} /> : null}
    </nav>
  );
}
