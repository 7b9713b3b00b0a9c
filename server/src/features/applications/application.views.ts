/** Applications and their bots on the wire (ApplicationResponse, ApplicationsMeResponse, ...). */
import { createHash } from "node:crypto";
import type { Application, User } from "../../storage/records.ts";
import { toUserPartial } from "../users/user.views.ts";

/** The profile fields both bot shapes start with. */
const botIdentity = (bot: User) => ({
  id: bot.id.toString(),
  username: bot.username,
  discriminator: bot.discriminator,
  avatar: bot.avatar,
  banner: bot.banner,
  bio: bot.bio,
});

/** The bot user of an application; `flags` are the bot flags kept on the application. */
export function toBotView(app: Application, bot: User, token?: string) {
  return {
    ...botIdentity(bot),
    ...(token ? { token } : {}),
    mfa_enabled: false,
    authenticator_types: [],
    flags: app.flags,
  };
}

/** BotProfileResponse. */
export function toBotProfileView(app: Application, bot: User) {
  return { ...botIdentity(bot), flags: app.flags };
}

/** What the owner sees; secrets appear only in the response that created or reset them. */
export function toApplicationView(app: Application, bot: User | null, secrets: { botToken?: string; clientSecret?: string } = {}) {
  return {
    id: app.id.toString(),
    name: app.name,
    redirect_uris: app.redirectUris,
    bot_public: app.botPublic,
    bot_require_code_grant: app.botRequireCodeGrant,
    ...(secrets.clientSecret ? { client_secret: secrets.clientSecret } : {}),
    ...(bot ? { bot: toBotView(app, bot, secrets.botToken) } : {}),
  };
}

/**
 * Interactions are not served here, so there is no signing key to publish; a stable
 * 64-hex-digit value keeps SDKs that parse `verify_key` happy.
 */
export const verifyKey = (app: Application): string => createHash("sha256").update(`fluxer-app:${app.id}`).digest("hex");

/** ApplicationsMeResponse: what a bot learns about its own application. */
export function toApplicationMeView(app: Application, owner: User, bot: User | null) {
  return {
    id: app.id.toString(),
    name: app.name,
    icon: app.icon,
    description: app.description,
    bot_public: app.botPublic,
    bot_require_code_grant: app.botRequireCodeGrant,
    verify_key: verifyKey(app),
    owner: toUserPartial(owner),
    ...(bot ? { bot: toBotView(app, bot) } : {}),
    redirect_uris: app.redirectUris,
  };
}

/** ApplicationPublicResponse: what the "add this bot" page shows anyone. */
export function toPublicApplicationView(app: Application, bot: User | null, viewer: User | null) {
  return {
    id: app.id.toString(),
    name: app.name,
    icon: app.icon,
    description: app.description,
    redirect_uris: app.redirectUris,
    scopes: bot ? ["bot"] : [],
    bot_public: app.botPublic,
    bot: bot ? toBotView(app, bot) : null,
    ...(viewer ? { current_user: toUserPartial(viewer) } : {}),
  };
}
