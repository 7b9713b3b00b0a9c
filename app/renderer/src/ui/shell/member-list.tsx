/**
 * Members of the community as Discord lists them: hoisted role groups, then Online, then Offline,
 * names in their role colour, a status dot; moderation for those allowed.
 */
import { useEffect, useState } from "react";
import type { Member } from "../../api/types.ts";
import { displayName } from "../../state/chat-state.ts";
import { groupMembers, roleColour } from "../../state/member-groups.ts";
import { has, Permission } from "../../state/permissions.ts";
import { useChat, useChatClient } from "../context.ts";
import { Avatar } from "../messages/avatar.tsx";
import { useGuildPermissions } from "../permissions-hooks.ts";
import { navigate } from "../router.ts";
import { type ModerationAction, ModerationDialog } from "./moderation-dialog.tsx";
import "./member-list.css";

export function MemberList({ guildId }: { guildId: string }) {
  const client = useChatClient();
  const guild = useChat((s) => s.guilds[guildId]);
  const meId = useChat((s) => s.me?.id);
  const presences = useChat((s) => s.presences);
  const connected = useChat((s) => s.status === "ready");
  const permissions = useGuildPermissions(guildId);
  const [moderating, setModerating] = useState<{ action: ModerationAction; member: Member } | null>(null);
  useEffect(() => {
    void client.loadMembers(guildId).catch(() => undefined);
  }, [client, guildId]);
  if (!guild) return null;
  // We are online while connected, whether or not the server's list has caught up with us.
  const shown = meId && connected && !presences[meId] ? { ...presences, [meId]: "online" as const } : presences;
  const groups = groupMembers(guild.members, guild.roles, shown);
  const abilities: [ModerationAction, bigint, string][] = [
    ["timeout", Permission.ModerateMembers, "Time out"],
    ["kick", Permission.KickMembers, "Kick"],
    ["ban", Permission.BanMembers, "Ban"],
  ];
  const allowed = abilities.filter(([, flag]) => has(permissions, flag));
  return (
    <aside className="member-list" aria-label="Members">
      {groups.map((group) => (
        <section key={group.id} aria-label={`${group.name}, ${group.members.length}`}>
          <h2 className="category-name">
            {group.name} — {group.members.length}
          </h2>
          <ul>
            {group.members.map((member) => {
              const name = displayName(member.user, member);
              const status = shown[member.user.id] ?? "offline";
              const timedOut = Boolean(member.communication_disabled_until && Date.parse(member.communication_disabled_until) > Date.now());
              const moderatable = member.user.id !== meId && member.user.id !== guild.guild.owner_id;
              return (
                <li key={member.user.id} className={`member${status === "offline" ? " offline" : ""}`}>
                  <span className="avatar-with-status">
                    <Avatar user={member.user} size={32} />
                    <span className={`status-dot ${status}`} role="img" aria-label={status} />
                  </span>
                  <span className="member-name" style={{ color: status === "offline" ? undefined : roleColour(member, guild.roles) }}>
                    {name}
                  </span>
                  {member.user.id === guild.guild.owner_id ? (
                    <span className="owner-badge" title="Community owner">
                      owner
                    </span>
                  ) : null}
                  {timedOut ? (
                    <span className="owner-badge" title={`Timed out until ${member.communication_disabled_until}`}>
                      timed out
                    </span>
                  ) : null}
                  {member.user.id !== meId ? (
                    <span className="member-actions">
                      <button
                        type="button"
                        className="link"
                        aria-label={`Message ${name}`}
                        onClick={() => {
                          void client.openDirectMessage(member.user.id).then((channel) => navigate(`/channels/@me/${channel.id}`));
                        }}
                      >
                        Message
                      </button>
                      {moderatable
                        ? allowed.map(([action, , label]) => {
                            const act = action === "timeout" && timedOut ? "untimeout" : action;
                            const text = act === "untimeout" ? "Lift timeout" : label;
                            return (
                              <button
                                key={action}
                                type="button"
                                className="link danger"
                                aria-label={`${text} ${name}`}
                                onClick={() => setModerating({ action: act, member })}
                              >
                                {text}
                              </button>
                            );
                          })
                        : null}
                    </span>
                  ) : null}
                </li>
              );
            })}
          </ul>
        </section>
      ))}
      {moderating ? (
        <ModerationDialog
          action={moderating.action}
          guildId={guildId}
          guildName={guild.guild.name}
          userId={moderating.member.user.id}
          name={displayName(moderating.member.user, moderating.member)}
          onClose={() => setModerating(null)}
        />
      ) : null}
    </aside>
  );
}
