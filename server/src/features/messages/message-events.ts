/** Publishing channel-scoped events: a guild channel's viewers, or a DM's recipients. */
import type { Deps } from "../../deps.ts";
import type { Actor } from "../../http/actor.ts";
import type { Channel } from "../../storage/records.ts";
import type { ChannelAccess } from "../guilds/access.ts";
import { toMemberView } from "../members/member.views.ts";
import type { MessageView } from "./message.views.ts";

export function createMessageEvents(deps: Deps) {
  const { bus, stores } = deps;

  function publish(channel: Channel, type: string, data: Record<string, unknown>) {
    const audience =
      channel.guildId === null
        ? { kind: "users" as const, userIds: channel.recipientIds }
        : { kind: "guild" as const, guildId: channel.guildId, channelId: channel.id };
    bus.publish({ type, audience, data: channel.guildId === null ? data : { ...data, guild_id: channel.guildId.toString() } });
  }

  /**
   * The actor's member object as Discord attaches it to events: without `user` on MESSAGE_CREATE
   * (the message has its `author`), with it on typing and reactions (clients read `member.user`).
   */
  function memberOf(actor: Actor, access: ChannelAccess, withUser = false) {
    if (!access.guild) return {};
    const { user, ...member } = toMemberView(access.guild.member, actor.user);
    return { member: withUser ? { ...member, user } : member };
  }

  /**
   * The author's member object (without `user`), which MESSAGE_UPDATE carries as MESSAGE_CREATE
   * does; the editor may be a moderator, so it is looked up. Empty once the author has left.
   */
  function authorMember(channel: Channel, view: MessageView) {
    if (channel.guildId === null) return {};
    const authorId = BigInt(view.author.id);
    const member = stores.members.get(channel.guildId, authorId);
    const user = member && stores.users.get(authorId);
    if (!member || !user) return {};
    const { user: _user, ...rest } = toMemberView(member, user);
    return { member: rest };
  }

  return {
    publish,
    memberOf,
    /** A message event: its view without the viewer-relative reaction state (clients keep that from reaction events). */
    message(type: "MESSAGE_CREATE" | "MESSAGE_UPDATE", channel: Channel, view: MessageView, extra: Record<string, unknown> = {}) {
      const { reactions: _reactions, ...data } = view;
      const member = type === "MESSAGE_UPDATE" && extra.member === undefined ? authorMember(channel, view) : {};
      publish(channel, type, { ...data, channel_type: channel.type, ...member, ...extra });
    },
    /** Only the user's own sessions (read states). */
    toUser(actor: Actor, type: string, data: Record<string, unknown>) {
      bus.publish({ type, audience: { kind: "users", userIds: [actor.user.id] }, data });
    },
  };
}

export type MessageEvents = ReturnType<typeof createMessageEvents>;
