/**
 * READY for a new session. Users get their guilds in full; bots get `{id, unavailable: true}`
 * stubs and one GUILD_CREATE per guild right after, as Fluxer (and Discord) send them.
 */
import type { Deps } from "../deps.ts";
import { toChannelView } from "../features/channels/channel.views.ts";
import { toUserPartial, toUserPrivate } from "../features/users/user.views.ts";
import { toUserGuildSettingsView } from "../features/users/user-guild-settings.views.ts";
import { toUserSettingsView } from "../features/users/user-settings.views.ts";
import { gatewayUrl } from "../public-urls.ts";
import type { User, UserSettings } from "../storage/records.ts";
import type { GuildPayload, GuildPayloads } from "./guild-payload.ts";
import { type Presence, presenceView } from "./presence.ts";

export interface ReadyBundle {
  ready: Record<string, unknown>;
  guildIds: bigint[];
  /** Sent after READY, one GUILD_CREATE each (bots only). */
  guildCreates: GuildPayload[];
}

export interface ReadySession {
  id: string;
  /** `Actor.sessionHash`: base64url SHA-256 of the token, upstream's auth session id hash; null for bots. */
  authSessionHash: string | null;
  /** Null for bots, which have no settings (upstream sends null then). */
  settings: UserSettings | null;
  /** The user's live sessions, this one included, as SESSIONS_REPLACE lists them. */
  sessions: unknown[];
}

export async function buildReady(
  deps: Deps,
  payloads: GuildPayloads,
  presence: Presence,
  user: User,
  session: ReadySession,
): Promise<ReadyBundle> {
  const { stores } = deps;
  const guildIds = stores.members.guildIdsForUser(user.id);
  const built = (await Promise.all(guildIds.map((id) => payloads.build(id, user.id)))).filter((g): g is GuildPayload => g !== null);

  const privateChannels = stores.channels.listPrivateForUser(user.id);
  const otherIds = [...new Set(privateChannels.flatMap((c) => c.recipientIds).filter((id) => id !== user.id))];
  const others = stores.users.getMany(otherIds);
  const recipientsOf = (ids: bigint[]) => ids.flatMap((id) => (id === user.id ? [] : others.get(id) ? [others.get(id) as User] : []));
  const dmPresences = await presence.read(otherIds);

  // discord.js-style bots read their application from READY.
  const app = user.bot ? stores.applications.findByBotUser(user.id) : null;
  const ready = {
    version: 1,
    session_id: session.id,
    // The client keys its own entry of GET /auth/sessions by it (and warns without it).
    ...(session.authSessionHash ? { auth_session_id_hash: session.authSessionHash } : {}),
    // Where a RESUME should go (discord.py-style clients read it); SDKs add their own query string.
    resume_gateway_url: gatewayUrl(deps.config),
    ...(app ? { application: { id: app.id.toString(), flags: 0 } } : {}),
    user: toUserPrivate(user),
    guilds: user.bot ? built.map((g) => ({ id: g.id, unavailable: true })) : built,
    private_channels: privateChannels.map((c) => toChannelView(c, recipientsOf(c.recipientIds))),
    relationships: [],
    users: [...others.values()].map(toUserPartial),
    presences: [...dmPresences.entries()].map(([id, stored]) => presenceView(id, stored)).filter((p) => p.status !== "offline"),
    sessions: session.sessions,
    // The official app treats a user without settings as invisible.
    user_settings: session.settings && toUserSettingsView(session.settings),
    user_guild_settings: user.bot ? [] : stores.userGuildSettings.listForUser(user.id).map(toUserGuildSettingsView),
    // Stores this build does not have yet, sent empty as upstream sends them for a new account.
    notes: {},
    pinned_dms: [],
    favorite_memes: [],
    webauthn_credentials: [],
    read_states: stores.readStates.listForUser(user.id).map((r) => ({
      id: r.channelId.toString(),
      last_message_id: r.lastMessageId === null ? null : r.lastMessageId.toString(),
      last_pin_timestamp: r.lastPinAt === null ? null : new Date(r.lastPinAt).toISOString(),
      mention_count: r.mentionCount,
    })),
  };
  return { ready, guildIds: built.map((g) => BigInt(g.id)), guildCreates: user.bot ? built : [] };
}
