/** Guild members on the wire (GuildMemberResponse). */
import type { Member, User } from "../../storage/records.ts";
import { toUserPartial } from "../users/user.views.ts";

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export function toMemberView(member: Member, user: User) {
  return {
    user: toUserPartial(user),
    nick: member.nick,
    avatar: member.avatar,
    roles: member.roleIds.map(String),
    joined_at: new Date(member.joinedAt).toISOString(),
    mute: member.mute,
    deaf: member.deaf,
    communication_disabled_until: iso(member.communicationDisabledUntil),
  };
}

export type MemberView = ReturnType<typeof toMemberView>;
