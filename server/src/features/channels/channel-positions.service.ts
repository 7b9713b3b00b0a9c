/**
 * Reordering a guild's channels (PATCH /guilds/{id}/channels): explicit positions, new parents,
 * Fluxer's `preceding_sibling_id` (place right after that sibling) and `lock_permissions`
 * (take the new parent's overwrites). Everything is checked before anything is written.
 */
import { fieldError } from "../../errors.ts";
import type { Actor } from "../../http/actor.ts";
import type { ChannelId, GuildId } from "../../ids.ts";
import { Permission } from "../../permissions.ts";
import { type Channel, ChannelType } from "../../storage/records.ts";
import type { FeatureContext } from "../context.ts";
import type { ChannelAccess, GuildAccess } from "../guilds/access.ts";
import { AuditAction } from "../guilds/audit.ts";
import { auditChanges } from "../guilds/audit-changes.ts";
import type { PositionsInput } from "./channel.schemas.ts";
import { toChannelView } from "./channel.views.ts";
import type { OverwriteChange, OverwritesService } from "./overwrites.service.ts";

interface Placement {
  position: number;
  parentId: ChannelId | null;
}

const byPlacement = (placed: Map<bigint, Placement>) => (a: Channel, b: Channel) => {
  const pa = placed.get(a.id) as Placement;
  const pb = placed.get(b.id) as Placement;
  return pa.position - pb.position || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
};

export function createChannelPositionsService({ deps, access, audit }: FeatureContext, overwrites: OverwritesService) {
  const { stores, bus } = deps;

  return {
    update(actor: Actor, guildId: GuildId, items: PositionsInput, reason: string | null) {
      access.guildWith(actor, guildId, Permission.MANAGE_CHANNELS);
      const channels = stores.channels.listForGuild(guildId);
      const byId = new Map(channels.map((c) => [c.id, c]));
      const placed = new Map<bigint, Placement>(channels.map((c) => [c.id, { position: c.position, parentId: c.parentId }]));
      const find = (id: bigint, path: string) => byId.get(id) ?? fail(path, "Not a channel of this guild");
      // Each listed channel is checked where it is: one the caller cannot see is refused (403), and a
      // sync needs MANAGE_ROLES in that channel, its new overwrites checked against the caller's rights there.
      const checked = new Map<bigint, ChannelAccess>();

      items.forEach((item, i) => {
        const channel = find(item.id, `${i}.id`);
        const wanted = Permission.MANAGE_CHANNELS | (item.lock_permissions ? Permission.MANAGE_ROLES : 0n);
        checked.set(channel.id, access.channelWith(actor, channel.id, wanted));
        const place = placed.get(channel.id) as Placement;
        if (item.parent_id !== undefined) {
          if (item.parent_id !== null) {
            if (channel.type === ChannelType.guildCategory) fail(`${i}.parent_id`, "A category cannot be inside another category");
            if (find(item.parent_id, `${i}.parent_id`).type !== ChannelType.guildCategory)
              fail(`${i}.parent_id`, "The parent must be a category");
          }
          place.parentId = item.parent_id;
        }
        if (item.position != null) place.position = item.position;
      });

      // Then the relative moves: right after the named sibling (null: first), siblings renumbered.
      items.forEach((item, i) => {
        if (item.preceding_sibling_id === undefined) return;
        const place = placed.get(item.id) as Placement;
        // Siblings share the parent, and categories are ordered among categories only.
        const isCategory = (c: Channel) => c.type === ChannelType.guildCategory;
        const moving = byId.get(item.id) as Channel;
        const siblings = channels
          .filter((c) => c.id !== item.id && (placed.get(c.id) as Placement).parentId === place.parentId)
          .filter((c) => isCategory(c) === isCategory(moving))
          .sort(byPlacement(placed));
        let index = 0;
        if (item.preceding_sibling_id !== null) {
          index = siblings.findIndex((c) => c.id === item.preceding_sibling_id) + 1;
          if (index === 0) fail(`${i}.preceding_sibling_id`, "Not a sibling of this channel");
        }
        siblings.splice(index, 0, moving);
        siblings.forEach((c, position) => {
          (placed.get(c.id) as Placement).position = position;
        });
      });

      const moved = channels.filter((c) => {
        const place = placed.get(c.id) as Placement;
        return place.position !== c.position || place.parentId !== c.parentId;
      });
      const locked: [Channel, OverwriteChange[]][] = [];
      for (const item of items) {
        const parentId = (placed.get(item.id) as Placement).parentId;
        if (!item.lock_permissions || parentId === null) continue;
        const channel = byId.get(item.id) as Channel;
        const parent = byId.get(parentId) as Channel;
        const here = checked.get(channel.id) as ChannelAccess;
        locked.push([channel, overwrites.planReplace(here.guild as GuildAccess, here.permissions, channel, parent.overwrites, false)]);
      }

      stores.channels.setPositions(
        guildId,
        moved.map((c) => {
          const place = placed.get(c.id) as Placement;
          return { id: c.id, position: place.position, parentId: place.parentId !== c.parentId ? place.parentId : undefined };
        }),
      );
      for (const [channel, changes] of locked) overwrites.applyChanges(actor, channel, changes, reason);

      const touched = new Set<bigint>([...moved.map((c) => c.id), ...locked.filter(([, ch]) => ch.length > 0).map(([c]) => c.id)]);
      for (const id of touched) {
        const before = byId.get(id) as Channel;
        const after = stores.channels.get(id as ChannelId) as Channel;
        const changes = auditChanges(toChannelView(before), toChannelView(after), ["position", "parent_id"]);
        if (changes.length > 0) {
          audit.record({ guildId, userId: actor.user.id, action: AuditAction.CHANNEL_UPDATE, targetId: id, reason, changes });
        }
        bus.publish({ type: "CHANNEL_UPDATE", audience: { kind: "guild", guildId, channelId: id }, data: toChannelView(after) });
      }
    },
  };
}

function fail(path: string, message: string): never {
  throw fieldError(path, message, "INVALID_CHANNEL_POSITION");
}

export type ChannelPositionsService = ReturnType<typeof createChannelPositionsService>;
