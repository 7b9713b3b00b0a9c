/**
 * Invites: made for a guild channel (or a group DM), previewed by anyone holding the code,
 * accepted by users to join. A use is counted atomically, so a one-use invite admits one person.
 */
import { randomBase62 } from "../../auth/tokens.ts";
import { AppError } from "../../errors.ts";
import type { Actor } from "../../http/actor.ts";
import type { ChannelId, GuildId, UserId } from "../../ids.ts";
import { has, Permission } from "../../permissions.ts";
import { type Channel, ChannelType, type Guild, type Invite, type User } from "../../storage/records.ts";
import type { FeatureContext } from "../context.ts";
import { AuditAction } from "../guilds/audit.ts";
import { createGroupDms, MAX_GROUP_DM_RECIPIENTS } from "../private-channels/group-dm.ts";
import { type InviteContext, toInviteMetadataView, toInviteView } from "./invite.views.ts";

export const DEFAULT_MAX_AGE = 86_400;
/** Discord's cap on live invites per guild. */
export const MAX_INVITES_PER_GUILD = 1000;
const CODE_LENGTH = 8;
const INVITABLE_GUILD_CHANNELS: readonly number[] = [ChannelType.guildText, ChannelType.guildVoice];

export interface CreateInviteInput {
  max_age?: number | null;
  max_uses?: number | null;
  temporary?: boolean | null;
  unique?: boolean | null;
}

export const isLive = (invite: Invite, now: number): boolean =>
  (invite.expiresAt === null || invite.expiresAt > now) && (invite.maxUses === 0 || invite.uses < invite.maxUses);

/** The audit log's record of an invite, as Discord writes it. */
const auditChanges = (invite: Invite, side: "new_value" | "old_value") =>
  [
    ["code", invite.code],
    ["channel_id", invite.channelId.toString()],
    ["inviter_id", invite.inviterId?.toString() ?? null],
    ["uses", invite.uses],
    ["max_uses", invite.maxUses],
    ["max_age", invite.maxAge],
    ["temporary", invite.temporary],
  ].map(([key, value]) => ({ key: key as string, [side]: value }));

export function createInvitesService({ deps, access, audit, membership }: FeatureContext) {
  const { stores, bus, clock } = deps;
  const groups = createGroupDms(deps);

  /** Everything a view needs; null when the invite's channel or guild is gone. */
  function contextOf(invite: Invite, users = new Map<UserId, User>()): InviteContext | null {
    const channel = stores.channels.get(invite.channelId);
    const guild = invite.guildId === null ? null : stores.guilds.get(invite.guildId);
    if (!channel || (invite.guildId !== null && !guild)) return null;
    const lookup = (id: UserId) => users.get(id) ?? stores.users.get(id);
    const recipients = guild ? undefined : channel.recipientIds.flatMap((id) => lookup(id) ?? []);
    return {
      invite,
      channel,
      guild,
      inviter: invite.inviterId === null ? null : lookup(invite.inviterId),
      memberCount: guild ? stores.guilds.memberCount(guild.id) : channel.recipientIds.length,
      presenceCount: 0, // presence lives in the gateway; the preview does not wait for it
      recipients,
    };
  }

  /** A ban still in force (a temporary one that has run out is lifted by `membership.join`). */
  function isBanned(guildId: GuildId, userId: UserId): boolean {
    const ban = stores.bans.get(guildId, userId);
    return ban !== null && (ban.expiresAt == null || ban.expiresAt > clock());
  }

  /** A guild's vanity URL behaves as a permanent invite to its landing channel. */
  function vanityInvite(code: string): Invite | null {
    const guild = stores.guilds.findByVanityCode(code);
    if (!guild) return null;
    const channels = stores.channels.listForGuild(guild.id);
    const landing =
      channels.find((c) => c.id === guild.systemChannelId) ?? channels.find((c) => c.type === ChannelType.guildText) ?? channels[0];
    if (!landing) return null;
    return {
      code,
      guildId: guild.id,
      channelId: landing.id,
      inviterId: null,
      maxAge: 0,
      maxUses: 0,
      uses: 0,
      temporary: false,
      createdAt: guild.createdAt,
      expiresAt: null,
    };
  }

  /** A live invite by code (or vanity code) with its context; 404 UNKNOWN_INVITE otherwise. */
  function resolve(code: string): { context: InviteContext; vanity: boolean } {
    const stored = stores.invites.get(code);
    const invite = stored && isLive(stored, clock()) ? stored : stored ? null : vanityInvite(code);
    const context = invite ? contextOf(invite) : null;
    if (!context) throw new AppError("UNKNOWN_INVITE");
    return { context, vanity: stored === null };
  }

  function publish(type: "INVITE_CREATE" | "INVITE_DELETE", invite: Invite, channel: Channel, data: Record<string, unknown>) {
    // In a guild only those who manage the channel see its invites come and go, as on Discord.
    const audience =
      invite.guildId === null
        ? { kind: "users" as const, userIds: channel.recipientIds }
        : { kind: "guild" as const, guildId: invite.guildId, channelId: invite.channelId, permission: Permission.MANAGE_CHANNELS };
    bus.publish({
      type,
      audience,
      data: { ...data, channel_id: invite.channelId.toString(), ...(invite.guildId ? { guild_id: invite.guildId.toString() } : {}) },
    });
  }

  function newCode(): string {
    for (;;) {
      const code = randomBase62(CODE_LENGTH);
      if (!stores.invites.get(code) && !stores.guilds.findByVanityCode(code)) return code;
    }
  }

  function metadataViews(invites: Invite[]) {
    const now = clock();
    const live = invites.filter((invite) => isLive(invite, now));
    const users = stores.users.getMany([...new Set(live.flatMap((i) => (i.inviterId === null ? [] : [i.inviterId])))]);
    return live.flatMap((invite) => {
      const context = contextOf(invite, users);
      return context ? [toInviteMetadataView(context)] : [];
    });
  }

  /** Guild channels need CREATE_INSTANT_INVITE; any member of a group DM may invite to it. */
  function invitableChannel(actor: Actor, channelId: ChannelId): { channel: Channel; guild: Guild | null } {
    const found = access.channel(actor, channelId);
    if (found.channel.guildId === null) {
      if (found.channel.type !== ChannelType.groupDm) throw new AppError("INVALID_CHANNEL_TYPE");
      return { channel: found.channel, guild: null };
    }
    const checked = access.channelWith(actor, channelId, Permission.CREATE_INSTANT_INVITE);
    if (!INVITABLE_GUILD_CHANNELS.includes(checked.channel.type)) throw new AppError("INVALID_CHANNEL_TYPE");
    return { channel: checked.channel, guild: checked.guild?.guild ?? null };
  }

  return {
    create(actor: Actor, channelId: ChannelId, input: CreateInviteInput, reason: string | null) {
      const { channel, guild } = invitableChannel(actor, channelId);
      if (guild?.features.includes("INVITES_DISABLED")) throw new AppError("INVITES_DISABLED");
      const now = clock();
      const maxAge = input.max_age ?? DEFAULT_MAX_AGE;
      const maxUses = input.max_uses ?? 0;
      const temporary = input.temporary ?? false;
      if (!input.unique) {
        const similar = stores.invites
          .listForChannel(channel.id)
          .find(
            (i) =>
              i.inviterId === actor.user.id && i.maxAge === maxAge && i.maxUses === maxUses && i.temporary === temporary && isLive(i, now),
          );
        const context = similar && contextOf(similar);
        if (context) return toInviteMetadataView(context);
      }
      if (guild && stores.invites.listForGuild(guild.id).filter((i) => isLive(i, now)).length >= MAX_INVITES_PER_GUILD) {
        throw new AppError("MAX_INVITES");
      }
      const invite: Invite = {
        code: newCode(),
        guildId: guild?.id ?? null,
        channelId: channel.id,
        inviterId: actor.user.id,
        maxAge,
        maxUses,
        uses: 0,
        temporary,
        createdAt: now,
        expiresAt: maxAge === 0 ? null : now + maxAge * 1000,
      };
      stores.invites.create(invite);
      const view = toInviteMetadataView(contextOf(invite) as InviteContext);
      publish("INVITE_CREATE", invite, channel, view);
      if (guild) {
        audit.record({
          guildId: guild.id,
          userId: actor.user.id,
          action: AuditAction.INVITE_CREATE,
          reason,
          changes: auditChanges(invite, "new_value"),
        });
      }
      return view;
    },

    listForChannel(actor: Actor, channelId: ChannelId) {
      const found = access.channel(actor, channelId);
      if (found.channel.guildId !== null) access.channelWith(actor, channelId, Permission.MANAGE_CHANNELS);
      else if (found.channel.type !== ChannelType.groupDm) throw new AppError("INVALID_CHANNEL_TYPE");
      return metadataViews(stores.invites.listForChannel(channelId));
    },

    listForGuild(actor: Actor, guildId: GuildId) {
      access.guildWith(actor, guildId, Permission.MANAGE_GUILD);
      return metadataViews(stores.invites.listForGuild(guildId));
    },

    get(code: string) {
      return toInviteView(resolve(code).context);
    },

    /** Joins the guild (or group DM); a second accept by a member returns the invite without using it. */
    accept(actor: Actor, code: string) {
      const { context, vanity } = resolve(code);
      const { invite, guild, channel } = context;
      if (!guild) {
        if (!channel.recipientIds.includes(actor.user.id)) {
          if (channel.recipientIds.length >= MAX_GROUP_DM_RECIPIENTS) throw new AppError("MAX_GROUP_DM_RECIPIENTS");
          if (!stores.invites.use(invite.code, clock())) throw new AppError("UNKNOWN_INVITE");
          groups.add(channel, actor.user, invite.inviterId ?? actor.user.id);
        }
        return toInviteView(contextOf(stores.invites.get(invite.code) ?? invite) ?? context);
      }
      if (stores.members.get(guild.id, actor.user.id)) return toInviteView(context);
      if (guild.features.includes("INVITES_DISABLED")) throw new AppError("INVITES_DISABLED");
      // Refuse before counting a use: a refused join must not spend the invite.
      if (isBanned(guild.id, actor.user.id)) throw new AppError("USER_BANNED_FROM_GUILD");
      if (stores.guilds.countForUser(actor.user.id) >= deps.config.limits.max_guilds_per_user) throw new AppError("MAX_GUILDS");
      if (!vanity && !stores.invites.use(invite.code, clock())) throw new AppError("UNKNOWN_INVITE");
      membership.join(guild.id, actor.user);
      return toInviteView(contextOf(stores.invites.get(invite.code) ?? invite) ?? context);
    },

    /** The inviter, or whoever manages the channel or guild (the group DM's owner for group DMs). */
    delete(actor: Actor, code: string, reason: string | null): void {
      const invite = stores.invites.get(code);
      if (!invite) throw new AppError("UNKNOWN_INVITE");
      const channel = stores.channels.get(invite.channelId);
      if (!channel) throw new AppError("UNKNOWN_INVITE");
      const mine = invite.inviterId === actor.user.id;
      if (invite.guildId === null) {
        access.channel(actor, channel.id);
        if (!mine && channel.ownerId !== actor.user.id) throw new AppError("MISSING_PERMISSIONS");
      } else {
        const guildAccess = access.guild(actor, invite.guildId);
        if (!mine && !has(guildAccess.permissions, Permission.MANAGE_GUILD)) {
          access.channelWith(actor, channel.id, Permission.MANAGE_CHANNELS);
        }
      }
      stores.invites.delete(code);
      publish("INVITE_DELETE", invite, channel, { code });
      if (invite.guildId !== null) {
        audit.record({
          guildId: invite.guildId,
          userId: actor.user.id,
          action: AuditAction.INVITE_DELETE,
          reason,
          changes: auditChanges(invite, "old_value"),
        });
      }
    },
  };
}

export type InvitesService = ReturnType<typeof createInvitesService>;
