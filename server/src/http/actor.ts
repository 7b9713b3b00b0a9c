import type { User } from "../storage/records.ts";

/** Who is calling: a user through a session, or a bot through its token. */
export interface Actor {
  user: User;
  /** Hash of the session token, for session-scoped actions; null for bots. */
  sessionHash: string | null;
}

export const isBot = (actor: Actor): boolean => actor.user.bot;
