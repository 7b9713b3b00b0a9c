/**
 * The member list as Discord groups it: online members under their highest hoisted role (or
 * "Online"), everyone offline under "Offline", names sorted within a group.
 */
import type { Member, PresenceStatus, Role, Snowflake } from "../api/types.ts";
import { displayName } from "./chat-state.ts";

export interface MemberGroup {
  id: string;
  name: string;
  members: Member[];
}

export function groupMembers(
  members: Record<Snowflake, Member>,
  roles: Record<Snowflake, Role>,
  presences: Record<Snowflake, PresenceStatus>,
): MemberGroup[] {
  const hoisted = Object.values(roles)
    .filter((r) => r.hoist)
    .sort((a, b) => b.position - a.position);
  const groups = new Map<string, MemberGroup>(hoisted.map((r) => [r.id, { id: r.id, name: r.name, members: [] }]));
  const online: MemberGroup = { id: "online", name: "Online", members: [] };
  const offline: MemberGroup = { id: "offline", name: "Offline", members: [] };
  for (const member of Object.values(members)) {
    if (!presences[member.user.id]) {
      offline.members.push(member);
      continue;
    }
    const top = hoisted.find((r) => member.roles.includes(r.id));
    const group = (top && groups.get(top.id)) || online;
    group.members.push(member);
  }
  const byName = (a: Member, b: Member) => displayName(a.user, a).localeCompare(displayName(b.user, b));
  return [...groups.values(), online, offline].filter((g) => g.members.length > 0).map((g) => ({ ...g, members: g.members.sort(byName) }));
}

/** The colour of a member's highest coloured role, as CSS. */
export function roleColour(member: Member | undefined, roles: Record<string, Role>): string | undefined {
  const coloured = (member?.roles ?? [])
    .map((id) => roles[id])
    .filter((r): r is Role => Boolean(r?.color))
    .sort((a, b) => b.position - a.position)[0];
  return coloured ? `#${coloured.color.toString(16).padStart(6, "0")}` : undefined;
}
