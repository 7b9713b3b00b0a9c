/**
 * Accounts and sessions. No email is ever sent: the address is the login name and nothing more.
 * The first account on the instance becomes its administrator.
 */
import { hashToken, newSessionToken, sameHash } from "../../auth/tokens.ts";
import { sessionsRevoked } from "../../bus/internal-events.ts";
import type { Deps } from "../../deps.ts";
import { AppError, fieldError } from "../../errors.ts";
import type { Actor } from "../../http/actor.ts";
import { parseSnowflake } from "../../ids.ts";
import type { User } from "../../storage/records.ts";
import { newUserRecord } from "../users/user-records.ts";

export const ADMIN_ACLS = ["admin"];

export interface ClientInfo {
  os: string | null;
  browser: string | null;
  platform: string | null;
  ip: string | null;
}

export interface RegisterInput {
  email?: string;
  username?: string;
  global_name?: string;
  password?: string;
}

export function createAuthService(deps: Deps) {
  const { stores, passwords, ids, clock } = deps;

  async function startSession(user: User, client: ClientInfo): Promise<string> {
    const token = newSessionToken();
    const now = clock();
    stores.sessions.create({
      idHash: hashToken(token),
      userId: user.id,
      createdAt: now,
      lastUsedAt: now,
      clientOs: client.os,
      clientBrowser: client.browser,
      clientPlatform: client.platform,
      ip: client.ip,
    });
    return token;
  }

  /**
   * Sudo verification (the spec's SudoVerificationSchema) before a sensitive action: an account with a
   * password must send it, right. There is no MFA here, so the password is the whole check.
   */
  async function sudo(actor: Actor, password: string | undefined) {
    const hashed = stores.users.passwordHash(actor.user.id);
    if (!hashed) return; // an account without a password (a bot) has nothing to verify
    if (!password) throw fieldError("password", "Your password is required for this action", "BASE_TYPE_REQUIRED");
    if (!(await passwords.verify(hashed, password))) throw fieldError("password", "Password is incorrect", "INVALID_PASSWORD");
  }

  return {
    async register(input: RegisterInput, client: ClientInfo) {
      // Claim before anything else: under the host nobody registers before the owner exists.
      if (deps.config.instance.require_claim && stores.appliance.owner() === null) {
        throw new AppError("REGISTRATION_CLOSED", "Registration opens once the owner has claimed this instance");
      }
      if (!deps.config.instance.registration_open && stores.instance.get("first_user_id") !== null) {
        throw new AppError("REGISTRATION_CLOSED");
      }
      if (!input.email) throw fieldError("email", "An email address is required: it is your login name", "BASE_TYPE_REQUIRED");
      if (!input.password) throw fieldError("password", "A password is required", "BASE_TYPE_REQUIRED");
      if (stores.users.findByEmail(input.email))
        throw fieldError("email", "This email address is already registered", "EMAIL_ALREADY_REGISTERED");
      const username = input.username ?? usernameFromEmail(input.email);
      const discriminator = pickDiscriminator(stores.users.takenDiscriminators(username));
      if (!discriminator) throw fieldError("username", "Too many users have this username", "USERNAME_TOO_MANY_USERS");
      const passwordHash = await passwords.hash(input.password);
      const user = stores.users.create(
        newUserRecord({
          id: ids.next(),
          username,
          discriminator,
          globalName: input.global_name ?? null,
          email: input.email,
          passwordHash,
          createdAt: clock(),
        }),
        ADMIN_ACLS,
      );
      return { token: await startSession(user, client), user };
    },

    async login(email: string, password: string, client: ClientInfo) {
      const found = stores.users.findByEmail(email);
      // Hash even when the account does not exist, so timing does not reveal which emails are registered.
      const hashed = found?.passwordHash ?? (await passwords.hash("not-a-real-password"));
      const ok = await passwords.verify(hashed, password);
      if (!found?.passwordHash || !ok) {
        throw fieldError("password", "Login or password is invalid", "INVALID_LOGIN");
      }
      return { token: await startSession(found, client), user: found as User };
    },

    logout(actor: Actor) {
      if (!actor.sessionHash) return;
      stores.sessions.delete([actor.sessionHash], actor.user.id);
      deps.bus.publish(sessionsRevoked(actor.user.id, { session_hashes: [actor.sessionHash] })); // the gateway closes its sockets
    },

    listSessions(actor: Actor) {
      return stores.sessions.listForUser(actor.user.id).map((session) => ({ session, current: session.idHash === actor.sessionHash }));
    },

    async logoutSessions(actor: Actor, idHashes: string[], password: string | undefined) {
      // Logging out other devices is sensitive: it takes the password.
      await sudo(actor, password);
      stores.sessions.delete(idHashes, actor.user.id);
      if (idHashes.length > 0) deps.bus.publish(sessionsRevoked(actor.user.id, { session_hashes: idHashes }));
    },

    sudo,

    async verifyPassword(actor: Actor, password: string | undefined) {
      const hashed = stores.users.passwordHash(actor.user.id);
      if (!password || !hashed || !(await passwords.verify(hashed, password))) {
        throw fieldError("password", "Password is incorrect", "INVALID_PASSWORD");
      }
    },

    /** Resolves an Authorization header: a raw session token, or `Bot <app_id>.<secret>`. */
    async authenticate(header: string | undefined): Promise<Actor | null> {
      if (!header) return null;
      if (header.startsWith("Bot ")) return authenticateBot(header.slice(4).trim());
      if (header.startsWith("Bearer ")) return null; // OAuth2 access tokens arrive with a later issue
      const idHash = hashToken(header.trim());
      const session = stores.sessions.get(idHash);
      if (!session) return null;
      const user = stores.users.get(session.userId);
      if (!user) return null;
      const now = clock();
      if (now - session.lastUsedAt > 60_000) stores.sessions.touch(idHash, now); // coarse: no write per request
      return { user, sessionHash: idHash };
    },
  };

  function authenticateBot(token: string): Actor | null {
    const dot = token.indexOf(".");
    const appId = parseSnowflake(token.slice(0, dot));
    if (dot < 0 || appId === null) return null;
    const app = stores.applications.get(appId);
    if (!app?.botUserId) return null;
    const withHash = stores.applications.findByBotUser(app.botUserId);
    if (!withHash?.botTokenHash || !sameHash(withHash.botTokenHash, hashToken(token))) return null;
    const user = stores.users.get(app.botUserId);
    return user ? { user, sessionHash: null } : null;
  }
}

export type AuthService = ReturnType<typeof createAuthService>;

function usernameFromEmail(email: string): string {
  const local = email.split("@")[0] ?? "";
  const cleaned = local.replace(/[^a-zA-Z0-9_]/g, "_").slice(0, 32);
  return cleaned.length > 0 ? cleaned : "user";
}

/** A random free 4-digit discriminator, or null when all 9999 are taken. */
export function pickDiscriminator(taken: Set<string>): string | null {
  if (taken.size >= 9999) return null;
  for (;;) {
    const candidate = String(1 + Math.floor(Math.random() * 9999)).padStart(4, "0");
    if (!taken.has(candidate)) return candidate;
  }
}
