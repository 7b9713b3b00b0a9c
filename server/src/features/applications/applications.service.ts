/**
 * OAuth2 applications and their bots: every application gets a bot user, whose token is shown
 * once (at creation or reset) and stored only as a hash. Only the owner may see or change one.
 */
import { hashToken, newBotToken, randomBase62 } from "../../auth/tokens.ts";
import { sessionsRevoked } from "../../bus/internal-events.ts";
import { AppError, fieldError } from "../../errors.ts";
import type { Actor } from "../../http/actor.ts";
import type { ApplicationId } from "../../ids.ts";
import type { Application, User } from "../../storage/records.ts";
import { pickDiscriminator } from "../auth/auth.service.ts";
import type { FeatureContext } from "../context.ts";
import { toUserPartial, toUserPrivate } from "../users/user.views.ts";
import { newUserRecord } from "../users/user-records.ts";

/** Discord's cap on applications per developer. */
export const MAX_APPLICATIONS_PER_USER = 25;

export interface ApplicationInput {
  name?: string;
  redirect_uris?: string[] | null;
  bot_public?: boolean;
  bot_require_code_grant?: boolean;
}

export interface BotProfileInput {
  username?: string;
  discriminator?: string;
  avatar?: string | null;
  banner?: string | null;
  bio?: string | null;
  bot_flags?: number;
}

/** A bot's username comes from its application's name, in the characters usernames allow. */
export function botUsername(name: string): string {
  const cleaned = name
    .replace(/[^a-zA-Z0-9_]+/g, "_")
    .replace(/^_+|_+$/g, "")
    .slice(0, 32);
  return cleaned.length > 0 ? cleaned : "bot";
}

const newClientSecret = (): string => randomBase62(32);

export function createApplicationsService({ deps, auth }: FeatureContext) {
  const { stores, bus, ids, clock } = deps;

  function owned(actor: Actor, id: ApplicationId): Application {
    const app = stores.applications.get(id);
    if (!app) throw new AppError("UNKNOWN_APPLICATION");
    if (app.ownerId !== actor.user.id) throw new AppError("APPLICATION_NOT_OWNED");
    return app;
  }

  const botOf = (app: Application): User | null => (app.botUserId === null ? null : stores.users.get(app.botUserId));

  function botOrThrow(app: Application): User {
    const bot = botOf(app);
    if (!bot) throw new AppError("NOT_A_BOT_APPLICATION");
    return bot;
  }

  /** Sudo verification: the owner's password, always (see auth.sudo). */
  const sudo = (actor: Actor, password: string | undefined) => auth.sudo(actor, password);

  function freeDiscriminator(username: string, field: string): string {
    const discriminator = pickDiscriminator(stores.users.takenDiscriminators(username));
    if (!discriminator) throw fieldError(field, "Too many users have this username", "USERNAME_TOO_MANY_USERS");
    return discriminator;
  }

  return {
    botOf,

    create(actor: Actor, input: ApplicationInput & { name: string }) {
      if (stores.applications.listForOwner(actor.user.id).length >= MAX_APPLICATIONS_PER_USER) throw new AppError("MAX_APPLICATIONS");
      const now = clock();
      const id = ids.next();
      const username = botUsername(input.name);
      const botToken = newBotToken(id);
      const app = stores.applications.create(
        {
          id,
          ownerId: actor.user.id,
          name: input.name,
          description: null,
          icon: null,
          botUserId: null,
          botPublic: input.bot_public ?? true,
          botRequireCodeGrant: input.bot_require_code_grant ?? false,
          redirectUris: input.redirect_uris ?? [],
          flags: 0,
          createdAt: now,
        },
        {
          user: newUserRecord({
            id: ids.next(),
            username,
            discriminator: freeDiscriminator(username, "name"),
            bot: true,
            createdAt: now,
          }),
          tokenHash: hashToken(botToken),
        },
      );
      const clientSecret = newClientSecret();
      stores.applications.setClientSecretHash(id, hashToken(clientSecret));
      return { app, bot: botOf(app), botToken, clientSecret };
    },

    listMine(actor: Actor) {
      return stores.applications.listForOwner(actor.user.id).map((app) => ({ app, bot: botOf(app) }));
    },

    get(actor: Actor, id: ApplicationId) {
      const app = owned(actor, id);
      return { app, bot: botOf(app) };
    },

    update(actor: Actor, id: ApplicationId, input: ApplicationInput) {
      owned(actor, id);
      const app = stores.applications.update(id, {
        ...(input.name !== undefined ? { name: input.name } : {}),
        ...(input.redirect_uris !== undefined ? { redirectUris: input.redirect_uris ?? [] } : {}),
        ...(input.bot_public !== undefined ? { botPublic: input.bot_public } : {}),
        ...(input.bot_require_code_grant !== undefined ? { botRequireCodeGrant: input.bot_require_code_grant } : {}),
      });
      return { app, bot: botOf(app) };
    },

    /** Deleting an application takes its bot out of every guild; its token stops working at once. */
    async delete(actor: Actor, id: ApplicationId, password: string | undefined) {
      const app = owned(actor, id);
      await sudo(actor, password);
      const bot = botOf(app);
      const guildIds = bot ? stores.members.guildIdsForUser(bot.id) : [];
      stores.applications.delete(id);
      if (!bot) return;
      bus.publish(sessionsRevoked(bot.id, { all: true })); // the bot's gateway sessions end with its token
      for (const guildId of guildIds) {
        bus.publish({
          type: "GUILD_MEMBER_REMOVE",
          audience: { kind: "guild", guildId },
          data: { guild_id: guildId.toString(), user: toUserPartial(bot) },
        });
      }
    },

    updateBot(actor: Actor, id: ApplicationId, input: BotProfileInput) {
      let app = owned(actor, id);
      const bot = botOrThrow(app);
      // Image uploads need the media store, which bots do not reach yet: only clearing is possible.
      if (typeof input.avatar === "string") throw fieldError("avatar", "Bot avatar uploads are not available yet", "NOT_AVAILABLE");
      if (typeof input.banner === "string") throw fieldError("banner", "Bot banner uploads are not available yet", "NOT_AVAILABLE");
      const changes: Parameters<typeof stores.users.update>[1] = {};
      if (input.username !== undefined || input.discriminator !== undefined) {
        const username = input.username ?? bot.username;
        let discriminator = input.discriminator?.padStart(4, "0") ?? bot.discriminator;
        const holder = stores.users.findByTag(username, discriminator);
        if (holder && holder.id !== bot.id) {
          if (input.discriminator !== undefined) throw fieldError("username", "That username and tag are taken", "USERNAME_NOT_AVAILABLE");
          discriminator = freeDiscriminator(username, "username");
        }
        changes.username = username;
        changes.discriminator = discriminator;
      }
      if (input.avatar === null) changes.avatar = null;
      if (input.banner === null) changes.banner = null;
      if (input.bio !== undefined) changes.bio = input.bio;
      const updated = stores.users.update(bot.id, changes);
      if (input.bot_flags !== undefined) app = stores.applications.update(id, { flags: input.bot_flags });
      bus.publish({ type: "USER_UPDATE", audience: { kind: "users", userIds: [bot.id] }, data: toUserPrivate(updated) });
      return { app, bot: updated };
    },

    /** A new bot token; the old one stops working at once. */
    async resetBotToken(actor: Actor, id: ApplicationId, password: string | undefined) {
      const app = owned(actor, id);
      await sudo(actor, password);
      const bot = botOrThrow(app);
      const token = newBotToken(app.id);
      stores.applications.setBotTokenHash(app.id, hashToken(token));
      bus.publish(sessionsRevoked(bot.id, { all: true })); // the gateway closes what the old token opened
      return { app, bot, token };
    },

    async resetClientSecret(actor: Actor, id: ApplicationId, password: string | undefined) {
      const app = owned(actor, id);
      await sudo(actor, password);
      const clientSecret = newClientSecret();
      stores.applications.setClientSecretHash(app.id, hashToken(clientSecret));
      return { app, bot: botOf(app), clientSecret };
    },

    /** Anyone may look at an application before adding its bot. */
    getPublic(id: ApplicationId) {
      const app = stores.applications.get(id);
      if (!app) throw new AppError("UNKNOWN_APPLICATION");
      return { app, bot: botOf(app) };
    },

    /** The application behind a bot token. */
    ofBot(actor: Actor) {
      const app = actor.user.bot ? stores.applications.findByBotUser(actor.user.id) : null;
      if (!app) throw new AppError("UNAUTHORIZED", "This endpoint needs a bot token");
      const owner = stores.users.get(app.ownerId);
      if (!owner) throw new AppError("UNKNOWN_APPLICATION");
      return { app, owner, bot: actor.user };
    },
  };
}

export type ApplicationsService = ReturnType<typeof createApplicationsService>;
