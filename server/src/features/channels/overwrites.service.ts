/**
 * Permission overwrites: who may set them (MANAGE_ROLES, and only bits the setter holds unless
 * owner or administrator), which targets they may name, and the audit entry of each change.
 */
import { AppError, fieldError } from "../../errors.ts";
import type { Actor } from "../../http/actor.ts";
import type { ChannelId, GuildId } from "../../ids.ts";
import { ALL_PERMISSIONS, Permission } from "../../permissions.ts";
import type { Channel, PermissionOverwrite } from "../../storage/records.ts";
import type { FeatureContext } from "../context.ts";
import type { GuildAccess } from "../guilds/access.ts";
import { AuditAction } from "../guilds/audit.ts";
import { auditChanges, changesOrNull } from "../guilds/audit-changes.ts";
import { toChannelView } from "./channel.views.ts";

export interface OverwriteInput {
  id: bigint;
  type: 0 | 1;
  allow?: bigint;
  deny?: bigint;
}

/** One overwrite's change: [before, after]; undefined on one side for a create or a delete. */
export type OverwriteChange = [PermissionOverwrite | undefined, PermissionOverwrite | undefined];

const snapshot = (o: PermissionOverwrite | undefined) =>
  o ? { id: o.id.toString(), type: o.type, allow: o.allow.toString(), deny: o.deny.toString() } : null;

export function createOverwritesService({ deps, access, audit }: FeatureContext) {
  const { stores, bus } = deps;

  /** A role overwrite names a role of this guild; a member overwrite, a member of it. */
  function checkTarget(guildId: GuildId, overwrite: OverwriteInput, path: string | null) {
    const known =
      overwrite.type === 0 ? stores.roles.get(guildId, overwrite.id) !== null : stores.members.get(guildId, overwrite.id) !== null;
    if (known) return;
    const code = overwrite.type === 0 ? "UNKNOWN_ROLE" : "UNKNOWN_MEMBER";
    throw path ? fieldError(path, overwrite.type === 0 ? "Unknown role" : "Unknown member", code) : new AppError(code);
  }

  /** Only the bits that change are checked, so an overwrite set by an administrator stays editable in other bits. */
  function checkGrant(view: GuildAccess, held: bigint, before?: PermissionOverwrite, after?: PermissionOverwrite) {
    if (view.permissions === ALL_PERMISSIONS) return; // owner and administrators may grant anything
    const changed = ((before?.allow ?? 0n) ^ (after?.allow ?? 0n)) | ((before?.deny ?? 0n) ^ (after?.deny ?? 0n));
    if ((changed & ~held) !== 0n) throw new AppError("MISSING_PERMISSIONS");
  }

  function record(
    actor: Actor,
    channel: Channel,
    before: PermissionOverwrite | undefined,
    after: PermissionOverwrite | undefined,
    reason: string | null,
  ) {
    const target = (after ?? before) as PermissionOverwrite;
    const guildId = channel.guildId as GuildId;
    const action = !before
      ? AuditAction.CHANNEL_OVERWRITE_CREATE
      : !after
        ? AuditAction.CHANNEL_OVERWRITE_DELETE
        : AuditAction.CHANNEL_OVERWRITE_UPDATE;
    const keys = before && after ? ["allow", "deny"] : ["id", "type", "allow", "deny"];
    const role = target.type === 0 ? stores.roles.get(guildId, target.id) : null;
    audit.record({
      guildId,
      userId: actor.user.id,
      action,
      targetId: channel.id,
      reason,
      changes: changesOrNull(auditChanges(snapshot(before), snapshot(after), keys)),
      options: { id: target.id.toString(), type: target.type, ...(role ? { role_name: role.name } : {}) },
    });
  }

  const normalise = (o: OverwriteInput): PermissionOverwrite => ({
    id: o.id,
    type: o.type,
    allow: (o.allow ?? 0n) & ALL_PERMISSIONS,
    deny: (o.deny ?? 0n) & ALL_PERMISSIONS,
  });

  /** CHANNEL_UPDATE with the channel as it now is. */
  function announce(channelId: ChannelId) {
    const channel = stores.channels.get(channelId);
    if (!channel?.guildId) return;
    bus.publish({ type: "CHANNEL_UPDATE", audience: { kind: "guild", guildId: channel.guildId, channelId }, data: toChannelView(channel) });
  }

  const sameOverwrite = (a: PermissionOverwrite, b: PermissionOverwrite) => a.type === b.type && a.allow === b.allow && a.deny === b.deny;

  return {
    checkTarget,
    checkGrant,
    normalise,

    /**
     * Checks replacing a channel's overwrites with `desired` (targets, and the bits the setter may
     * grant given `held`, its permissions there) and returns the changes, writing nothing.
     * `checkTargets` false: the list comes from another channel (a category being synced to).
     */
    planReplace(view: GuildAccess, held: bigint, channel: Channel, desired: OverwriteInput[], checkTargets = true): OverwriteChange[] {
      const next = new Map<bigint, { after: PermissionOverwrite; index: number }>();
      for (const [index, o] of desired.entries()) next.set(o.id, { after: normalise(o), index });
      const current = new Map(channel.overwrites.map((o) => [o.id, o]));
      const changes: OverwriteChange[] = [];
      for (const [id, before] of current) if (!next.has(id)) changes.push([before, undefined]);
      for (const [id, { after, index }] of next) {
        const before = current.get(id);
        // Only a new target is checked, so a list sent back whole keeps an overwrite of a member who left.
        if (!before && checkTargets) checkTarget(view.guild.id, after, `permission_overwrites.${index}.id`);
        if (!before || !sameOverwrite(before, after)) changes.push([before, after]);
      }
      for (const [before, after] of changes) checkGrant(view, held, before, after);
      return changes;
    },

    /** Writes planned changes and audits each one. */
    applyChanges(actor: Actor, channel: Channel, changes: OverwriteChange[], reason: string | null) {
      for (const [before, after] of changes) {
        if (after) stores.channels.setOverwrite(channel.id, after);
        else if (before) stores.channels.deleteOverwrite(channel.id, before.id);
        record(actor, channel, before, after, reason);
      }
    },

    set(actor: Actor, channelId: ChannelId, input: OverwriteInput, reason: string | null) {
      const view = access.channelWith(actor, channelId, Permission.MANAGE_ROLES);
      if (!view.guild) throw new AppError("CANNOT_EXECUTE_ON_DM");
      const { channel } = view;
      const before = channel.overwrites.find((o) => o.id === input.id);
      if (!before) checkTarget(view.guild.guild.id, input, null);
      const after = normalise(input);
      if (before && sameOverwrite(before, after)) return;
      checkGrant(view.guild, view.permissions, before, after);
      stores.channels.setOverwrite(channel.id, after);
      record(actor, channel, before, after, reason);
      announce(channel.id);
    },

    delete(actor: Actor, channelId: ChannelId, targetId: bigint, reason: string | null) {
      const view = access.channelWith(actor, channelId, Permission.MANAGE_ROLES);
      if (!view.guild) throw new AppError("CANNOT_EXECUTE_ON_DM");
      const before = view.channel.overwrites.find((o) => o.id === targetId);
      if (!before) return; // nothing to remove: the end state is what was asked for
      checkGrant(view.guild, view.permissions, before, undefined);
      stores.channels.deleteOverwrite(channelId, targetId);
      record(actor, view.channel, before, undefined, reason);
      announce(channelId);
    },

    announce,
  };
}

export type OverwritesService = ReturnType<typeof createOverwritesService>;
