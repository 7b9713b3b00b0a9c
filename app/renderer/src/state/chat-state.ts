/** The client's picture of the world and the pure functions that change it. */
import type {
  Channel,
  GatewayGuild,
  Guild,
  Member,
  Message,
  PresenceEntry,
  PresenceStatus,
  Reaction,
  Role,
  Snowflake,
  User,
} from "../api/types.ts";
import type { ConnectionStatus } from "../gateway/gateway-connection.ts";

export interface GuildState {
  guild: Guild;
  roles: Record<Snowflake, Role>;
  channels: Record<Snowflake, Channel>;
  members: Record<Snowflake, Member>;
  memberCount: number;
}

/** A message as shown: a server message, or a local one still sending or failed. */
export interface ShownMessage extends Message {
  /** Set while the message is ours and not yet confirmed; `files` are kept for a retry. */
  local?: { state: "sending" | "failed"; error?: string; files?: File[] };
}

export interface ChannelMessages {
  messages: ShownMessage[];
  /** Older history exists on the server and is not loaded yet. */
  hasMoreBefore: boolean;
  /**
   * Newer messages exist past the loaded ones: the list is a window around an older message
   * (a jump to a reply's original or a pin). Live messages wait until the reader comes back down.
   */
  hasMoreAfter?: boolean;
  /** Changes whenever the loaded window is replaced, so the view starts afresh. */
  windowId?: number;
  loaded: boolean;
}

export interface ChatState {
  me: User | null;
  status: ConnectionStatus | "offline";
  guildOrder: Snowflake[];
  guilds: Record<Snowflake, GuildState>;
  /** DMs and group DMs, which belong to no guild. */
  privateChannels: Record<Snowflake, Channel>;
  messages: Record<Snowflake, ChannelMessages>;
  /** Who is typing where: channel id → user id → when the indicator expires (ms since epoch). */
  typing: Record<Snowflake, Record<Snowflake, number>>;
  /** The last message each channel was read up to, and how many mentions of us came after it. */
  readStates: Record<Snowflake, ReadState>;
  /** Who is online: user id → status (absent means offline). One status per person, as Discord shows. */
  presences: Record<Snowflake, PresenceStatus>;
  /** Bumped on CHANNEL_PINS_UPDATE, so an open pins panel knows to fetch again. */
  pinsVersion: Record<Snowflake, number>;
}

export interface ReadState {
  lastReadId: Snowflake | null;
  mentions: number;
}

export const emptyChat: ChatState = {
  me: null,
  status: "offline",
  guildOrder: [],
  guilds: {},
  privateChannels: {},
  messages: {},
  typing: {},
  readStates: {},
  presences: {},
  pinsVersion: {},
};

export function applyPresences(state: ChatState, entries: PresenceEntry[] = []): ChatState {
  if (entries.length === 0) return state;
  const presences = { ...state.presences };
  for (const entry of entries) {
    if (entry.status === "offline") delete presences[entry.user.id];
    else presences[entry.user.id] = entry.status;
  }
  return { ...state, presences };
}

/** Discord shows a typing indicator for 10 s after the last TYPING_START. */
export const typingLifetimeMs = 10_000;

export function setTyping(state: ChatState, channelId: Snowflake, userId: Snowflake, until: number | null): ChatState {
  const { [userId]: _previous, ...others } = state.typing[channelId] ?? {};
  const channel = until === null ? others : { ...others, [userId]: until };
  return { ...state, typing: { ...state.typing, [channelId]: channel } };
}

export function byId<T extends { id: Snowflake }>(items: T[] = []): Record<Snowflake, T> {
  return Object.fromEntries(items.map((item) => [item.id, item]));
}

export function guildFromGateway(entry: GatewayGuild): GuildState | null {
  if (entry.unavailable || !entry.properties) return null;
  return {
    guild: entry.properties,
    roles: byId(entry.roles),
    channels: byId(entry.channels),
    members: Object.fromEntries((entry.members ?? []).map((member) => [member.user.id, member])),
    memberCount: entry.member_count ?? entry.members?.length ?? 0,
  };
}

export function putGuild(state: ChatState, guild: GuildState): ChatState {
  const id = guild.guild.id;
  const guildOrder = state.guildOrder.includes(id) ? state.guildOrder : [...state.guildOrder, id];
  return { ...state, guildOrder, guilds: { ...state.guilds, [id]: guild } };
}

export function removeGuild(state: ChatState, id: Snowflake): ChatState {
  const { [id]: _gone, ...guilds } = state.guilds;
  return { ...state, guilds, guildOrder: state.guildOrder.filter((g) => g !== id) };
}

export function updateGuild(state: ChatState, id: Snowflake | undefined, change: (guild: GuildState) => GuildState): ChatState {
  const guild = id ? state.guilds[id] : undefined;
  if (!guild || !id) return state;
  return { ...state, guilds: { ...state.guilds, [id]: change(guild) } };
}

/** Snowflakes compare as numbers; equal lengths compare as strings. */
export function compareIds(a: Snowflake, b: Snowflake): number {
  return a.length !== b.length ? a.length - b.length : a < b ? -1 : a > b ? 1 : 0;
}

function channelMessages(state: ChatState, channelId: Snowflake): ChannelMessages {
  return state.messages[channelId] ?? { messages: [], hasMoreBefore: true, loaded: false };
}

function withMessages(state: ChatState, channelId: Snowflake, change: (current: ChannelMessages) => ChannelMessages): ChatState {
  return { ...state, messages: { ...state.messages, [channelId]: change(channelMessages(state, channelId)) } };
}

/**
 * Adds or replaces one message. A server message whose nonce matches a local one replaces it in
 * place; the same id twice (a replay after RESUME, or the REST answer and the event) is one message.
 */
export function upsertMessage(state: ChatState, message: ShownMessage): ChatState {
  return withMessages(state, message.channel_id, (current) => {
    const list = current.messages;
    const index = list.findIndex((m) => m.id === message.id || (message.nonce && m.local && m.nonce === message.nonce));
    if (index >= 0) {
      const next = [...list];
      next[index] = { ...message, reactions: message.reactions ?? list[index]?.reactions ?? null };
      return { ...current, messages: sortMessages(next) };
    }
    return { ...current, messages: sortMessages([...list, message]) };
  });
}

/** Local messages stay at the bottom, in the order they were written. */
function sortMessages(list: ShownMessage[]): ShownMessage[] {
  const server = list.filter((m) => !m.local).sort((a, b) => compareIds(a.id, b.id));
  return [...server, ...list.filter((m) => m.local)];
}

export function patchMessage(state: ChatState, channelId: Snowflake, id: Snowflake, change: Partial<ShownMessage>): ChatState {
  if (!state.messages[channelId]?.messages.some((m) => m.id === id)) return state;
  return withMessages(state, channelId, (current) => ({
    ...current,
    messages: current.messages.map((m) => (m.id === id ? { ...m, ...change } : m)),
  }));
}

export function deleteMessage(state: ChatState, channelId: Snowflake, id: Snowflake): ChatState {
  if (!state.messages[channelId]) return state;
  return withMessages(state, channelId, (current) => ({ ...current, messages: current.messages.filter((m) => m.id !== id) }));
}

/**
 * Merges a page from REST: older pages go on top; a page of the newest fills gaps after a reset.
 * A page of the newest while a window of older history is shown replaces it (back to the present).
 */
export function mergeHistory(state: ChatState, channelId: Snowflake, page: Message[], pageSize: number, older: boolean): ChatState {
  return withMessages(state, channelId, (current) => {
    if (!older && current.hasMoreAfter) {
      const windowId = (current.windowId ?? 0) + 1;
      return { messages: sortMessages(page), hasMoreBefore: page.length >= pageSize, hasMoreAfter: false, windowId, loaded: true };
    }
    const known = new Set(current.messages.map((m) => m.id));
    const fresh = page.filter((m) => !known.has(m.id));
    return {
      ...current,
      messages: sortMessages([...current.messages, ...fresh]),
      hasMoreBefore: older || !current.loaded ? page.length >= pageSize : current.hasMoreBefore,
      loaded: true,
    };
  });
}

/** Replaces what is loaded with a window of history around one message (from an `around` page). */
export function showWindow(state: ChatState, channelId: Snowflake, page: Message[]): ChatState {
  return withMessages(state, channelId, (current) => ({
    messages: sortMessages(page),
    hasMoreBefore: true,
    hasMoreAfter: true,
    windowId: (current.windowId ?? 0) + 1,
    loaded: true,
  }));
}

/** Appends a page of newer history to a window; a short page means the window reached the present. */
export function mergeNewer(state: ChatState, channelId: Snowflake, page: Message[], pageSize: number): ChatState {
  return withMessages(state, channelId, (current) => {
    const known = new Set(current.messages.map((m) => m.id));
    return {
      ...current,
      messages: sortMessages([...current.messages, ...page.filter((m) => !known.has(m.id))]),
      hasMoreAfter: page.length >= pageSize,
    };
  });
}

export function markChannelsStale(state: ChatState): ChatState {
  const messages: Record<Snowflake, ChannelMessages> = {};
  for (const [id, entry] of Object.entries(state.messages)) messages[id] = { ...entry, loaded: false };
  return { ...state, messages };
}

export function emojiKey(emoji: { id: Snowflake | null; name: string }): string {
  return emoji.id ? `${emoji.name}:${emoji.id}` : emoji.name;
}

export function applyReaction(
  reactions: Reaction[] | null | undefined,
  emoji: { id: Snowflake | null; name: string },
  delta: 1 | -1,
  mine: boolean,
): Reaction[] {
  const list = [...(reactions ?? [])];
  const index = list.findIndex((r) => emojiKey(r.emoji) === emojiKey(emoji));
  const current = index >= 0 ? list[index] : undefined;
  if (!current) {
    if (delta < 0) return list;
    return [...list, { emoji: { id: emoji.id, name: emoji.name }, count: 1, me: mine }];
  }
  const count = current.count + delta;
  if (count <= 0) return list.filter((_, i) => i !== index);
  list[index] = { ...current, count, me: mine ? delta > 0 : current.me };
  return list;
}

export function putPrivateChannel(state: ChatState, channel: Channel): ChatState {
  return { ...state, privateChannels: { ...state.privateChannels, [channel.id]: channel } };
}

/** What a DM is called: the other people's names. */
export function privateChannelName(channel: Channel): string {
  return channel.name || (channel.recipients ?? []).map((u) => u.global_name || u.username).join(", ") || "Direct message";
}

export function displayName(user: User, member?: Member): string {
  return member?.nick || user.global_name || user.username;
}

/** A channel is unread when its newest message is past what we have read. */
export function isUnread(
  readStates: Record<Snowflake, ReadState>,
  channel: { id: Snowflake; last_message_id?: Snowflake | null },
): boolean {
  const last = channel.last_message_id;
  if (!last) return false;
  const read = readStates[channel.id]?.lastReadId;
  return !read || compareIds(last, read) > 0;
}

export function markRead(state: ChatState, channelId: Snowflake, messageId: Snowflake | null, mentions = 0): ChatState {
  return { ...state, readStates: { ...state.readStates, [channelId]: { lastReadId: messageId, mentions } } };
}

/** A new message moves its channel's newest id, and counts as a mention of us where it is one. */
export function noteNewMessage(state: ChatState, message: Message, mentionsMe: boolean): ChatState {
  const guildId = message.guild_id ?? findGuildOfChannel(state, message.channel_id);
  const dm = state.privateChannels[message.channel_id];
  let next =
    dm && (!dm.last_message_id || compareIds(dm.last_message_id, message.id) < 0)
      ? { ...state, privateChannels: { ...state.privateChannels, [dm.id]: { ...dm, last_message_id: message.id } } }
      : state;
  next = updateGuild(next, guildId, (g) => {
    const channel = g.channels[message.channel_id];
    if (!channel || (channel.last_message_id && compareIds(channel.last_message_id, message.id) >= 0)) return g;
    return { ...g, channels: { ...g.channels, [channel.id]: { ...channel, last_message_id: message.id } } };
  });
  // Every message in a DM is for us, so it counts like a mention (a badge), as in Discord.
  if (mentionsMe || dm) {
    const current = next.readStates[message.channel_id];
    next = markRead(next, message.channel_id, current?.lastReadId ?? null, (current?.mentions ?? 0) + 1);
  }
  return next;
}

export function findGuildOfChannel(state: ChatState, channelId: Snowflake): Snowflake | undefined {
  return Object.values(state.guilds).find((g) => g.channels[channelId])?.guild.id;
}
