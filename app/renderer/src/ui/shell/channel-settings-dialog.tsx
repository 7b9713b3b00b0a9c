/** Channel settings for members with Manage Channels: name, topic, slowmode; overwrites with Manage Roles. */
import { type FormEvent, useId, useState } from "react";
import type { Channel } from "../../api/types.ts";
import { has, Permission } from "../../state/permissions.ts";
import { useChatClient } from "../context.ts";
import { useChannelPermissions } from "../permissions-hooks.ts";
import { ChannelPermissionsTab } from "../settings/channel-permissions-tab.tsx";
import { Tabs } from "../settings/tabs.tsx";
import { Modal } from "./modal.tsx";
import "../settings/settings.css";

const slowmodeChoices = [
  [0, "Off"],
  [5, "5 seconds"],
  [10, "10 seconds"],
  [30, "30 seconds"],
  [60, "1 minute"],
  [300, "5 minutes"],
  [3600, "1 hour"],
] as const;

export function ChannelSettingsDialog({ channel, onClose }: { channel: Channel; onClose: () => void }) {
  const permissions = useChannelPermissions(channel.guild_id ?? null, channel.id);
  const [tab, setTab] = useState<"overview" | "permissions">("overview");
  const tabs: { key: "overview" | "permissions"; title: string }[] = [{ key: "overview", title: "Overview" }];
  if (has(permissions, Permission.ManageRoles)) tabs.push({ key: "permissions", title: "Permissions" });
  return (
    <Modal title={`#${channel.name} settings`} onClose={onClose} wide={tab === "permissions"}>
      <Tabs<"overview" | "permissions"> label="Channel settings" tabs={tabs} current={tab} onChange={setTab}>
        {tab === "overview" || !channel.guild_id ? (
          <OverviewForm channel={channel} onClose={onClose} />
        ) : (
          <>
            <ChannelPermissionsTab guildId={channel.guild_id} channelId={channel.id} />
            <div className="dialog-actions">
              <button type="button" onClick={onClose}>
                Close
              </button>
            </div>
          </>
        )}
      </Tabs>
    </Modal>
  );
}

function OverviewForm({ channel, onClose }: { channel: Channel; onClose: () => void }) {
  const client = useChatClient();
  const id = useId();
  const [name, setName] = useState(channel.name ?? "");
  const [topic, setTopic] = useState(channel.topic ?? "");
  const [slowmode, setSlowmode] = useState(channel.rate_limit_per_user ?? 0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function save(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await client.updateChannel(channel, { name: name.trim(), topic: topic.trim() || null, rate_limit_per_user: slowmode });
      onClose();
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : "Not saved.");
      setBusy(false);
    }
  }

  return (
    <form className="dialog-form" onSubmit={save}>
      <div className="field">
        <label htmlFor={`${id}-name`}>Channel name</label>
        <input id={`${id}-name`} value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-topic`}>Topic</label>
        <textarea id={`${id}-topic`} value={topic} onChange={(e) => setTopic(e.target.value)} maxLength={1024} rows={3} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-slowmode`}>Slowmode</label>
        <select id={`${id}-slowmode`} value={slowmode} onChange={(e) => setSlowmode(Number(e.target.value))}>
          {slowmodeChoices.map(([seconds, label]) => (
            <option key={seconds} value={seconds}>
              {label}
            </option>
          ))}
        </select>
      </div>
      {error ? <p role="alert">{error}</p> : null}
      <div className="dialog-actions">
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        <button type="submit" className="primary" disabled={busy || !name.trim()}>
          Save
        </button>
      </div>
    </form>
  );
}
