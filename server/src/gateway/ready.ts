/**
 * READY for a new session. Users get their guilds in full; bots get `{id, unavailable: true}`
 * stubs and one GUILD_CREATE per guild right after, as Fluxer (and Discord) send them.
 */
import type { Deps } from "../deps.ts";
import { toChannelView } from "../features/channels/channel.views.ts";
import { toUserPartial, toUserPrivate } from "../features/users/user.views.ts";
import { gatewayUrl } from "../public-urls.ts";
import type { User } from "../storage/records.ts";
import type { GuildPayload, GuildPayloads } from "./guild-payload.ts";
import { type Presence, presenceView } from "./presence.ts";
import type { Session } from "./session.ts";

export interface ReadyBundle {
  ready: Record<string, unknown>;
  guildIds: bigint[];
  /** Sent after READY, one GUILD_CREATE each (bots only). */
  guildCreates: GuildPayload[];
}

export async function buildReady(
  deps: Deps,
  payloads: GuildPayloads,
  presence: Presence,
  user: User,
  sessionId: string,
  liveSessions: Iterable<Session>,
): Promise<ReadyBundle> {
  const { stores } = deps;
  const guildIds = stores.members.guildIdsForUser(user.id);
  const built = (await Promise.all(guildIds.map((id) => payloads.build(id, user.id)))).filter((g): g is GuildPayload => g !== null);

  const privateChannels = stores.channels.listPrivateForUser(user.id);
  const otherIds = [...new Set(privateChannels.flatMap((c) => c.recipientIds).filter((id) => id !== user.id))];
  const others = stores.users.getMany(otherIds);
  const recipientsOf = (ids: bigint[]) => ids.flatMap((id) => (id === user.id ? [] : others.get(id) ? [others.get(id) as User] : []));
  const dmPresences = await presence.read(otherIds);

  const sessions = [...liveSessions].map((s) => ({
    session_id: s.id,
    client_info: { os: s.client.os, client: s.client.browser, version: 0 },
    status: "online",
    active: true,
    activities: [],
  }));

  // discord.js-style bots read their application from READY.
  const app = user.bot ? stores.applications.findByBotUser(user.id) : null;
  const ready = {
    version: 1,
    session_id: sessionId,
    // Where a RESUME should go (discord.py-style clients read it); SDKs add their own query string.
    resume_gateway_url: gatewayUrl(deps.config),
    ...(app ? { application: { id: app.id.toString(), flags: 0 } } : {}),
    user: toUserPrivate(user),
    guilds: user.bot ? built.map((g) => ({ id: g.id, unavailable: true })) : built,
    private_channels: privateChannels.map((c) => toChannelView(c, recipientsOf(c.recipientIds))),
    relationships: [],
    users: [...others.values()].map(toUserPartial),
    presences: [...dmPresences.entries()].map(([id, stored]) => presenceView(id, stored)).filter((p) => p.status !== "offline"),
    sessions,
    // null as upstream sends it when there are none: the app spreads fields of a non-null object.
    user_settings: null,
    read_states: stores.readStates.listForUser(user.id).map((r) => ({
      id: r.channelId.toString(),
      last_message_id: r.lastMessageId === null ? null : r.lastMessageId.toString(),
      last_pin_timestamp: r.lastPinAt === null ? null : new Date(r.lastPinAt).toISOString(),
      mention_count: r.mentionCount,
    })),
  };
  return { ready, guildIds: built.map((g) => BigInt(g.id)), guildCreates: user.bot ? built : [] };
}
