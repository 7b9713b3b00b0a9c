/** A guild as one member sees it: GuildResponse with roles, the channels it can view, its permissions and the member count. */
import { channelPermissions, has, Permission } from "../../permissions.ts";
import type { Stores } from "../../storage/ports.ts";
import type { Channel } from "../../storage/records.ts";
import type { GuildAccess } from "./access.ts";
import { toGuildFullView } from "./guild.views.ts";

export function visibleChannels(stores: Stores, view: GuildAccess): Channel[] {
  return stores.channels.listForGuild(view.guild.id).filter((channel) => has(channelPermissions(view, channel), Permission.VIEW_CHANNEL));
}

export function guildSnapshot(stores: Stores, view: GuildAccess) {
  return toGuildFullView(view.guild, {
    roles: view.roles,
    channels: visibleChannels(stores, view),
    permissions: view.permissions,
    memberCount: stores.guilds.memberCount(view.guild.id),
  });
}
