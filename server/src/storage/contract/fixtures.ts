/**
 * Record builders and a seeded world for the contract suites. Backend-neutral: everything is made
 * through the `Stores` port, never through a driver.
 */
import { after, before } from "node:test";
import { type ChannelId, createIdGenerator, type GuildId, type IdGenerator, type UserId } from "../../ids.ts";
import type { NewUser, Stores } from "../ports.ts";
import { type Attachment, type Channel, ChannelType, type Guild, type Member, type Message, type Role, type User } from "../records.ts";

/** What a backend hands a contract suite: a fresh, empty set of stores. */
export type MakeStores = () => Promise<Stores> | Stores;

/**
 * Opens the stores once for the enclosing `describe` and closes them after it.
 * Returns a getter, since the stores only exist once `before` has run.
 */
export function useStores(makeStores: MakeStores): () => Stores {
  let stores: Stores | undefined;
  before(async () => {
    stores = await makeStores();
  });
  after(() => {
    stores?.close();
    stores = undefined;
  });
  return () => {
    if (!stores) throw new Error("stores are only available inside tests");
    return stores;
  };
}

/** The reaction key the ports use (defined once, in records.ts). */
export { emojiKey } from "../records.ts";

export interface Fixtures {
  ids: IdGenerator;
  newUser(overrides?: Partial<NewUser>): NewUser;
  /** The `User` a store returns for `newUser(...)` (password change time is the creation time). */
  userOf(user: NewUser): User;
  guild(ownerId: UserId, overrides?: Partial<Guild>): Guild;
  role(guildId: GuildId, overrides?: Partial<Role>): Role;
  /** The @everyone role: its id is the guild's. */
  everyoneRole(guildId: GuildId, overrides?: Partial<Role>): Role;
  channel(guildId: GuildId | null, overrides?: Partial<Channel>): Channel;
  member(guildId: GuildId, userId: UserId, overrides?: Partial<Member>): Member;
  message(channelId: ChannelId, authorId: UserId, overrides?: Partial<Message>): Message;
  attachment(overrides?: Partial<Attachment>): Attachment;
}

export function createFixtures(ids: IdGenerator = createIdGenerator(1)): Fixtures {
  const now = () => Date.now();
  const fixtures: Fixtures = {
    ids,
    newUser(overrides = {}) {
      const id = overrides.id ?? ids.next();
      return {
        id,
        username: `user${id}`,
        discriminator: "0001",
        globalName: null,
        email: `user${id}@example.test`,
        avatar: null,
        banner: null,
        bio: null,
        pronouns: null,
        accentColor: null,
        flags: 0,
        bot: false,
        system: false,
        acls: [],
        createdAt: now(),
        passwordHash: null,
        ...overrides,
      };
    },
    userOf(user) {
      const { passwordHash: _ignored, ...rest } = user;
      return { ...rest, passwordChangedAt: user.createdAt };
    },
    guild(ownerId, overrides = {}) {
      return {
        id: ids.next(),
        name: "Test guild",
        icon: null,
        banner: null,
        splash: null,
        ownerId,
        systemChannelId: null,
        systemChannelFlags: 0,
        rulesChannelId: null,
        afkChannelId: null,
        afkTimeout: 300,
        verificationLevel: 0,
        mfaLevel: 0,
        nsfwLevel: 0,
        explicitContentFilter: 0,
        defaultMessageNotifications: 0,
        disabledOperations: 0,
        vanityUrlCode: null,
        features: [],
        createdAt: now(),
        ...overrides,
      };
    },
    role(guildId, overrides = {}) {
      return {
        id: ids.next(),
        guildId,
        name: "role",
        color: 0,
        position: 1,
        hoistPosition: null,
        permissions: 0n,
        hoist: false,
        mentionable: false,
        unicodeEmoji: null,
        ...overrides,
      };
    },
    everyoneRole(guildId, overrides = {}) {
      return fixtures.role(guildId, { id: guildId as bigint, name: "@everyone", position: 0, ...overrides });
    },
    channel(guildId, overrides = {}) {
      return {
        id: ids.next(),
        guildId,
        type: ChannelType.guildText,
        name: "general",
        topic: null,
        url: null,
        icon: null,
        ownerId: null,
        position: 0,
        parentId: null,
        bitrate: null,
        userLimit: null,
        rtcRegion: null,
        nsfw: false,
        rateLimitPerUser: 0,
        lastMessageId: null,
        lastPinAt: null,
        overwrites: [],
        recipientIds: [],
        createdAt: now(),
        ...overrides,
      };
    },
    member(guildId, userId, overrides = {}) {
      return {
        guildId,
        userId,
        nick: null,
        avatar: null,
        roleIds: [],
        joinedAt: now(),
        communicationDisabledUntil: null,
        mute: false,
        deaf: false,
        ...overrides,
      };
    },
    message(channelId, authorId, overrides = {}) {
      return {
        id: ids.next(),
        channelId,
        authorId,
        type: 0,
        content: "hello",
        flags: 0,
        tts: false,
        mentionEveryone: false,
        mentionUserIds: [],
        mentionRoleIds: [],
        embeds: [],
        nonce: null,
        editedAt: null,
        pinnedAt: null,
        reference: null,
        attachments: [],
        ...overrides,
      };
    },
    attachment(overrides = {}) {
      const id = overrides.id ?? ids.next();
      return {
        id,
        filename: `file-${id}.png`,
        title: null,
        description: null,
        contentType: "image/png",
        size: 1024,
        width: 64,
        height: 48,
        storageKey: `attachments/${id}`,
        flags: 0,
        ...overrides,
      };
    },
  };
  return fixtures;
}

export interface World {
  owner: User;
  guild: Guild;
  channel: Channel;
}

/** An owner, a guild with its @everyone role and one text channel, made through the ports. */
export function seedWorld(stores: Stores, f: Fixtures): World {
  const owner = stores.users.create(f.newUser());
  const guild = f.guild(owner.id);
  const channel = f.channel(guild.id);
  stores.guilds.create({ guild, everyoneRole: f.everyoneRole(guild.id), channels: [channel], owner: f.member(guild.id, owner.id) });
  return { owner, guild, channel };
}

/** Another text channel in an existing guild. */
export function seedChannel(stores: Stores, f: Fixtures, guildId: GuildId, overrides: Partial<Channel> = {}): Channel {
  const channel = f.channel(guildId, { name: "other", position: 1, ...overrides });
  stores.channels.create(channel);
  return channel;
}
