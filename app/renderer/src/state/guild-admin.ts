/**
 * What moderators and admins do to a community: its name, roles, channel overwrites, members
 * (kick, ban, timeout) and pins. The gateway's events bring every change back into the store;
 * answers are also applied at once so a settings screen never shows stale data after a save.
 */
import type { Rest } from "../api/rest.ts";
import type { Channel, Guild, Message, PermissionOverwrite, Role, Snowflake } from "../api/types.ts";
import { type ChatState, updateGuild } from "./chat-state.ts";
import type { Store } from "./store.ts";

export interface RoleChange {
  name?: string;
  color?: number;
  hoist?: boolean;
  permissions?: string;
}

export interface PinnedEntry {
  message: Message;
  pinned_at: string;
}

export class GuildAdmin {
  constructor(
    private readonly rest: Rest,
    private readonly store: Store<ChatState>,
  ) {}

  private putRole(guildId: Snowflake, role: Role) {
    this.store.set((s) => updateGuild(s, guildId, (g) => ({ ...g, roles: { ...g.roles, [role.id]: role } })));
  }

  async renameGuild(guildId: Snowflake, name: string) {
    const guild = await this.rest.request<Guild>("PATCH", `/guilds/${guildId}`, { name });
    this.store.set((s) => updateGuild(s, guildId, (g) => ({ ...g, guild: { ...g.guild, name: guild.name } })));
  }

  async createRole(guildId: Snowflake, name: string): Promise<Role> {
    const role = await this.rest.request<Role>("POST", `/guilds/${guildId}/roles`, { name });
    this.putRole(guildId, role);
    return role;
  }

  async updateRole(guildId: Snowflake, roleId: Snowflake, change: RoleChange) {
    const role = await this.rest.request<Role>("PATCH", `/guilds/${guildId}/roles/${roleId}`, change);
    this.putRole(guildId, role);
  }

  async deleteRole(guildId: Snowflake, roleId: Snowflake) {
    await this.rest.request("DELETE", `/guilds/${guildId}/roles/${roleId}`);
    this.store.set((s) =>
      updateGuild(s, guildId, (g) => {
        const { [roleId]: _gone, ...roles } = g.roles;
        return { ...g, roles };
      }),
    );
  }

  /**
   * Moves one role to `position` (1 is just above @everyone); the server renumbers the others,
   * so only the moved one is sent. `order` is the whole outcome, applied at once.
   */
  async moveRole(guildId: Snowflake, roleId: Snowflake, order: { id: Snowflake; position: number }[]) {
    const position = order.find((r) => r.id === roleId)?.position;
    if (position === undefined) return;
    await this.rest.request("PATCH", `/guilds/${guildId}/roles`, [{ id: roleId, position }]);
    this.store.set((s) =>
      updateGuild(s, guildId, (g) => {
        const roles = { ...g.roles };
        for (const { id, position: at } of order) {
          const role = roles[id];
          if (role) roles[id] = { ...role, position: at };
        }
        return { ...g, roles };
      }),
    );
  }

  async setOverwrite(channel: Channel, overwrite: PermissionOverwrite) {
    await this.rest.request("PUT", `/channels/${channel.id}/permissions/${overwrite.id}`, {
      type: overwrite.type,
      allow: overwrite.allow,
      deny: overwrite.deny,
    });
    const rest = (channel.permission_overwrites ?? []).filter((o) => o.id !== overwrite.id);
    this.putChannel({ ...channel, permission_overwrites: [...rest, overwrite] });
  }

  async deleteOverwrite(channel: Channel, overwriteId: Snowflake) {
    await this.rest.request("DELETE", `/channels/${channel.id}/permissions/${overwriteId}`);
    this.putChannel({ ...channel, permission_overwrites: (channel.permission_overwrites ?? []).filter((o) => o.id !== overwriteId) });
  }

  private putChannel(channel: Channel) {
    this.store.set((s) => updateGuild(s, channel.guild_id, (g) => ({ ...g, channels: { ...g.channels, [channel.id]: channel } })));
  }

  async setMemberRole(guildId: Snowflake, userId: Snowflake, roleId: Snowflake, held: boolean) {
    await this.rest.request(held ? "PUT" : "DELETE", `/guilds/${guildId}/members/${userId}/roles/${roleId}`);
  }

  async kick(guildId: Snowflake, userId: Snowflake, reason: string) {
    await this.rest.request("DELETE", `/guilds/${guildId}/members/${userId}`, undefined, { reason });
  }

  async ban(guildId: Snowflake, userId: Snowflake, reason: string, deleteMessageSeconds = 0) {
    const body: Record<string, unknown> = { delete_message_seconds: deleteMessageSeconds };
    if (reason) body.reason = reason;
    await this.rest.request("PUT", `/guilds/${guildId}/bans/${userId}`, body, { reason });
  }

  /** Times a member out for `seconds` (0 lifts a timeout). */
  async timeout(guildId: Snowflake, userId: Snowflake, seconds: number, reason: string) {
    const until = seconds > 0 ? new Date(Date.now() + seconds * 1000).toISOString() : null;
    await this.rest.request("PATCH", `/guilds/${guildId}/members/${userId}`, { communication_disabled_until: until }, { reason });
  }

  async pin(message: Message) {
    await this.rest.request("PUT", `/channels/${message.channel_id}/pins/${message.id}`);
  }

  async unpin(message: Message) {
    await this.rest.request("DELETE", `/channels/${message.channel_id}/pins/${message.id}`);
  }

  async listPins(channelId: Snowflake): Promise<PinnedEntry[]> {
    const page = await this.rest.request<{ items: PinnedEntry[] }>("GET", `/channels/${channelId}/messages/pins?limit=50`);
    return page.items;
  }
}
