/**
 * Events from services to the gateway that no client ever receives: the gateway acts on them
 * itself. They travel on the bus like any other event, so they reach gateways in other processes.
 */
import type { DomainEvent } from "./bus.port.ts";

/** Credentials of one user were revoked: the gateway closes their sessions opened with them (4004, no resume). */
export const SESSIONS_REVOKED = "SESSIONS_REVOKED";

export interface SessionsRevokedData {
  /** Hashes of the revoked session tokens (`Actor.sessionHash`). */
  session_hashes?: string[];
  /** Every session of the user (a bot whose token was reset, or whose application is gone). */
  all?: boolean;
}

export function sessionsRevoked(userId: bigint, data: SessionsRevokedData): DomainEvent {
  return { type: SESSIONS_REVOKED, audience: { kind: "users", userIds: [userId] }, data };
}
