/** The community rail: one button per community, then "Create a community" and "Log out". */
import { useState } from "react";
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
  return (
    <nav className="guild-rail" aria-label="Communities">
      <ul>
        {guildOrder.map((id) => {
          const guild = guilds[id];
          if (!guild) return null;
          return (
            <li key={id}>
              <button
                type="button"
                className="rail-button"
                aria-current={id === activeGuildId ? "page" : undefined}
                title={guild.guild.name}
                aria-label={guild.guild.name}
                onClick={() => navigate(channelPath(id))}
              >
                <GuildBadge name={guild.guild.name} />
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
