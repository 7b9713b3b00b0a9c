import { sessionsRevoked } from "../../bus/internal-events.ts";
import type { Deps } from "../../deps.ts";
import { AppError, fieldError } from "../../errors.ts";
import type { Actor } from "../../http/actor.ts";
import type { UserId } from "../../ids.ts";
import type { User } from "../../storage/records.ts";
import type { AuthService } from "../auth/auth.service.ts";
import { toUserPrivate } from "./user.views.ts";
import { createUserProfileService } from "./user-profile.service.ts";

export interface ProfilePatch {
  username?: string;
  discriminator?: string;
  global_name?: string | null;
  email?: string;
  new_password?: string;
  password?: string;
  bio?: string | null;
  pronouns?: string | null;
  accent_color?: number | null;
}

export function createUsersService(deps: Deps, auth: AuthService) {
  const { stores, bus, passwords, clock } = deps;
  const profiles = createUserProfileService(deps);
  /** A new password logs out every other device, as a leaked password must stop working everywhere. */
  function revokeOtherSessions(actor: Actor) {
    const others = stores.sessions
      .listForUser(actor.user.id)
      .map((session) => session.idHash)
      .filter((hash) => hash !== actor.sessionHash);
    if (others.length === 0) return;
    stores.sessions.delete(others, actor.user.id);
    bus.publish(sessionsRevoked(actor.user.id, { session_hashes: others }));
  }

  return {
    profile: profiles.profile,

    get(id: UserId): User {
      return (
        stores.users.get(id) ??
        (() => {
          throw new AppError("UNKNOWN_USER");
        })()
      );
    },

    async update(actor: Actor, patch: ProfilePatch): Promise<User> {
      const user = actor.user;
      const changes: Parameters<typeof stores.users.update>[1] = {};
      // Changing how you log in (email, password) or who you are (tag) needs the current password.
      const sensitive =
        patch.email !== undefined || patch.new_password !== undefined || patch.username !== undefined || patch.discriminator !== undefined;
      if (sensitive && !user.bot) await auth.verifyPassword(actor, patch.password);
      if (patch.email !== undefined && patch.email.toLowerCase() !== user.email?.toLowerCase()) {
        if (stores.users.findByEmail(patch.email))
          throw fieldError("email", "This email address is already registered", "EMAIL_ALREADY_REGISTERED");
        changes.email = patch.email;
      }
      if (patch.username !== undefined || patch.discriminator !== undefined) {
        const username = patch.username ?? user.username;
        const discriminator = patch.discriminator?.padStart(4, "0") ?? user.discriminator;
        const owner = stores.users.findByTag(username, discriminator);
        if (owner && owner.id !== user.id) throw fieldError("username", "That username and tag are taken", "USERNAME_NOT_AVAILABLE");
        changes.username = username;
        changes.discriminator = discriminator;
      }
      if (patch.new_password !== undefined) {
        changes.passwordHash = await passwords.hash(patch.new_password);
        changes.passwordChangedAt = clock();
      }
      if (patch.global_name !== undefined) changes.globalName = patch.global_name;
      if (patch.bio !== undefined) changes.bio = patch.bio;
      if (patch.pronouns !== undefined) changes.pronouns = patch.pronouns;
      if (patch.accent_color !== undefined) changes.accentColor = patch.accent_color;
      const updated = stores.users.update(user.id, changes);
      if (patch.new_password !== undefined) revokeOtherSessions(actor);
      bus.publish({ type: "USER_UPDATE", audience: { kind: "users", userIds: [user.id] }, data: toUserPrivate(updated) });
      return updated;
    },
  };
}

export type UsersService = ReturnType<typeof createUsersService>;
