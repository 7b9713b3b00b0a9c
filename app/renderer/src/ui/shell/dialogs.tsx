/** Create a community, create a channel or category, and share an invite link. */
import { type FormEvent, useEffect, useId, useState } from "react";
import { type Channel, ChannelType, type Snowflake } from "../../api/types.ts";
import { useChat, useChatClient } from "../context.ts";
import { channelPath, navigate } from "../router.ts";
import { Modal } from "./modal.tsx";

function useSubmit(action: () => Promise<void>) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : "That did not work.");
      setBusy(false);
    }
  };
  return { busy, error, submit };
}

export function CreateGuildDialog({ onClose }: { onClose: () => void }) {
  const client = useChatClient();
  const id = useId();
  const [name, setName] = useState("");
  const { busy, error, submit } = useSubmit(async () => {
    const guild = await client.createGuild(name.trim());
    onClose();
    navigate(channelPath(guild.id, guild.system_channel_id ?? null));
  });
  return (
    <Modal title="Create a community" onClose={onClose}>
      <form onSubmit={submit} className="dialog-form">
        <div className="field">
          <label htmlFor={`${id}-name`}>Community name</label>
          <input id={`${id}-name`} value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} />
        </div>
        {error ? <p role="alert">{error}</p> : null}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy || !name.trim()}>
            Create
          </button>
        </div>
      </form>
    </Modal>
  );
}

export function CreateChannelDialog({
  guildId,
  parentId,
  onClose,
}: {
  guildId: Snowflake;
  parentId: Snowflake | null;
  onClose: () => void;
}) {
  const client = useChatClient();
  const id = useId();
  const [name, setName] = useState("");
  const [kind, setKind] = useState<number>(ChannelType.GuildText);
  const { busy, error, submit } = useSubmit(async () => {
    const channel = await client.createChannel(guildId, name.trim(), kind, kind === ChannelType.GuildCategory ? null : parentId);
    onClose();
    if (channel.type === ChannelType.GuildText) navigate(channelPath(guildId, channel.id));
  });
  return (
    <Modal title="Create a channel" onClose={onClose}>
      <form onSubmit={submit} className="dialog-form">
        <fieldset className="field">
          <legend>Type</legend>
          <label className="radio">
            <input type="radio" name="kind" checked={kind === ChannelType.GuildText} onChange={() => setKind(ChannelType.GuildText)} /> Text
            channel
          </label>
          <label className="radio">
            <input
              type="radio"
              name="kind"
              checked={kind === ChannelType.GuildCategory}
              onChange={() => setKind(ChannelType.GuildCategory)}
            />{" "}
            Category
          </label>
        </fieldset>
        <div className="field">
          <label htmlFor={`${id}-name`}>Channel name</label>
          <input id={`${id}-name`} value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} />
        </div>
        {error ? <p role="alert">{error}</p> : null}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={busy || !name.trim()}>
            Create channel
          </button>
        </div>
      </form>
    </Modal>
  );
}

export function InviteDialog({ channel, onClose }: { channel: Channel; onClose: () => void }) {
  const client = useChatClient();
  const guildName = useChat((s) => (channel.guild_id ? s.guilds[channel.guild_id]?.guild.name : undefined));
  const id = useId();
  const [link, setLink] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    client.createInvite(channel.id).then(
      (invite) => setLink(`${location.origin}/invite/${invite.code}`),
      (caught) => setError(caught instanceof Error ? caught.message : "No invite could be made."),
    );
  }, [client, channel.id]);
  async function copy() {
    if (!link) return;
    try {
      await navigator.clipboard.writeText(link);
    } catch {
      // Clipboard refused (no permission, plain http): select the text so Ctrl+C works.
      (document.getElementById(`${id}-link`) as HTMLInputElement | null)?.select();
    }
    setCopied(true);
  }
  return (
    <Modal title={`Invite friends to ${guildName ?? "this community"}`} onClose={onClose}>
      <div className="dialog-form">
        <div className="field">
          <label htmlFor={`${id}-link`}>Invite link</label>
          <div className="copy-row">
            <input id={`${id}-link`} readOnly value={link ?? "Creating…"} onFocus={(e) => e.target.select()} />
            <button type="button" className="primary" onClick={copy} disabled={!link}>
              {copied ? "Copied" : "Copy"}
            </button>
          </div>
        </div>
        <p className="muted">The link works for 7 days.</p>
        {error ? <p role="alert">{error}</p> : null}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Done
          </button>
        </div>
      </div>
    </Modal>
  );
}
