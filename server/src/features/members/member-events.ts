/** The events members and bans publish: the updated member, and a member leaving (kick or ban). */
import type { Deps } from "../../deps.ts";
import type { GuildId } from "../../ids.ts";
import type { Member, User } from "../../storage/records.ts";
import { toUserPartial } from "../users/user.views.ts";
import { toMemberView } from "./member.views.ts";

export function publishMemberUpdate(deps: Deps, member: Member, user: User): void {
  deps.bus.publish({
    type: "GUILD_MEMBER_UPDATE",
    audience: { kind: "guild", guildId: member.guildId },
    data: { ...toMemberView(member, user), guild_id: member.guildId.toString() },
  });
}

/** The guild learns the member left; the removed user's own sessions lose the guild. */
export function publishMemberRemoved(deps: Deps, guildId: GuildId, user: User): void {
  deps.bus.publish({
    type: "GUILD_MEMBER_REMOVE",
    audience: { kind: "guild", guildId },
    data: { guild_id: guildId.toString(), user: toUserPartial(user) },
  });
  deps.bus.publish({ type: "GUILD_DELETE", audience: { kind: "users", userIds: [user.id] }, data: { id: guildId.toString() } });
}
