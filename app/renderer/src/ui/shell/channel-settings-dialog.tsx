/** Channel settings for members with Manage Channels: name, topic and slowmode. */
import { type FormEvent, useId, useState } from "react";
import type { Channel } from "../../api/types.ts";
import { useChatClient } from "../context.ts";
import { Modal } from "./modal.tsx";

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
    <Modal title={`#${channel.name} settings`} onClose={onClose}>
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
    </Modal>
  );
}
