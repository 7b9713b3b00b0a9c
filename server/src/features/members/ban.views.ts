/** Bans on the wire (GuildBanResponse). */
import type { Ban, User } from "../../storage/records.ts";
import { toUserPartial } from "../users/user.views.ts";

export function toBanView(ban: Ban, user: User) {
  return {
    user: toUserPartial(user),
    reason: ban.reason,
    // The spec requires a moderator; a ban recorded without one reports 0.
    moderator_id: (ban.moderatorId ?? 0n).toString(),
    banned_at: new Date(ban.createdAt).toISOString(),
    expires_at: ban.expiresAt === null ? null : new Date(ban.expiresAt).toISOString(),
  };
}

export type BanView = ReturnType<typeof toBanView>;
