/** The signed-in member's permissions in a guild or channel, recomputed when roles change. */
import type { Snowflake } from "../api/types.ts";
import { channelPermissions, guildPermissions } from "../state/permissions.ts";
import { useChat } from "./context.ts";

export function useGuildPermissions(guildId: Snowflake | null): bigint {
  return useChat((s) => {
    const guild = guildId ? s.guilds[guildId] : undefined;
    const me = s.me;
    if (!guild || !me) return 0n;
    const member = guild.members[me.id];
    return guildPermissions({
      guildId: guild.guild.id,
      ownerId: guild.guild.owner_id,
      roles: guild.roles,
      userId: me.id,
      memberRoles: member?.roles ?? [],
      timedOutUntil: member?.communication_disabled_until,
    });
  });
}

export function useChannelPermissions(guildId: Snowflake | null, channelId: Snowflake | null): bigint {
  return useChat((s) => {
    const guild = guildId ? s.guilds[guildId] : undefined;
    const channel = channelId ? guild?.channels[channelId] : undefined;
    const me = s.me;
    if (!guild || !channel || !me) return 0n;
    const member = guild.members[me.id];
    return channelPermissions(
      {
        guildId: guild.guild.id,
        ownerId: guild.guild.owner_id,
        roles: guild.roles,
        userId: me.id,
        memberRoles: member?.roles ?? [],
        timedOutUntil: member?.communication_disabled_until,
      },
      channel,
    );
  });
}
