/** Audit log writing: every moderation and settings change is recorded with who, what and why. */
import type { Deps } from "../../deps.ts";
import type { GuildId, UserId } from "../../ids.ts";
import type { AuditLogEntry } from "../../storage/records.ts";

/** Discord's audit log action numbers, which Fluxer keeps. */
export const AuditAction = {
  GUILD_UPDATE: 1,
  CHANNEL_CREATE: 10,
  CHANNEL_UPDATE: 11,
  CHANNEL_DELETE: 12,
  CHANNEL_OVERWRITE_CREATE: 13,
  CHANNEL_OVERWRITE_UPDATE: 14,
  CHANNEL_OVERWRITE_DELETE: 15,
  MEMBER_KICK: 20,
  MEMBER_BAN_ADD: 22,
  MEMBER_BAN_REMOVE: 23,
  MEMBER_UPDATE: 24,
  MEMBER_ROLE_UPDATE: 25,
  BOT_ADD: 28,
  ROLE_CREATE: 30,
  ROLE_UPDATE: 31,
  ROLE_DELETE: 32,
  INVITE_CREATE: 40,
  INVITE_UPDATE: 41,
  INVITE_DELETE: 42,
  MESSAGE_DELETE: 72,
  MESSAGE_BULK_DELETE: 73,
  MESSAGE_PIN: 74,
  MESSAGE_UNPIN: 75,
} as const;

export interface AuditInput {
  guildId: GuildId;
  userId: UserId;
  action: number;
  targetId?: bigint | null;
  reason?: string | null;
  changes?: AuditLogEntry["changes"];
  options?: Record<string, unknown> | null;
}

export function createAudit(deps: Deps) {
  return {
    record(input: AuditInput) {
      deps.stores.auditLog.append({
        id: deps.ids.next(),
        guildId: input.guildId,
        userId: input.userId,
        actionType: input.action,
        targetId: input.targetId ?? null,
        reason: input.reason ?? null,
        changes: input.changes ?? null,
        options: input.options ?? null,
      });
    },
  };
}

export type Audit = ReturnType<typeof createAudit>;

/** The `X-Audit-Log-Reason` header, URL-decoded as Discord clients send it. */
export function auditReason(header: string | string[] | undefined): string | null {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return null;
  try {
    return decodeURIComponent(value).slice(0, 512);
  } catch {
    return value.slice(0, 512);
  }
}
