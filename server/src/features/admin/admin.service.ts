/**
 * The appliance's admin side, for the host only (the admin key): claiming the owner, which creates
 * the instance administrator's account and names the community in one step, and the dashboard's
 * figures. The owner signs in afterwards like anyone else.
 */
import type { Deps } from "../../deps.ts";
import { AppError, fieldError } from "../../errors.ts";
import { ChannelType } from "../../storage/records.ts";
import { ADMIN_ACLS, pickDiscriminator } from "../auth/auth.service.ts";
import { newGuildSeed } from "../guilds/guild-seed.ts";
import type { InvitesService } from "../invites/invites.service.ts";
import { newUserRecord } from "../users/user-records.ts";

export interface ClaimInput {
  email: string;
  username?: string;
  global_name?: string;
  password: string;
  community_name: string;
}

export interface LiveFigures {
  connections: number;
  sessions: number;
}

export function createAdminService(deps: Deps, live: () => LiveFigures, invites: InvitesService) {
  const { stores, passwords, ids, clock } = deps;
  return {
    async claimOwner(input: ClaimInput) {
      const username = input.username ?? "owner";
      const discriminator = pickDiscriminator(stores.users.takenDiscriminators(username));
      if (!discriminator) throw fieldError("username", "Too many users have this username", "USERNAME_TOO_MANY_USERS");
      const now = clock();
      const owner = newUserRecord({
        id: ids.next(),
        username,
        discriminator,
        globalName: input.global_name ?? null,
        email: input.email,
        passwordHash: await passwords.hash(input.password),
        createdAt: now,
      });
      const community = newGuildSeed({ name: input.community_name, ownerId: owner.id, now, nextId: () => ids.next() });
      const result = stores.appliance.claimOwner({ owner: { ...owner, acls: ADMIN_ACLS }, community });
      if (result.outcome === "already_claimed") throw new AppError("CONFLICT", "This instance already has its owner");
      if (result.outcome === "email_taken")
        throw fieldError("email", "This email address is already registered", "EMAIL_ALREADY_REGISTERED");
      return { owner: result.owner, guildId: community.guild.id };
    },

    /**
     * A permanent invite to the owner's community (the oldest guild they own), made as the owner;
     * asked again, it gives the same live invite back rather than a new one each time.
     */
    ownerInvite() {
      const ownerId = stores.appliance.owner();
      const owner = ownerId === null ? null : stores.users.get(ownerId);
      if (!owner) throw new AppError("CONFLICT", "This instance has no owner yet");
      const community = stores.guilds
        .listForUser(owner.id)
        .filter((guild) => guild.ownerId === owner.id)
        .sort((a, b) => (a.id < b.id ? -1 : 1))[0];
      if (!community) throw new AppError("UNKNOWN_GUILD", "The owner has no community");
      const channels = stores.channels.listForGuild(community.id);
      const landing = channels.find((c) => c.id === community.systemChannelId) ?? channels.find((c) => c.type === ChannelType.guildText);
      if (!landing) throw new AppError("UNKNOWN_CHANNEL", "The owner's community has no text channel");
      return invites.create({ user: owner, sessionHash: null }, landing.id, { max_age: 0, max_uses: 0 }, null);
    },

    figures() {
      const owner = stores.appliance.owner();
      const { connections, sessions } = live();
      return { claimed: owner !== null, ownerId: owner, ...stores.appliance.figures(), gateway: { connections, sessions } };
    },
  };
}

export type AdminService = ReturnType<typeof createAdminService>;
