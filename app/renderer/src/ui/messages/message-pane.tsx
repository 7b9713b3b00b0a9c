/** The channel view: header, messages, composer, with only the controls the member may use. */
import { useEffect, useState } from "react";
import type { Channel } from "../../api/types.ts";
import { isUnread, privateChannelName, type ShownMessage } from "../../state/chat-state.ts";
import { has, Permission } from "../../state/permissions.ts";
import { useChatClient } from "../context.ts";
import { Icon } from "../icons.tsx";
import { useChannelPermissions } from "../permissions-hooks.ts";
import { ChannelSettingsDialog } from "../shell/channel-settings-dialog.tsx";
import "./pins.css";
import { Composer } from "./composer.tsx";
import { MessageList } from "./message-list.tsx";
import { PinsPanel } from "./pins-panel.tsx";

export function MessagePane({
  guildId,
  channel,
  onToggleChannels,
  onToggleMembers,
}: {
  guildId: string | null;
  channel: Channel | undefined;
  onToggleChannels(): void;
  onToggleMembers(): void;
}) {
  const client = useChatClient();
  const guildPermissionsInChannel = useChannelPermissions(guildId, channel?.id ?? null);
  // In a DM both people may write, react and read; nobody moderates.
  const permissions = guildId
    ? guildPermissionsInChannel
    : Permission.SendMessages | Permission.AddReactions | Permission.ReadMessageHistory;
  const [replyTo, setReplyTo] = useState<ShownMessage | null>(null);
  const [editingId, setEditingId] = useState<string | null>(null);
  const [editingChannel, setEditingChannel] = useState(false);
  const [showPins, setShowPins] = useState(false);
  const [jumpRequest, setJumpRequest] = useState<{ messageId: string; seq: number } | null>(null);
  const channelId = channel?.id ?? null;

  // Captured before opening acknowledges the channel, so the divider marks what was new.
  const [readUpTo, setReadUpTo] = useState<string | null | undefined>(undefined);
  useEffect(() => {
    const state = client.store.get();
    const opened = channelId ? (guildId ? state.guilds[guildId]?.channels[channelId] : state.privateChannels[channelId]) : undefined;
    setReadUpTo(opened && isUnread(state.readStates, opened) ? (state.readStates[opened.id]?.lastReadId ?? null) : undefined);
    client.openChannel(channelId);
    setReplyTo(null);
    setEditingId(null);
    setShowPins(false);
    setJumpRequest(null);
  }, [client, channelId, guildId]);

  const canSend = has(permissions, Permission.SendMessages);
  const abilities = {
    react: has(permissions, Permission.AddReactions),
    reply: canSend,
    manageMessages: has(permissions, Permission.ManageMessages),
    // Fluxer's own bit, or Manage Messages as Discord has it; DMs have no pins here yet.
    pin: Boolean(guildId) && (has(permissions, Permission.PinMessages) || has(permissions, Permission.ManageMessages)),
  };

  return (
    <section className="message-pane" aria-label={channel ? `#${channel.name}` : "Welcome"}>
      <header className="pane-header">
        <button type="button" className="icon-button drawer-toggle" aria-label="Channels" onClick={onToggleChannels}>
          <Icon name="menu" />
        </button>
        {channel ? (
          <>
            {guildId ? <Icon name="hash" /> : <span aria-hidden="true">@</span>}
            <h1>{guildId ? channel.name : privateChannelName(channel)}</h1>
            {channel.topic ? <p className="topic">{channel.topic}</p> : null}
            {guildId ? (
              <button
                type="button"
                className="icon-button"
                aria-label="Pinned messages"
                aria-expanded={showPins}
                title="Pinned messages"
                onClick={() => setShowPins(!showPins)}
              >
                <Icon name="pin" />
              </button>
            ) : null}
            {has(permissions, Permission.ManageChannels) ? (
              <button
                type="button"
                className="icon-button"
                aria-label="Channel settings"
                title="Channel settings"
                onClick={() => setEditingChannel(true)}
              >
                <Icon name="gear" />
              </button>
            ) : null}
          </>
        ) : (
          <h1>Welcome</h1>
        )}
        {guildId ? (
          <button type="button" className="icon-button drawer-toggle members-toggle" aria-label="Members" onClick={onToggleMembers}>
            <Icon name="people" />
          </button>
        ) : null}
      </header>
      {channel ? (
        <>
          <MessageList
            key={channel.id}
            channelId={channel.id}
            guildId={guildId}
            abilities={abilities}
            editingId={editingId}
            onReply={setReplyTo}
            onEdit={(message) => setEditingId(message.id)}
            onStopEdit={() => setEditingId(null)}
            readUpTo={readUpTo}
            jumpRequest={jumpRequest}
          />
          {showPins ? (
            <PinsPanel
              channel={channel}
              canUnpin={abilities.pin}
              onJump={(messageId) => setJumpRequest({ messageId, seq: (jumpRequest?.seq ?? 0) + 1 })}
              onClose={() => setShowPins(false)}
            />
          ) : null}
          {canSend ? (
            <Composer channel={channel} replyTo={replyTo} onCancelReply={() => setReplyTo(null)} onEditLast={(m) => setEditingId(m.id)} />
          ) : (
            <p className="composer-disabled">You do not have permission to send messages in this channel.</p>
          )}
        </>
      ) : (
        <div className="welcome">
          <p>Pick a channel, or create a community with the + button on the left.</p>
        </div>
      )}
      {editingChannel && channel ? <ChannelSettingsDialog channel={channel} onClose={() => setEditingChannel(false)} /> : null}
    </section>
  );
}
