/** The signed-in layout: community rail, channel list, messages, members; drawers on a phone. */
import { useEffect, useMemo, useState } from "react";
import type { Channel } from "../../api/types.ts";
import { ChatClient } from "../../state/chat-client.ts";
import { type Session, signOut } from "../../state/session.ts";
import { ChatContext, useChat, useRest } from "../context.ts";
import { MessagePane } from "../messages/message-pane.tsx";
import { channelPath, navigate, type Route } from "../router.ts";
import { sortedChannels } from "./channel-order.ts";
import { ChannelSidebar } from "./channel-sidebar.tsx";
import { ConnectionBanner } from "./connection-banner.tsx";
import { GuildRail } from "./guild-rail.tsx";
import { MemberList } from "./member-list.tsx";

export function ChatShell({
  session,
  gatewayUrl,
  route,
}: {
  session: Session;
  gatewayUrl: string;
  route: Extract<Route, { name: "channels" }>;
}) {
  const rest = useRest();
  const client = useMemo(() => new ChatClient(rest, gatewayUrl, session.token, signOut), [rest, gatewayUrl, session.token]);
  useEffect(() => {
    client.start();
    return () => client.stop();
  }, [client]);
  return (
    <ChatContext.Provider value={client}>
      <Layout guildId={route.guildId === "@me" ? null : route.guildId} channelId={route.channelId} home={route.guildId === null} />
    </ChatContext.Provider>
  );
}

type Drawer = "none" | "channels" | "members";

/** `home` is plain /channels (after sign-in): it opens the first community, or the DMs when there is none. */
function Layout({ guildId, channelId, home }: { guildId: string | null; channelId: string | null; home: boolean }) {
  const ready = useChat((s) => s.me !== null);
  const guild = useChat((s) => (guildId ? s.guilds[guildId] : undefined));
  const firstGuildId = useChat((s) => s.guildOrder[0]);
  const [drawer, setDrawer] = useState<Drawer>("none");
  const privateChannel = useChat((s) => (!guildId && channelId ? s.privateChannels[channelId] : undefined));
  const channel: Channel | undefined = channelId ? (guild?.channels[channelId] ?? privateChannel) : undefined;

  // A guild without a channel in the URL opens its first text channel.
  const fallbackChannel = useMemo(
    () => (guild && !channel ? sortedChannels(guild.channels).find((c) => c.type === 0) : undefined),
    [guild, channel],
  );
  useEffect(() => {
    if (!ready) return;
    if (guild && fallbackChannel) navigate(channelPath(guild.guild.id, fallbackChannel.id), { replace: true });
    else if (home) navigate(firstGuildId ? channelPath(firstGuildId) : "/channels/@me", { replace: true });
  }, [ready, guild, fallbackChannel, home, firstGuildId]);

  if (!ready) {
    return (
      <div className="splash">
        <ConnectionBanner />
        <p>Connecting…</p>
      </div>
    );
  }
  return (
    <div className="shell" data-drawer={drawer}>
      <a className="skip-link" href="#composer">
        Skip to composer
      </a>
      <GuildRail activeGuildId={guildId} />
      <ChannelSidebar guildId={guildId} activeChannelId={channel?.id ?? null} onPicked={() => setDrawer("none")} />
      <main className="main-column">
        <ConnectionBanner />
        <MessagePane
          guildId={guildId}
          channel={channel}
          onToggleChannels={() => setDrawer(drawer === "channels" ? "none" : "channels")}
          onToggleMembers={() => setDrawer(drawer === "members" ? "none" : "members")}
        />
      </main>
      {guildId ? <MemberList guildId={guildId} /> : null}
      {drawer !== "none" ? <button type="button" className="scrim" aria-label="Close panel" onClick={() => setDrawer("none")} /> : null}
    </div>
  );
}
