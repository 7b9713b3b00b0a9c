/** The channel list of a community, grouped by category, with the controls the member may use. */
import { useState } from "react";
import { type Channel, ChannelType } from "../../api/types.ts";
import { isUnread } from "../../state/chat-state.ts";
import { channelPermissions, has, Permission } from "../../state/permissions.ts";
import { useChat } from "../context.ts";
import { Icon } from "../icons.tsx";
import { useGuildPermissions } from "../permissions-hooks.ts";
import { channelPath, navigate } from "../router.ts";
import { GuildSettingsDialog } from "../settings/guild-settings-dialog.tsx";
import { groupChannels } from "./channel-order.ts";
import { CreateChannelDialog, InviteDialog } from "./dialogs.tsx";
import { DirectMessagesSidebar } from "./direct-messages-sidebar.tsx";

export function ChannelSidebar({
  guildId,
  activeChannelId,
  onPicked,
}: {
  guildId: string | null;
  activeChannelId: string | null;
  /** A channel was chosen (closes the phone drawer). */
  onPicked(): void;
}) {
  const guild = useChat((s) => (guildId ? s.guilds[guildId] : undefined));
  const me = useChat((s) => s.me);
  const unread = useChat((s) => s.readStates);
  const permissions = useGuildPermissions(guildId);
  const [creatingIn, setCreatingIn] = useState<string | null | undefined>(undefined);
  const [inviting, setInviting] = useState<Channel | null>(null);
  const [settingsOpen, setSettingsOpen] = useState(false);

  if (!guildId) return <DirectMessagesSidebar activeChannelId={activeChannelId} onPicked={onPicked} />;
  if (!guild || !me) {
    return (
      <nav className="channel-sidebar" aria-label="Channels">
        <header className="sidebar-header">
          <h2>No community yet</h2>
        </header>
      </nav>
    );
  }
  const subject = {
    guildId: guild.guild.id,
    ownerId: guild.guild.owner_id,
    roles: guild.roles,
    userId: me.id,
    memberRoles: guild.members[me.id]?.roles ?? [],
  };
  const canView = (channel: Channel) => has(channelPermissions(subject, channel), Permission.ViewChannel);
  const groups = groupChannels(guild.channels, canView);
  const canManageChannels = has(permissions, Permission.ManageChannels);
  const active = activeChannelId ? guild.channels[activeChannelId] : undefined;
  const inviteChannel = active && has(channelPermissions(subject, active), Permission.CreateInstantInvite) ? active : undefined;

  return (
    <nav className="channel-sidebar" aria-label="Channels">
      <header className="sidebar-header">
        <h2>{guild.guild.name}</h2>
        {has(permissions, Permission.ManageGuild) || has(permissions, Permission.ManageRoles) ? (
          <button
            type="button"
            className="icon-button"
            aria-label="Community settings"
            title="Community settings"
            onClick={() => setSettingsOpen(true)}
          >
            <Icon name="gear" />
          </button>
        ) : null}
        {inviteChannel ? (
          <button
            type="button"
            className="icon-button"
            aria-label="Invite people"
            title="Invite people"
            onClick={() => setInviting(inviteChannel)}
          >
            <Icon name="invite" />
          </button>
        ) : null}
      </header>
      <div className="channel-groups">
        {groups.map((group) => (
          <section key={group.category?.id ?? "top"} className="channel-group" aria-label={group.category?.name ?? "Channels"}>
            {group.category ? (
              <h3 className="category-name">
                <span>{group.category.name}</span>
                {canManageChannels ? (
                  <button
                    type="button"
                    className="icon-button small"
                    aria-label={`Create a channel in ${group.category.name}`}
                    onClick={() => setCreatingIn(group.category?.id ?? null)}
                  >
                    <Icon name="plus" size={16} />
                  </button>
                ) : null}
              </h3>
            ) : null}
            <ul>
              {group.channels.map((channel) => (
                <li key={channel.id}>
                  {channel.type === ChannelType.GuildText ? (
                    <a
                      href={channelPath(guild.guild.id, channel.id)}
                      className={`channel-link${channel.id !== activeChannelId && isUnread(unread, channel) ? " unread" : ""}`}
                      aria-current={channel.id === activeChannelId ? "page" : undefined}
                      onClick={(event) => {
                        event.preventDefault();
                        navigate(channelPath(guild.guild.id, channel.id));
                        onPicked();
                      }}
                    >
                      <Icon name="hash" size={18} />
                      <span>{channel.name}</span>
                      {channel.id !== activeChannelId && isUnread(unread, channel) ? (
                        <span className="visually-hidden">, unread</span>
                      ) : null}
                      {unread[channel.id]?.mentions && channel.id !== activeChannelId ? (
                        <span className="mention-badge">
                          {unread[channel.id]?.mentions}
                          <span className="visually-hidden"> mentions</span>
                        </span>
                      ) : null}
                    </a>
                  ) : (
                    <span className="channel-link disabled" title="Voice comes later">
                      <span aria-hidden="true">🔊</span> <span>{channel.name}</span>
                    </span>
                  )}
                </li>
              ))}
            </ul>
          </section>
        ))}
      </div>
      {canManageChannels ? (
        <button type="button" className="sidebar-action" onClick={() => setCreatingIn(null)}>
          <Icon name="plus" size={16} /> Create channel
        </button>
      ) : null}
      {creatingIn !== undefined ? (
        <CreateChannelDialog guildId={guild.guild.id} parentId={creatingIn} onClose={() => setCreatingIn(undefined)} />
      ) : null}
      {inviting ? <InviteDialog channel={inviting} onClose={() => setInviting(null)} /> : null}
      {settingsOpen ? <GuildSettingsDialog guildId={guild.guild.id} onClose={() => setSettingsOpen(false)} /> : null}
    </nav>
  );
}
