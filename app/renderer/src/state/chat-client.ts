/**
 * The signed-in client: REST, the one gateway connection, and the store they keep up to date.
 * UI components read the store and call the actions here; they never talk to the network.
 */
import { ApiError, type Rest } from "../api/rest.ts";
import type { Channel, GatewayGuild, Guild, Invite, Member, Message, PresenceEntry, Role, Snowflake, User } from "../api/types.ts";
import { GatewayConnection } from "../gateway/gateway-connection.ts";
import {
  applyPresences,
  applyReaction,
  type ChatState,
  deleteMessage,
  emptyChat,
  findGuildOfChannel,
  guildFromGateway,
  isUnread,
  markChannelsStale,
  markRead,
  noteNewMessage,
  patchMessage,
  putGuild,
  putPrivateChannel,
  removeGuild,
  type ShownMessage,
  setTyping,
  typingLifetimeMs,
  updateGuild,
  upsertMessage,
} from "./chat-state.ts";
import { GuildAdmin } from "./guild-admin.ts";
import { HistoryPages } from "./history-pages.ts";
import { createStore } from "./store.ts";

type Dispatch = Record<string, (data: never) => void>;

export class ChatClient {
  readonly store = createStore<ChatState>(emptyChat);
  private readonly gateway: GatewayConnection;
  /** Settings and moderation actions. */
  readonly admin: GuildAdmin;
  private readonly history: HistoryPages;
  private openChannelId: Snowflake | null = null;
  private readonly typingSentAt = new Map<Snowflake, number>();

  constructor(
    readonly rest: Rest,
    gatewayUrl: string,
    token: string,
    onAuthFailed: () => void,
  ) {
    this.admin = new GuildAdmin(rest, this.store);
    this.history = new HistoryPages(rest, this.store);
    this.gateway = new GatewayConnection(gatewayUrl, token, {
      onDispatch: (type, data) => this.onDispatch(type, data),
      onStatus: (status) => this.store.set((s) => (s.status === status ? s : { ...s, status })),
      onSessionReset: () => this.store.set(markChannelsStale),
      onAuthFailed,
    });
  }

  private readonly onVisible = () => this.ackOpenChannel();

  start() {
    this.gateway.start();
    document.addEventListener("visibilitychange", this.onVisible);
  }

  stop() {
    this.gateway.stop();
    document.removeEventListener("visibilitychange", this.onVisible);
  }

  // ---- gateway events -------------------------------------------------------------------------

  private readonly handlers: Dispatch = {
    READY: (data: { user: User; guilds: GatewayGuild[]; private_channels?: Channel[]; read_states?: ReadStateEntry[] }) => {
      this.store.set((s) => {
        const readStates = Object.fromEntries(
          (data.read_states ?? []).map((r) => [r.id, { lastReadId: r.last_message_id, mentions: r.mention_count ?? 0 }]),
        );
        const privateChannels = Object.fromEntries((data.private_channels ?? []).map((c) => [c.id, c]));
        let next: ChatState = { ...s, me: data.user, guilds: {}, guildOrder: [], readStates, privateChannels, presences: {} };
        for (const entry of data.guilds) {
          const guild = guildFromGateway(entry);
          if (guild) next = applyPresences(putGuild(next, guild), entry.presences);
        }
        return next;
      });
      // After a fresh session, the open channel may have missed messages: fetch its newest page.
      if (this.openChannelId) void this.loadLatest(this.openChannelId);
    },
    GUILD_CREATE: (data: GatewayGuild) => {
      const guild = guildFromGateway(data);
      if (guild) this.store.set((s) => applyPresences(putGuild(s, guild), data.presences));
    },
    CHANNEL_PINS_UPDATE: (data: { channel_id: Snowflake }) =>
      this.store.set((s) => ({ ...s, pinsVersion: { ...s.pinsVersion, [data.channel_id]: (s.pinsVersion[data.channel_id] ?? 0) + 1 } })),
    PRESENCE_UPDATE: (data: PresenceEntry) => this.store.set((s) => applyPresences(s, [data])),
    GUILD_UPDATE: (data: Guild) => this.store.set((s) => updateGuild(s, data.id, (g) => ({ ...g, guild: { ...g.guild, ...data } }))),
    GUILD_DELETE: (data: { id: Snowflake }) => this.store.set((s) => removeGuild(s, data.id)),
    CHANNEL_CREATE: (data: Channel) => (data.guild_id ? this.putChannel(data) : this.store.set((s) => putPrivateChannel(s, data))),
    CHANNEL_UPDATE: (data: Channel) => (data.guild_id ? this.putChannel(data) : this.store.set((s) => putPrivateChannel(s, data))),
    CHANNEL_DELETE: (data: Channel) =>
      this.store.set((s) =>
        updateGuild(s, data.guild_id, (g) => {
          const { [data.id]: _gone, ...channels } = g.channels;
          return { ...g, channels };
        }),
      ),
    GUILD_ROLE_CREATE: (data: { guild_id: Snowflake; role: Role }) => this.putRole(data.guild_id, data.role),
    GUILD_ROLE_UPDATE: (data: { guild_id: Snowflake; role: Role }) => this.putRole(data.guild_id, data.role),
    GUILD_ROLE_DELETE: (data: { guild_id: Snowflake; role_id: Snowflake }) =>
      this.store.set((s) =>
        updateGuild(s, data.guild_id, (g) => {
          const { [data.role_id]: _gone, ...roles } = g.roles;
          return { ...g, roles };
        }),
      ),
    GUILD_MEMBER_ADD: (data: Member & { guild_id: Snowflake }) => {
      this.store.set((s) =>
        updateGuild(s, data.guild_id, (g) => ({
          ...g,
          members: { ...g.members, [data.user.id]: data },
          memberCount: g.members[data.user.id] ? g.memberCount : g.memberCount + 1,
        })),
      );
    },
    GUILD_MEMBER_UPDATE: (data: Member & { guild_id: Snowflake }) =>
      this.store.set((s) =>
        updateGuild(s, data.guild_id, (g) => ({
          ...g,
          members: { ...g.members, [data.user.id]: { ...g.members[data.user.id], ...data } },
        })),
      ),
    GUILD_MEMBER_REMOVE: (data: { guild_id: Snowflake; user: User }) =>
      this.store.set((s) =>
        updateGuild(s, data.guild_id, (g) => {
          const { [data.user.id]: _gone, ...members } = g.members;
          return { ...g, members, memberCount: Math.max(0, g.memberCount - 1) };
        }),
      ),
    MESSAGE_CREATE: (data: Message) => {
      const me = this.store.get().me;
      const mine = data.author.id === me?.id;
      const mentionsMe =
        !mine && Boolean(data.mentions?.some((u) => u.id === me?.id) || (data as { mention_everyone?: boolean }).mention_everyone);
      // A message ends its author's typing indicator, as in Discord.
      this.store.set((s) => {
        // While an older window is shown, the newest messages are fetched when the reader gets there.
        const shown = s.messages[data.channel_id]?.hasMoreAfter ? s : upsertMessage(s, data);
        let next = noteNewMessage(setTyping(shown, data.channel_id, data.author.id, null), data, mentionsMe);
        // Our own messages, and those arriving in the channel on screen, are read already.
        if (mine) next = markRead(next, data.channel_id, data.id);
        return next;
      });
      if (!mine && data.channel_id === this.openChannelId && document.visibilityState === "visible") this.ack(data.channel_id, data.id);
    },
    MESSAGE_ACK: (data: { channel_id: Snowflake; message_id: Snowflake | null; mention_count?: number }) =>
      this.store.set((s) => markRead(s, data.channel_id, data.message_id, data.mention_count ?? 0)),
    TYPING_START: (data: { channel_id: Snowflake; user_id: Snowflake; member?: Member; guild_id?: Snowflake }) => {
      if (data.user_id === this.store.get().me?.id) return;
      const until = Date.now() + typingLifetimeMs;
      this.store.set((s) => setTyping(s, data.channel_id, data.user_id, until));
      setTimeout(
        () =>
          this.store.set((s) =>
            s.typing[data.channel_id]?.[data.user_id] === until ? setTyping(s, data.channel_id, data.user_id, null) : s,
          ),
        typingLifetimeMs,
      );
    },
    MESSAGE_UPDATE: (data: Partial<Message> & { id: Snowflake; channel_id: Snowflake }) =>
      this.store.set((s) => patchMessage(s, data.channel_id, data.id, data)),
    MESSAGE_DELETE: (data: { id: Snowflake; channel_id: Snowflake }) => this.store.set((s) => deleteMessage(s, data.channel_id, data.id)),
    MESSAGE_DELETE_BULK: (data: { ids: Snowflake[]; channel_id: Snowflake }) =>
      this.store.set((s) => data.ids.reduce((acc, id) => deleteMessage(acc, data.channel_id, id), s)),
    MESSAGE_REACTION_ADD: (data: ReactionEvent) => this.reaction(data, 1),
    MESSAGE_REACTION_REMOVE: (data: ReactionEvent) => this.reaction(data, -1),
    MESSAGE_REACTION_REMOVE_ALL: (data: { channel_id: Snowflake; message_id: Snowflake }) =>
      this.store.set((s) => patchMessage(s, data.channel_id, data.message_id, { reactions: [] })),
  };

  private onDispatch(type: string, data: unknown) {
    this.handlers[type]?.(data as never);
  }

  private putChannel(channel: Channel) {
    this.store.set((s) => updateGuild(s, channel.guild_id, (g) => ({ ...g, channels: { ...g.channels, [channel.id]: channel } })));
  }

  private putRole(guildId: Snowflake, role: Role) {
    this.store.set((s) => updateGuild(s, guildId, (g) => ({ ...g, roles: { ...g.roles, [role.id]: role } })));
  }

  private reaction(data: ReactionEvent, delta: 1 | -1) {
    const mine = data.user_id === this.store.get().me?.id;
    this.store.set((s) => {
      const message = s.messages[data.channel_id]?.messages.find((m) => m.id === data.message_id);
      if (!message) return s;
      return patchMessage(s, data.channel_id, data.message_id, { reactions: applyReaction(message.reactions, data.emoji, delta, mine) });
    });
  }

  // ---- actions --------------------------------------------------------------------------------

  /** The channel on screen: its newest page is (re)loaded whenever it is not known to be current. */
  openChannel(channelId: Snowflake | null) {
    this.openChannelId = channelId;
    if (!channelId) return;
    if (!this.store.get().messages[channelId]?.loaded) void this.loadLatest(channelId);
    this.ackOpenChannel();
  }

  /** Marks the channel on screen read up to its newest message (on open, and when the tab comes back). */
  ackOpenChannel() {
    const channelId = this.openChannelId;
    if (!channelId || document.visibilityState !== "visible") return;
    const state = this.store.get();
    const guildId = findGuildOfChannel(state, channelId);
    const channel = guildId ? state.guilds[guildId]?.channels[channelId] : state.privateChannels[channelId];
    if (channel?.last_message_id && isUnread(state.readStates, channel)) this.ack(channelId, channel.last_message_id);
    else if (state.readStates[channelId]?.mentions)
      this.ack(channelId, state.readStates[channelId]?.lastReadId ?? channel?.last_message_id ?? null);
  }

  private ack(channelId: Snowflake, messageId: Snowflake | null) {
    if (!messageId) return;
    this.store.set((s) => markRead(s, channelId, messageId));
    void this.rest.request("POST", `/channels/${channelId}/messages/${messageId}/ack`, {}).catch(() => undefined);
  }

  /** History paging, one page at a time (see history-pages.ts). */
  readonly loadLatest = (channelId: Snowflake) => this.history.latest(channelId);
  readonly loadOlder = (channelId: Snowflake) => this.history.older(channelId);
  readonly loadAround = (channelId: Snowflake, messageId: Snowflake) => this.history.around(channelId, messageId);
  readonly loadNewer = (channelId: Snowflake) => this.history.newer(channelId);

  /** Shown at once as "sending"; the server's copy (by REST or the gateway) replaces it by nonce. */
  async sendMessage(channelId: Snowflake, content: string, replyTo?: ShownMessage, files: File[] = []) {
    const me = this.store.get().me;
    if (!me) return;
    // Writing while reading old history: back to the present first, as Discord does.
    if (this.store.get().messages[channelId]?.hasMoreAfter) await this.loadLatest(channelId);
    const nonce = newNonce();
    const local: ShownMessage = {
      id: `local-${nonce}`,
      channel_id: channelId,
      author: me,
      type: replyTo ? 19 : 0,
      content,
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      nonce,
      referenced_message: replyTo ?? null,
      message_reference: replyTo ? { message_id: replyTo.id, channel_id: channelId } : null,
      attachments: files.map((file, i) => ({ id: `local-${i}`, filename: file.name, size: file.size, url: "", content_type: file.type })),
      local: { state: "sending", files },
    };
    this.store.set((s) => upsertMessage(s, local));
    this.typingSentAt.delete(channelId);
    await this.deliver(local);
  }

  async retry(message: ShownMessage) {
    this.store.set((s) => patchMessage(s, message.channel_id, message.id, { local: { state: "sending", files: message.local?.files } }));
    await this.deliver(message);
  }

  discard(message: ShownMessage) {
    this.store.set((s) => deleteMessage(s, message.channel_id, message.id));
  }

  private async deliver(local: ShownMessage) {
    const body: Record<string, unknown> = { content: local.content, nonce: local.nonce };
    if (local.message_reference?.message_id) body.message_reference = { message_id: local.message_reference.message_id };
    const files = local.local?.files ?? [];
    let payload: Record<string, unknown> | FormData = body;
    if (files.length > 0) {
      // As Fluxer's clients send files: payload_json plus files[n], matched by attachments[].id.
      const form = new FormData();
      form.append("payload_json", JSON.stringify({ ...body, attachments: files.map((file, i) => ({ id: i, filename: file.name })) }));
      for (const [i, file] of files.entries()) form.append(`files[${i}]`, file, file.name);
      payload = form;
    }
    try {
      const sent = await this.rest.request<Message>("POST", `/channels/${local.channel_id}/messages`, payload);
      this.store.set((s) => upsertMessage(s, { ...sent, nonce: local.nonce }));
    } catch (error) {
      const text =
        error instanceof ApiError && error.retryAfter !== undefined
          ? `Slow down: try again in ${Math.ceil(error.retryAfter)} s`
          : error instanceof Error
            ? error.message
            : "Not sent";
      this.store.set((s) => patchMessage(s, local.channel_id, local.id, { local: { state: "failed", error: text, files } }));
    }
  }

  /** Tells the channel we are typing, at most once per 8 s (the server's indicator lasts 10 s). */
  startTyping(channelId: Snowflake) {
    const now = Date.now();
    if ((this.typingSentAt.get(channelId) ?? 0) > now - 8000) return;
    this.typingSentAt.set(channelId, now);
    void this.rest.request("POST", `/channels/${channelId}/typing`).catch(() => undefined);
  }

  async editMessage(message: ShownMessage, content: string) {
    const edited = await this.rest.request<Message>("PATCH", `/channels/${message.channel_id}/messages/${message.id}`, { content });
    this.store.set((s) => patchMessage(s, edited.channel_id, edited.id, edited));
  }

  async deleteMessage(message: ShownMessage) {
    await this.rest.request("DELETE", `/channels/${message.channel_id}/messages/${message.id}`);
    this.store.set((s) => deleteMessage(s, message.channel_id, message.id));
  }

  async toggleReaction(message: ShownMessage, emoji: string, mine: boolean) {
    const path = `/channels/${message.channel_id}/messages/${message.id}/reactions/${encodeURIComponent(emoji)}/@me`;
    await this.rest.request(mine ? "DELETE" : "PUT", path);
  }

  async createGuild(name: string): Promise<Guild & { channels?: Channel[]; system_channel_id?: Snowflake | null }> {
    return this.rest.request("POST", "/guilds", { name });
  }

  async createChannel(guildId: Snowflake, name: string, type: number, parentId: Snowflake | null): Promise<Channel> {
    const body: Record<string, unknown> = { name, type };
    if (parentId) body.parent_id = parentId;
    const channel = await this.rest.request<Channel>("POST", `/guilds/${guildId}/channels`, body);
    // Known at once, so opening it does not wait for (or race) CHANNEL_CREATE.
    this.putChannel({ ...channel, guild_id: guildId });
    return channel;
  }

  async updateChannel(channel: Channel, change: { name?: string; topic?: string | null; rate_limit_per_user?: number }) {
    const updated = await this.rest.request<Channel>("PATCH", `/channels/${channel.id}`, { type: channel.type, ...change });
    this.putChannel({ ...updated, guild_id: updated.guild_id ?? channel.guild_id });
  }

  async createInvite(channelId: Snowflake): Promise<Invite> {
    return this.rest.request("POST", `/channels/${channelId}/invites`, { max_age: 604800 });
  }

  async acceptInvite(code: string): Promise<Invite> {
    return this.rest.request("POST", `/invites/${encodeURIComponent(code)}`);
  }

  async loadMembers(guildId: Snowflake) {
    const members = await this.rest.request<Member[]>("GET", `/guilds/${guildId}/members?limit=1000`);
    this.store.set((s) =>
      updateGuild(s, guildId, (g) => ({
        ...g,
        members: { ...g.members, ...Object.fromEntries(members.map((m) => [m.user.id, m])) },
      })),
    );
  }

  /** Opens (or finds) the DM with one person. */
  async openDirectMessage(userId: Snowflake): Promise<Channel> {
    const channel = await this.rest.request<Channel>("POST", "/users/@me/channels", { recipient_id: userId });
    this.store.set((s) => putPrivateChannel(s, channel));
    return channel;
  }

  async leaveGuild(guildId: Snowflake) {
    await this.rest.request("DELETE", `/users/@me/guilds/${guildId}`);
  }
}

interface ReadStateEntry {
  id: Snowflake;
  last_message_id: Snowflake | null;
  mention_count?: number;
}

interface ReactionEvent {
  channel_id: Snowflake;
  message_id: Snowflake;
  user_id: Snowflake;
  emoji: { id: Snowflake | null; name: string };
}

function newNonce(): string {
  // A snowflake-like decimal string, as official clients send, unique enough per tab.
  return ((BigInt(Date.now() - 1420070400000) << 22n) | BigInt(Math.floor(Math.random() * 4194304))).toString();
}
