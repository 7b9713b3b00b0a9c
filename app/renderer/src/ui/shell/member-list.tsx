/** Members of the community, grouped by their highest hoisted role, names in their role colour. */
import { useEffect } from "react";
import type { Member, Role } from "../../api/types.ts";
import { displayName } from "../../state/chat-state.ts";
import { has, Permission } from "../../state/permissions.ts";
import { useChat, useChatClient } from "../context.ts";
import { Avatar } from "../messages/avatar.tsx";
import { useGuildPermissions } from "../permissions-hooks.ts";
import { navigate } from "../router.ts";

export function roleColour(member: Member | undefined, roles: Record<string, Role>): string | undefined {
  const coloured = (member?.roles ?? [])
    .map((id) => roles[id])
    .filter((r): r is Role => Boolean(r?.color))
    .sort((a, b) => b.position - a.position)[0];
  return coloured ? `#${coloured.color.toString(16).padStart(6, "0")}` : undefined;
}

export function MemberList({ guildId }: { guildId: string }) {
  const client = useChatClient();
  const guild = useChat((s) => s.guilds[guildId]);
  const meId = useChat((s) => s.me?.id);
  const permissions = useGuildPermissions(guildId);
  const canKick = has(permissions, Permission.KickMembers);
  const canBan = has(permissions, Permission.BanMembers);
  useEffect(() => {
    void client.loadMembers(guildId).catch(() => undefined);
  }, [client, guildId]);
  if (!guild) return null;
  const members = Object.values(guild.members).sort((a, b) => displayName(a.user, a).localeCompare(displayName(b.user, b)));
  return (
    <aside className="member-list" aria-label="Members">
      <h2 className="category-name">Members — {members.length}</h2>
      <ul>
        {members.map((member) => (
          <li key={member.user.id} className="member">
            <Avatar user={member.user} size={32} />
            <span style={{ color: roleColour(member, guild.roles) }}>{displayName(member.user, member)}</span>
            {member.user.id === guild.guild.owner_id ? (
              <span className="owner-badge" title="Community owner">
                owner
              </span>
            ) : null}
            {member.user.id !== meId ? (
              <span className="member-actions">
                <button
                  type="button"
                  className="link"
                  aria-label={`Message ${displayName(member.user, member)}`}
                  onClick={() => {
                    void client.openDirectMessage(member.user.id).then((channel) => navigate(`/channels/@me/${channel.id}`));
                  }}
                >
                  Message
                </button>
                {canKick && member.user.id !== guild.guild.owner_id ? (
                  <button
                    type="button"
                    className="link danger"
                    aria-label={`Kick ${displayName(member.user, member)}`}
                    onClick={() => {
                      if (window.confirm(`Kick ${displayName(member.user, member)} from ${guild.guild.name}?`))
                        void client.kickMember(guildId, member.user.id);
                    }}
                  >
                    Kick
                  </button>
                ) : null}
                {canBan && member.user.id !== guild.guild.owner_id ? (
                  <button
                    type="button"
                    className="link danger"
                    aria-label={`Ban ${displayName(member.user, member)}`}
                    onClick={() => {
                      if (window.confirm(`Ban ${displayName(member.user, member)} from ${guild.guild.name}?`))
                        void client.banMember(guildId, member.user.id);
                    }}
                  >
                    Ban
                  </button>
                ) : null}
              </span>
            ) : null}
          </li>
        ))}
      </ul>
    </aside>
  );
}
