/** A channel's permission overwrites: per role or member, each permission allowed, denied or inherited. */
import { useId, useState } from "react";
import type { Channel, PermissionOverwrite, Snowflake } from "../../api/types.ts";
import { displayName } from "../../state/chat-state.ts";
import {
  type OverwriteChoice,
  overwriteChoice,
  permissionCatalog,
  rolesTopDown,
  setOverwriteChoice,
} from "../../state/permission-catalog.ts";
import { useChat, useChatClient } from "../context.ts";
import { useAction } from "./use-action.ts";

const choices: [OverwriteChoice, string][] = [
  ["deny", "Deny"],
  ["inherit", "Inherit"],
  ["allow", "Allow"],
];

export function ChannelPermissionsTab({ guildId, channelId }: { guildId: Snowflake; channelId: Snowflake }) {
  const channel = useChat((s) => s.guilds[guildId]?.channels[channelId]);
  const roles = useChat((s) => s.guilds[guildId]?.roles ?? {});
  const members = useChat((s) => s.guilds[guildId]?.members ?? {});
  const overwrites = channel?.permission_overwrites ?? [];
  const [selectedId, setSelectedId] = useState<Snowflake | null>(overwrites[0]?.id ?? null);
  const [adding, setAdding] = useState("");
  const id = useId();
  if (!channel) return null;

  const nameOf = (o: { id: Snowflake; type: number }) =>
    o.type === 0 ? (roles[o.id]?.name ?? "deleted role") : members[o.id] ? displayName(members[o.id]!.user, members[o.id]) : o.id;
  const candidates = [
    ...rolesTopDown(roles, guildId).map((r) => ({ id: r.id, type: 0 as const, label: `Role: ${r.name}` })),
    ...Object.values(members).map((m) => ({ id: m.user.id, type: 1 as const, label: `Member: ${displayName(m.user, m)}` })),
  ].filter((c) => !overwrites.some((o) => o.id === c.id));
  const pendingNew = selectedId && !overwrites.some((o) => o.id === selectedId) ? candidates.find((c) => c.id === selectedId) : undefined;
  const selected: PermissionOverwrite | undefined =
    overwrites.find((o) => o.id === selectedId) ??
    (pendingNew ? { id: pendingNew.id, type: pendingNew.type, allow: "0", deny: "0" } : undefined);

  return (
    <div className="roles-tab">
      <div className="role-column">
        <ul className="role-list" aria-label="Overwrites">
          {overwrites.map((o) => (
            <li key={o.id}>
              <button
                type="button"
                className="role-pick"
                aria-current={o.id === selectedId ? "true" : undefined}
                onClick={() => setSelectedId(o.id)}
              >
                {nameOf(o)}
              </button>
            </li>
          ))}
        </ul>
        <div className="field">
          <label htmlFor={`${id}-add`}>Add a role or member</label>
          <select id={`${id}-add`} value={adding} onChange={(e) => setAdding(e.target.value)}>
            <option value="">Choose…</option>
            {candidates.map((c) => (
              <option key={c.id} value={c.id}>
                {c.label}
              </option>
            ))}
          </select>
        </div>
        <button
          type="button"
          disabled={!adding}
          onClick={() => {
            setSelectedId(adding);
            setAdding("");
          }}
        >
          Add overwrite
        </button>
      </div>
      {selected ? (
        <OverwriteForm key={selected.id} channel={channel} overwrite={selected} name={nameOf(selected)} isNew={Boolean(pendingNew)} />
      ) : (
        <p className="muted">No overwrites: this channel follows the community's roles.</p>
      )}
    </div>
  );
}

function OverwriteForm({
  channel,
  overwrite,
  name,
  isNew,
}: {
  channel: Channel;
  overwrite: PermissionOverwrite;
  name: string;
  isNew: boolean;
}) {
  const client = useChatClient();
  const [bits, setBits] = useState({ allow: BigInt(overwrite.allow), deny: BigInt(overwrite.deny) });
  const [saved, setSaved] = useState(false);
  const { busy, error, run } = useAction();
  const save = async () => {
    setSaved(false);
    const ok = await run(() =>
      client.admin.setOverwrite(channel, { ...overwrite, allow: bits.allow.toString(), deny: bits.deny.toString() }),
    );
    setSaved(ok);
  };
  return (
    <form
      className="role-form"
      aria-label={`Overwrite for ${name}`}
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <p className="muted">
        In #{channel.name}, for {overwrite.type === 0 ? "the role" : ""} {name}:
      </p>
      <div className="overwrite-list">
        {permissionCatalog
          .filter((entry) => !entry.guildOnly)
          .map((entry) => {
            const current = overwriteChoice(bits.allow, bits.deny, entry.flag);
            return (
              <fieldset key={entry.label} className="overwrite-row">
                <legend>{entry.label}</legend>
                {choices.map(([choice, label]) => (
                  <label key={choice} className={`choice ${choice}`}>
                    <input
                      type="radio"
                      name={`${overwrite.id}-${entry.label}`}
                      checked={current === choice}
                      onChange={() => setBits(setOverwriteChoice(bits, entry.flag, choice))}
                    />
                    {label}
                  </label>
                ))}
              </fieldset>
            );
          })}
      </div>
      {error ? <p role="alert">{error}</p> : null}
      <div className="dialog-actions">
        {saved ? (
          <span className="muted" role="status">
            Saved
          </span>
        ) : null}
        {isNew ? null : (
          <button
            type="button"
            className="danger-button"
            disabled={busy}
            onClick={() => void run(() => client.admin.deleteOverwrite(channel, overwrite.id))}
          >
            Remove overwrite
          </button>
        )}
        <button type="submit" className="primary" disabled={busy}>
          Save overwrite
        </button>
      </div>
    </form>
  );
}
