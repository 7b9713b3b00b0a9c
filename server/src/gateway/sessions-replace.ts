/**
 * SESSIONS_REPLACE: the list of a user's gateway sessions, sent to their other sessions when one
 * starts or ends, and to all of them when an op 3 changes the status (READY has it as `sessions`). The shape is upstream's (an aggregate `all` entry,
 * then one per session with status, afk, mobile) with Discord's `client_info`, `activities` and
 * `active`, which Discord-style libraries read.
 */
import type { Presence, StoredPresence } from "./presence.ts";
import type { Session } from "./session.ts";
import type { SessionRegistry } from "./session-registry.ts";

const UNKNOWN: StoredPresence = { status: "online", afk: false, mobile: false, custom_status: null };

function entry(sessionId: string, client: { os: string; browser: string }, presence: StoredPresence | null) {
  const { status, afk, mobile } = presence ?? UNKNOWN;
  return {
    session_id: sessionId,
    status,
    afk,
    mobile,
    client_info: { os: client.os, client: client.browser, version: 0 },
    activities: [],
    active: true,
  };
}

/** One entry per session (READY's `sessions`). Presence is kept per user here, so each reports the user's status. */
export function sessionList(sessions: Iterable<Session>, presence: StoredPresence | null) {
  return [...sessions].map((s) => entry(s.id, s.client, presence));
}

/** SESSIONS_REPLACE leads with upstream's aggregate entry, `session_id: "all"`. */
function replacePayload(sessions: Iterable<Session>, presence: StoredPresence | null) {
  return [entry("all", { os: "unknown", browser: "unknown" }, presence), ...sessionList(sessions, presence)];
}

/**
 * Tells the user's sessions on this process, but `except` (the one that just got READY), about the
 * current list. `known` saves a read when the caller has just written the presence.
 */
export async function announceSessions(
  registry: SessionRegistry,
  presence: Presence,
  userId: bigint,
  except: Session | null,
  known?: StoredPresence,
): Promise<void> {
  if (![...registry.userSessions(userId)].some((s) => s !== except)) return;
  const current = known ?? (await presence.read([userId])).get(userId) ?? null;
  const sessions = [...registry.userSessions(userId)];
  const json = JSON.stringify(replacePayload(sessions, current));
  for (const session of sessions) {
    if (session !== except && session.wants("SESSIONS_REPLACE")) session.dispatch("SESSIONS_REPLACE", json);
  }
}

/** Op 3: stores the presence, then, as upstream, lists the sessions again when status, afk or mobile changed. */
export async function setSessionPresence(
  registry: SessionRegistry,
  presence: Presence,
  session: Session,
  next: StoredPresence,
): Promise<void> {
  const before = (await presence.read([session.userId])).get(session.userId) ?? null;
  await presence.set(session.userId, next, session.guildIds);
  if (before && before.status === next.status && before.afk === next.afk && before.mobile === next.mobile) return;
  await announceSessions(registry, presence, session.userId, null, next);
}
