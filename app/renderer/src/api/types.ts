/** The wire shapes this client reads (a subset of Fluxer's REST and gateway objects). */
export type Snowflake = string;

export interface User {
  id: Snowflake;
  username: string;
  discriminator: string;
  global_name: string | null;
  avatar: string | null;
  bot?: boolean;
}

export interface Role {
  id: Snowflake;
  name: string;
  color: number;
  position: number;
  permissions: string;
  hoist: boolean;
}

export interface PermissionOverwrite {
  id: Snowflake;
  type: 0 | 1; // 0 role, 1 member
  allow: string;
  deny: string;
}

export const ChannelType = { GuildText: 0, DM: 1, GuildVoice: 2, GroupDM: 3, GuildCategory: 4 } as const;

export interface Channel {
  id: Snowflake;
  type: number;
  guild_id?: Snowflake;
  name?: string;
  topic?: string | null;
  position?: number;
  parent_id?: Snowflake | null;
  permission_overwrites?: PermissionOverwrite[];
  rate_limit_per_user?: number;
  last_message_id?: Snowflake | null;
  /** DMs and group DMs: the other people in it. */
  recipients?: User[];
}

export interface Member {
  user: User;
  nick?: string | null;
  roles: Snowflake[];
  joined_at: string;
  communication_disabled_until?: string | null;
}

export interface Guild {
  id: Snowflake;
  name: string;
  icon: string | null;
  owner_id: Snowflake;
}

/** A guild as READY and GUILD_CREATE carry it (Fluxer's nested shape). */
export interface GatewayGuild {
  id: Snowflake;
  unavailable?: boolean;
  properties?: Guild;
  roles?: Role[];
  channels?: Channel[];
  members?: Member[];
  member_count?: number;
  presences?: PresenceEntry[];
}

export type PresenceStatus = "online" | "idle" | "dnd" | "offline";

export interface PresenceEntry {
  user: { id: Snowflake };
  status: PresenceStatus;
  guild_id?: Snowflake;
}

export interface Emoji {
  id: Snowflake | null;
  name: string;
}

export interface Reaction {
  emoji: Emoji;
  count: number;
  me?: boolean | null;
}

export interface Attachment {
  id: Snowflake;
  filename: string;
  size: number;
  url: string;
  content_type?: string | null;
  width?: number | null;
  height?: number | null;
}

export interface Message {
  id: Snowflake;
  channel_id: Snowflake;
  guild_id?: Snowflake;
  author: User;
  type: number;
  content: string;
  timestamp: string;
  edited_timestamp: string | null;
  mentions?: User[];
  reactions?: Reaction[] | null;
  attachments?: Attachment[] | null;
  message_reference?: { message_id?: Snowflake; channel_id?: Snowflake } | null;
  referenced_message?: Message | null;
  nonce?: string | null;
  pinned?: boolean;
}

export interface Invite {
  code: string;
  guild?: { id: Snowflake; name: string; icon: string | null };
  channel?: { id: Snowflake; name: string; type: number };
  inviter?: User | null;
  member_count?: number;
  presence_count?: number;
}

export interface AuthResponse {
  token: string;
  user_id: Snowflake;
  user?: User;
}

export interface WellKnown {
  api_code_version: number;
  endpoints: { api: string; gateway: string; media: string; invite: string; webapp: string };
  registration?: { mode: string };
  app_public?: { branding?: { product_name?: string } };
}
