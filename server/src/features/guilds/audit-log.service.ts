/** Reading the audit log: VIEW_AUDIT_LOG, newest first, with the users the entries name. */
import type { Actor } from "../../http/actor.ts";
import type { GuildId, UserId } from "../../ids.ts";
import { Permission } from "../../permissions.ts";
import type { AuditLogQuery } from "../../storage/ports.ts";
import type { FeatureContext } from "../context.ts";
import { toUserPartial } from "../users/user.views.ts";
import { toAuditLogEntryView } from "./audit-log.views.ts";

export function createAuditLogService({ deps, access }: FeatureContext) {
  const { stores } = deps;
  return {
    list(actor: Actor, guildId: GuildId, query: AuditLogQuery) {
      access.guildWith(actor, guildId, Permission.VIEW_AUDIT_LOG);
      const entries = stores.auditLog.list(guildId, query);
      // Actors and targets alike: a target id that is not a user (a channel, a role) simply finds nobody.
      const mentioned = new Set<UserId>();
      for (const entry of entries) {
        if (entry.userId !== null) mentioned.add(entry.userId);
        if (entry.targetId !== null) mentioned.add(entry.targetId);
      }
      const users = stores.users.getMany([...mentioned]);
      return {
        audit_log_entries: entries.map(toAuditLogEntryView),
        users: [...users.values()].map(toUserPartial),
        webhooks: [],
      };
    },
  };
}

export type AuditLogService = ReturnType<typeof createAuditLogService>;
