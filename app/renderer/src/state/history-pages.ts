/** A channel's history from REST, a page at a time: the newest, older, newer, or around one message. */
import type { Rest } from "../api/rest.ts";
import type { Message, Snowflake } from "../api/types.ts";
import { type ChatState, mergeHistory, mergeNewer, showWindow } from "./chat-state.ts";
import type { Store } from "./store.ts";

export const historyPageSize = 50;

export class HistoryPages {
  /** Channels (and `id:after` for newer pages) with a page on its way, so a scroll asks once. */
  private readonly loading = new Set<string>();

  constructor(
    private readonly rest: Rest,
    private readonly store: Store<ChatState>,
  ) {}

  async latest(channelId: Snowflake) {
    const page = await this.rest.request<Message[]>("GET", `/channels/${channelId}/messages?limit=${historyPageSize}`);
    this.store.set((s) => mergeHistory(s, channelId, page, historyPageSize, false));
  }

  async older(channelId: Snowflake) {
    const entry = this.store.get().messages[channelId];
    const oldest = entry?.messages.find((m) => !m.local);
    if (!entry?.hasMoreBefore || !oldest || this.loading.has(channelId)) return;
    this.loading.add(channelId);
    try {
      const page = await this.rest.request<Message[]>(
        "GET",
        `/channels/${channelId}/messages?limit=${historyPageSize}&before=${oldest.id}`,
      );
      this.store.set((s) => mergeHistory(s, channelId, page, historyPageSize, true));
    } finally {
      this.loading.delete(channelId);
    }
  }

  /** Loads the history around one message, replacing an older window when it is not loaded. */
  async around(channelId: Snowflake, messageId: Snowflake) {
    if (this.store.get().messages[channelId]?.messages.some((m) => m.id === messageId)) return;
    const page = await this.rest.request<Message[]>("GET", `/channels/${channelId}/messages?limit=${historyPageSize}&around=${messageId}`);
    this.store.set((s) => showWindow(s, channelId, page));
  }

  /** Scrolling down a window of older history: the next newer page. */
  async newer(channelId: Snowflake) {
    const entry = this.store.get().messages[channelId];
    const newest = entry?.messages.filter((m) => !m.local).at(-1);
    if (!entry?.hasMoreAfter || !newest || this.loading.has(`${channelId}:after`)) return;
    this.loading.add(`${channelId}:after`);
    try {
      const page = await this.rest.request<Message[]>("GET", `/channels/${channelId}/messages?limit=${historyPageSize}&after=${newest.id}`);
      this.store.set((s) => mergeNewer(s, channelId, page, historyPageSize));
    } finally {
      this.loading.delete(`${channelId}:after`);
    }
  }
}
