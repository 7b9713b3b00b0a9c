/**
 * Store ports: what services may ask of storage, in the domain's words.
 * Cascades are explicit methods; there is no generic transaction. Every backend passes
 * the contract suites in `storage/contract/`.
 */
import type { ApplicationId, ChannelId, GuildId, MessageId, RoleId, UserId } from "../ids.ts";
import type {
  Application,
  Attachment,
  AuditLogEntry,
  AuthSession,
  Ban,
  Channel,
  Guild,
  Invite,
  Member,
  Message,
  PermissionOverwrite,
  ReactionCount,
  ReadState,
  Role,
  User,
  UserGuildSettings,
  UserSettings,
} from "./records.ts";

export type NewUser = Omit<User, "passwordChangedAt"> & { passwordHash: string | null };

export interface UserStore {
  /** Creates the user; the first non-bot user of the instance also receives `firstUserAcls` (race-safe). */
  create(user: NewUser, firstUserAcls?: string[]): User;
  get(id: UserId): User | null;
  getMany(ids: readonly UserId[]): Map<UserId, User>;
  findByEmail(email: string): (User & { passwordHash: string | null }) | null;
  findByTag(username: string, discriminator: string): User | null;
  /** Discriminators already taken for a username. */
  takenDiscriminators(username: string): Set<string>;
  passwordHash(id: UserId): string | null;
  update(id: UserId, patch: Partial<Omit<User, "id" | "createdAt">> & { passwordHash?: string }): User;
}

export interface UserSettingsStore {
  /** The settings the user has stored; null when they never changed any (defaults apply). */
  get(userId: UserId): UserSettings | null;
  /**
   * One upsert: applies `changes` to the stored settings, or to `defaults` for a user who has none
   * yet, and returns the result. Fields absent from `changes` keep their stored value.
   */
  patch(userId: UserId, changes: Partial<UserSettings>, defaults: UserSettings): UserSettings;
}

export type UserGuildSettingsFields = Omit<UserGuildSettings, "guildId" | "version">;

export interface UserGuildSettingsStore {
  /** Every guild (and the DM entry, guildId null) the user has stored settings for. */
  listForUser(userId: UserId): UserGuildSettings[];
  /**
   * One upsert: applies `changes` to the stored settings of that guild (null: DMs), or to
   * `defaults` when there are none yet; the version goes up by one on every write.
   */
  patch(
    userId: UserId,
    guildId: GuildId | null,
    changes: Partial<UserGuildSettingsFields>,
    defaults: UserGuildSettingsFields,
  ): UserGuildSettings;
}

export interface SessionStore {
  create(session: AuthSession): void;
  get(idHash: string): AuthSession | null;
  touch(idHash: string, at: number): void;
  listForUser(userId: UserId): AuthSession[];
  delete(idHashes: readonly string[], userId: UserId): number;
}

export interface ApplicationStore {
  /** Creates the application and, when given, its bot user and bot token hash together. */
  create(app: Application, bot: { user: NewUser; tokenHash: string } | null): Application;
  get(id: ApplicationId): Application | null;
  listForOwner(ownerId: UserId): Application[];
  findByBotUser(botUserId: UserId): (Application & { botTokenHash: string | null }) | null;
  update(
    id: ApplicationId,
    patch: Partial<Pick<Application, "name" | "description" | "icon" | "botPublic" | "botRequireCodeGrant" | "redirectUris" | "flags">>,
  ): Application;
  setBotTokenHash(id: ApplicationId, tokenHash: string): void;
  setClientSecretHash(id: ApplicationId, secretHash: string): void;
  /** Deletes the application; its bot user leaves every guild. */
  delete(id: ApplicationId): void;
}

export interface GuildSeed {
  guild: Guild;
  everyoneRole: Role;
  channels: Channel[];
  owner: Member;
}

export interface GuildStore {
  /** Creates a guild with its @everyone role, first channels and owner membership, atomically. */
  create(seed: GuildSeed): void;
  get(id: GuildId): Guild | null;
  update(id: GuildId, patch: Partial<Omit<Guild, "id" | "createdAt">>): Guild;
  /** Deletes the guild and everything in it. */
  delete(id: GuildId): void;
  findByVanityCode(code: string): Guild | null;
  listForUser(userId: UserId): Guild[];
  countForUser(userId: UserId): number;
  memberCount(id: GuildId): number;
}

export interface RoleStore {
  list(guildId: GuildId): Role[];
  get(guildId: GuildId, roleId: RoleId): Role | null;
  create(role: Role): void;
  /**
   * Creates the role at its position, moving every other role at or above it (never @everyone) up
   * one, atomically. Returns the moved roles as they now are.
   */
  createAt(role: Role): Role[];
  update(guildId: GuildId, roleId: RoleId, patch: Partial<Omit<Role, "id" | "guildId">>): Role;
  setPositions(guildId: GuildId, positions: readonly { id: RoleId; position: number }[]): void;
  /** Deletes the role, takes it from every member and drops its channel overwrites, atomically; returns those channels. */
  delete(guildId: GuildId, roleId: RoleId): ChannelId[];
  count(guildId: GuildId): number;
  /** Sets the hoist positions of the listed roles (null clears one), atomically. */
  setHoistPositions(guildId: GuildId, positions: readonly { id: RoleId; hoistPosition: number | null }[]): void;
}

export interface MemberListQuery {
  after?: UserId;
  limit: number;
}

/** Filters and paging of the member search (members-search); times are epoch ms, bounds inclusive. */
export interface MemberSearchQuery {
  /** Case-insensitive substring of the username, global name or nick, or an exact user id. */
  text?: string;
  /** The member holds every one of these roles. */
  roleIds?: readonly RoleId[];
  joinedFrom?: number;
  joinedTo?: number;
  userCreatedFrom?: number;
  userCreatedTo?: number;
  bot?: boolean;
  /** relevance: names starting with `text` first, then by join time (newest first). */
  sort: "joined_asc" | "joined_desc" | "relevance";
  offset: number;
  limit: number;
}

export interface MemberStore {
  get(guildId: GuildId, userId: UserId): Member | null;
  list(guildId: GuildId, query: MemberListQuery): Member[];
  /** Members whose username, global name or nick starts with `prefix` (case-insensitive). */
  search(guildId: GuildId, prefix: string, limit: number): Member[];
  /** One page of the filtered member search, with the number of all matches. */
  searchPage(guildId: GuildId, query: MemberSearchQuery): { members: Member[]; total: number };
  getMany(guildId: GuildId, userIds: readonly UserId[]): Member[];
  add(member: Member): void;
  update(
    guildId: GuildId,
    userId: UserId,
    patch: Partial<Pick<Member, "nick" | "avatar" | "communicationDisabledUntil" | "mute" | "deaf" | "roleIds">>,
  ): Member;
  addRole(guildId: GuildId, userId: UserId, roleId: RoleId): void;
  removeRole(guildId: GuildId, userId: UserId, roleId: RoleId): void;
  /** Removes the membership and its roles (kick, leave, ban). */
  remove(guildId: GuildId, userId: UserId): void;
  guildIdsForUser(userId: UserId): GuildId[];
}

export interface BanStore {
  get(guildId: GuildId, userId: UserId): Ban | null;
  list(guildId: GuildId, query: { before?: UserId; after?: UserId; limit: number }): Ban[];
  /** Records the ban and removes the membership, atomically. */
  banAndRemove(ban: Ban): void;
  remove(guildId: GuildId, userId: UserId): boolean;
}

export interface AuditLogQuery {
  userId?: UserId;
  actionType?: number;
  before?: bigint;
  after?: bigint;
  limit: number;
}

export interface AuditLogStore {
  append(entry: AuditLogEntry): void;
  list(guildId: GuildId, query: AuditLogQuery): AuditLogEntry[];
}

export interface ChannelStore {
  get(id: ChannelId): Channel | null;
  listForGuild(guildId: GuildId): Channel[];
  create(channel: Channel): void;
  update(id: ChannelId, patch: Partial<Omit<Channel, "id" | "guildId" | "overwrites" | "recipientIds" | "createdAt">>): Channel;
  setPositions(guildId: GuildId, positions: readonly { id: ChannelId; position: number; parentId?: ChannelId | null }[]): void;
  /** Deletes the channel with its messages, invites and overwrites. */
  delete(id: ChannelId): void;
  countForGuild(guildId: GuildId): number;
  setOverwrite(channelId: ChannelId, overwrite: PermissionOverwrite): void;
  deleteOverwrite(channelId: ChannelId, targetId: bigint): boolean;
  /** DM and group DM channels the user is a recipient of. */
  listPrivateForUser(userId: UserId): Channel[];
  findDm(a: UserId, b: UserId): Channel | null;
  addRecipient(channelId: ChannelId, userId: UserId): void;
  removeRecipient(channelId: ChannelId, userId: UserId): void;
}

export interface MessagePage {
  before?: MessageId;
  after?: MessageId;
  around?: MessageId;
  limit: number;
}

export interface ReactionUsersQuery {
  after?: UserId;
  limit: number;
}

/** One page of a user's mentions inbox; the three target lists say which kinds of mention count. */
export interface MentionQuery {
  /** The inbox owner: direct mentions of them; their own messages and dismissed mentions never show. */
  userId: UserId;
  /** Role mentions of these roles (empty: none). */
  roleIds: readonly RoleId[];
  /** @everyone / @here in these guilds (empty: none). */
  everyoneGuildIds: readonly GuildId[];
  /** Leave out messages of guild channels (private channels only). */
  privateOnly: boolean;
  before?: MessageId;
  limit: number;
}

export interface MessageStore {
  /** Stores the message and moves the channel's last_message_id, atomically. */
  create(message: Message): void;
  get(channelId: ChannelId, id: MessageId): Message | null;
  getMany(channelId: ChannelId, ids: readonly MessageId[]): Map<MessageId, Message>;
  /** Newest first, as Discord returns history. */
  list(channelId: ChannelId, page: MessagePage): Message[];
  update(
    channelId: ChannelId,
    id: MessageId,
    patch: Partial<
      Pick<Message, "content" | "flags" | "editedAt" | "mentionEveryone" | "mentionUserIds" | "mentionRoleIds" | "pinnedAt" | "embeds">
    >,
  ): Message;
  /** Deletes messages with their reactions and attachments; returns the ids that existed. */
  delete(channelId: ChannelId, ids: readonly MessageId[]): MessageId[];
  /**
   * Messages that mention the query's user, role or guild, newest first, each once. The mention
   * index is written by `create`, rewritten by an `update` that changes mentions, dropped by `delete`.
   */
  listMentions(query: MentionQuery): Message[];
  /** Takes messages out of the user's mentions inbox (the messages stay); unknown ids are ignored. */
  dismissMentions(userId: UserId, messageIds: readonly MessageId[]): void;
  listPinned(channelId: ChannelId, query: { before?: number; limit: number }): Message[];
  countPinned(channelId: ChannelId): number;
  /** Sets or clears pinned_at and the channel's last pin time, atomically. */
  setPinned(channelId: ChannelId, id: MessageId, pinnedAt: number | null): void;
  /** Adds a reaction; false if the user had already reacted with that emoji. */
  addReaction(
    channelId: ChannelId,
    messageId: MessageId,
    reaction: { userId: UserId; emojiId: bigint | null; emojiName: string; animated: boolean; seq: bigint },
  ): boolean;
  removeReaction(messageId: MessageId, emojiKey: string, userId: UserId): boolean;
  removeAllReactions(messageId: MessageId): void;
  removeEmojiReactions(messageId: MessageId, emojiKey: string): void;
  reactionCounts(messageIds: readonly MessageId[], viewer: UserId): Map<MessageId, ReactionCount[]>;
  countDistinctEmojis(messageId: MessageId): number;
  reactionUsers(messageId: MessageId, emojiKey: string, query: ReactionUsersQuery): UserId[];
  /** An attachment of a message of the channel (to serve its file), or null. */
  getAttachment(channelId: ChannelId, attachmentId: bigint): Attachment | null;
  /** Storage keys of every attachment in the channel: their files, to remove once the channel is deleted. */
  attachmentKeysInChannel(channelId: ChannelId): string[];
  /** Storage keys of every attachment in the guild's channels, for the same when the guild is deleted. */
  attachmentKeysInGuild(guildId: GuildId): string[];
}

export interface ReadStateStore {
  ack(userId: UserId, channelId: ChannelId, messageId: MessageId, mentionCount: number): void;
  ackPins(userId: UserId, channelId: ChannelId, at: number): void;
  clear(userId: UserId, channelId: ChannelId): void;
  listForUser(userId: UserId): ReadState[];
}

export interface InviteStore {
  create(invite: Invite): void;
  get(code: string): Invite | null;
  listForChannel(channelId: ChannelId): Invite[];
  listForGuild(guildId: GuildId): Invite[];
  /** Counts one use; returns false when the invite is gone, expired at `now`, or used up. */
  use(code: string, now: number): boolean;
  delete(code: string): boolean;
}

export interface InstanceStore {
  get(key: string): string | null;
  set(key: string, value: string): void;
}

/** The owner and community the host claims in one step (see features/admin). */
export interface OwnerClaim {
  /** With the instance administrator's ACLs. */
  owner: NewUser;
  /** The community guild, owned by `owner`. */
  community: GuildSeed;
}

export type OwnerClaimOutcome = { outcome: "claimed"; owner: User } | { outcome: "already_claimed" } | { outcome: "email_taken" };

export interface InstanceFigures {
  users: number;
  bots: number;
  guilds: number;
  messages: number;
}

export interface ApplianceStore {
  /**
   * Records the owner, creates their account and the community guild, all or nothing. Exactly one
   * claim ever succeeds, however many run at once.
   */
  claimOwner(claim: OwnerClaim): OwnerClaimOutcome;
  /** The claimed owner's id, or null while the instance is unclaimed. */
  owner(): UserId | null;
  figures(): InstanceFigures;
}

/** One blob, or every blob under a prefix (ending with `/`), that must be deleted. */
export interface BlobDeletionTarget {
  kind: "key" | "prefix";
  target: string;
}

export interface QueuedBlobDeletion extends BlobDeletionTarget {
  id: number;
  attempts: number;
}

/** Blob deletions that must not be forgotten: queued before they are tried, removed once done. */
export interface BlobDeletionStore {
  /** Queues the targets, each due at `dueAt`; returns their queue ids in order. */
  enqueue(targets: readonly BlobDeletionTarget[], dueAt: number): number[];
  /** Up to `limit` entries due at `now`, oldest first. */
  due(now: number, limit: number): QueuedBlobDeletion[];
  done(ids: readonly number[]): void;
  /** Counts a failed attempt and makes the entry due again at `nextAttemptAt`. */
  retryLater(id: number, nextAttemptAt: number, error: string): void;
  /** How many entries wait (for the dashboard and tests). */
  count(): number;
}

/** Everything the services may ask of storage. */
export interface Stores {
  users: UserStore;
  sessions: SessionStore;
  userSettings: UserSettingsStore;
  userGuildSettings: UserGuildSettingsStore;
  applications: ApplicationStore;
  guilds: GuildStore;
  roles: RoleStore;
  members: MemberStore;
  bans: BanStore;
  auditLog: AuditLogStore;
  channels: ChannelStore;
  messages: MessageStore;
  readStates: ReadStateStore;
  invites: InviteStore;
  instance: InstanceStore;
  appliance: ApplianceStore;
  blobDeletions: BlobDeletionStore;
  /** Throws unless the database is open and its schema is fully migrated (readiness). */
  ping(): void;
  close(): void;
}
