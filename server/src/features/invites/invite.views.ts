/** Invites on the wire: GuildInviteResponse / GroupDmInviteResponse, and their *Metadata* forms. */
import { type Channel, ChannelType, type Guild, type Invite, type User } from "../../storage/records.ts";
import { toGuildView } from "../guilds/guild.views.ts";
import { toUserPartial } from "../users/user.views.ts";

export const InviteType = { guild: 0, groupDm: 1 } as const;

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** The guild preview an invite shows to someone who is not a member yet. */
export function toInviteGuildView(guild: Guild) {
  const full = toGuildView(guild);
  return {
    id: full.id,
    name: full.name,
    icon: full.icon,
    banner: full.banner,
    banner_width: full.banner_width,
    banner_height: full.banner_height,
    splash: full.splash,
    splash_width: full.splash_width,
    splash_height: full.splash_height,
    splash_card_alignment: full.splash_card_alignment,
    embed_splash: full.embed_splash,
    embed_splash_width: full.embed_splash_width,
    embed_splash_height: full.embed_splash_height,
    features: full.features,
  };
}

/** ChannelPartialResponse; a group DM also lists who is in it (by name only). */
export function toInviteChannelView(channel: Channel, recipients: User[] = []) {
  return {
    id: channel.id.toString(),
    name: channel.name,
    type: channel.type,
    ...(channel.type === ChannelType.groupDm ? { recipients: recipients.map((u) => ({ username: u.username })) } : {}),
  };
}

export interface InviteContext {
  invite: Invite;
  channel: Channel;
  /** Null for a group DM invite. */
  guild: Guild | null;
  inviter: User | null;
  memberCount: number;
  presenceCount: number;
  /** Group DM recipients, for the channel preview. */
  recipients?: User[];
}

/** What anyone holding the code sees (GET /invites/{code}, accept). */
export function toInviteView(context: InviteContext) {
  const { invite, channel, guild, inviter } = context;
  const common = {
    code: invite.code,
    channel: toInviteChannelView(channel, context.recipients),
    inviter: inviter ? toUserPartial(inviter) : null,
    member_count: context.memberCount,
    expires_at: iso(invite.expiresAt),
    temporary: invite.temporary,
  };
  if (!guild) return { ...common, type: InviteType.groupDm };
  return { ...common, type: InviteType.guild, guild: toInviteGuildView(guild), presence_count: context.presenceCount };
}

/** What those who manage invites see: the same plus uses and limits. */
export function toInviteMetadataView(context: InviteContext) {
  const { invite } = context;
  return {
    ...toInviteView(context),
    created_at: new Date(invite.createdAt).toISOString(),
    uses: invite.uses,
    max_uses: invite.maxUses,
    max_age: invite.maxAge,
  };
}
