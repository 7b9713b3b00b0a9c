/**
 * DMs and group DMs: opening them, listing them, adding and removing group members.
 * A DM between two users is unique; a group DM is owned by its creator.
 */
import { AppError, fieldError } from "../../errors.ts";
import type { Actor } from "../../http/actor.ts";
import type { ChannelId, UserId } from "../../ids.ts";
import { type Channel, ChannelType, type User } from "../../storage/records.ts";
import type { FeatureContext } from "../context.ts";
import { createGroupDms, MAX_GROUP_DM_RECIPIENTS, MessageType } from "./group-dm.ts";

export interface CreatePrivateChannelInput {
  recipient_id?: bigint;
  recipients?: bigint[];
}

export function createPrivateChannelsService({ deps, access }: FeatureContext) {
  const { stores } = deps;
  const groups = createGroupDms(deps);

  function userOrThrow(id: UserId): User {
    const user = stores.users.get(id);
    if (!user) throw new AppError("UNKNOWN_USER");
    return user;
  }

  /** Bots may only reach users they share a guild with, so a token cannot be used to spam anyone. */
  function checkBotReach(actor: Actor, target: UserId) {
    if (!actor.user.bot) return;
    const mine = new Set(stores.members.guildIdsForUser(actor.user.id));
    if (!stores.members.guildIdsForUser(target).some((id) => mine.has(id))) throw new AppError("CANNOT_SEND_MESSAGES_TO_USER");
  }

  function openDm(actor: Actor, recipientId: UserId): Channel {
    if (recipientId === actor.user.id) throw fieldError("recipient_id", "You cannot open a DM with yourself", "CANNOT_DM_YOURSELF");
    const existing = stores.channels.findDm(actor.user.id, recipientId);
    if (existing) {
      groups.announce("CHANNEL_CREATE", existing, [actor.user.id]); // reopening shows it again
      return existing;
    }
    userOrThrow(recipientId);
    checkBotReach(actor, recipientId);
    const channel = groups.newChannel(ChannelType.dm, null, [actor.user.id, recipientId]);
    stores.channels.create(channel);
    groups.announce("CHANNEL_CREATE", channel, channel.recipientIds);
    return channel;
  }

  function createGroup(actor: Actor, recipients: UserId[]): Channel {
    if (new Set(recipients).size !== recipients.length)
      throw fieldError("recipients", "Each recipient may appear only once", "DUPLICATE_RECIPIENTS_NOT_ALLOWED");
    if (recipients.includes(actor.user.id))
      throw fieldError("recipients", "You are in the group already", "CANNOT_ADD_YOURSELF_TO_GROUP_DM");
    if (recipients.length + 1 > MAX_GROUP_DM_RECIPIENTS) throw new AppError("MAX_GROUP_DM_RECIPIENTS");
    for (const id of recipients) {
      userOrThrow(id);
      checkBotReach(actor, id);
    }
    const channel = groups.newChannel(ChannelType.groupDm, actor.user.id, [actor.user.id, ...recipients]);
    stores.channels.create(channel);
    const lines = recipients.map((id) => groups.systemMessage(channel, MessageType.recipientAdd, actor.user.id, id));
    const stored = stores.channels.get(channel.id) as Channel;
    groups.announce("CHANNEL_CREATE", stored, stored.recipientIds);
    groups.announceMessages(stored, lines);
    return stored;
  }

  function groupDm(actor: Actor, channelId: ChannelId): Channel {
    const { channel } = access.channel(actor, channelId);
    if (channel.type !== ChannelType.groupDm) throw new AppError("INVALID_CHANNEL_TYPE");
    return channel;
  }

  return {
    list(actor: Actor) {
      return stores.channels.listPrivateForUser(actor.user.id).map((channel) => groups.view(channel, actor.user.id));
    },

    create(actor: Actor, input: CreatePrivateChannelInput) {
      let channel: Channel;
      if (input.recipients !== undefined) channel = createGroup(actor, input.recipients);
      else if (input.recipient_id !== undefined) channel = openDm(actor, input.recipient_id);
      else throw fieldError("recipient_id", "Give recipient_id for a DM or recipients for a group DM", "BASE_TYPE_REQUIRED");
      return groups.view(channel, actor.user.id);
    },

    addRecipient(actor: Actor, channelId: ChannelId, userId: UserId): void {
      const channel = groupDm(actor, channelId);
      const user = userOrThrow(userId);
      checkBotReach(actor, userId);
      groups.add(channel, user, actor.user.id);
    },

    /** The owner may remove anyone; anyone may remove themselves (leaving). */
    async removeRecipient(actor: Actor, channelId: ChannelId, userId: UserId, silent: boolean): Promise<void> {
      const channel = groupDm(actor, channelId);
      if (!channel.recipientIds.includes(userId)) throw fieldError("user_id", "That user is not in this channel", "USER_NOT_IN_CHANNEL");
      if (userId !== actor.user.id && channel.ownerId !== actor.user.id) throw new AppError("MISSING_PERMISSIONS");
      await groups.remove(channel, userId, actor.user.id, silent);
    },
  };
}

export type PrivateChannelsService = ReturnType<typeof createPrivateChannelsService>;
