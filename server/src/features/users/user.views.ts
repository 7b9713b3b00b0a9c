/** Users on the wire: the partial shape everyone sees, and the private shape a user sees of itself. */
import type { User } from "../../storage/records.ts";
import { toMemberView } from "../members/member.views.ts";
import type { Profile } from "./user-profile.service.ts";

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

export function toUserPartial(user: User) {
  return {
    id: user.id.toString(),
    username: user.username,
    discriminator: user.discriminator,
    global_name: user.globalName,
    avatar: user.avatar,
    avatar_color: null,
    flags: user.flags,
    ...(user.bot ? { bot: true } : {}),
    ...(user.system ? { system: true } : {}),
  };
}

export type UserPartialView = ReturnType<typeof toUserPartial>;

/** A self-hosted instance has no billing: every premium field is empty, perks are all unlocked by limits instead. */
/** No subscription exists on a self-hosted instance: the premium fields every private user and premium state carry. */
export const NO_PREMIUM = {
  premium_type: null,
  premium_since: null,
  premium_until: null,
  premium_will_cancel: false,
  premium_billing_cycle: null,
  premium_lifetime_sequence: null,
  premium_grace_ends_at: null,
} as const;

export function toUserPrivate(user: User) {
  return {
    ...toUserPartial(user),
    is_staff: user.acls.includes("admin"),
    acls: user.acls,
    traits: [],
    email: user.email,
    has_verified_phone: false,
    bio: user.bio,
    pronouns: user.pronouns,
    accent_color: user.accentColor,
    banner: user.banner,
    banner_color: null,
    mfa_enabled: false,
    verified: true, // no email is ever sent here, so there is nothing to verify
    ...NO_PREMIUM,
    premium_discriminator: false,
    premium_badge_hidden: false,
    premium_badge_masked: false,
    premium_badge_timestamp_hidden: false,
    premium_badge_sequence_hidden: false,
    premium_purchase_disabled: true,
    premium_enabled_override: false,
    premium_perks_disabled: false,
    password_last_changed_at: iso(user.passwordChangedAt),
    last_voice_activity_sharing_change_at: null,
    required_actions: [],
    nsfw_allowed: true,
    has_dismissed_premium_onboarding: true,
    has_ever_purchased: false,
    has_unread_gift_inventory: false,
    unread_gift_inventory_count: 0,
    pending_bulk_message_deletion: null,
    terms_agreed_at: iso(user.createdAt),
    privacy_agreed_at: iso(user.createdAt),
  };
}

/** UserProfileFullResponse; no timezones, premium badges or connections exist here. */
export function toUserProfileView(profile: Profile) {
  const { user } = profile;
  return {
    user: toUserPartial(user),
    user_profile: { bio: user.bio, pronouns: user.pronouns, banner: user.banner, banner_color: null, accent_color: user.accentColor },
    ...(profile.member ? { guild_member: toMemberView(profile.member, user) } : {}),
    ...(profile.mutualGuilds ? { mutual_guilds: profile.mutualGuilds.map((g) => ({ id: g.guildId.toString(), nick: g.nick })) } : {}),
    ...(profile.withMutualFriends ? { mutual_friends: [] } : {}),
    connected_accounts: [],
    timezone_offset: null,
  };
}
