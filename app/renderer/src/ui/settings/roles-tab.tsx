/** Roles of a community: create, rename, colour, hoist, permissions, order, delete. */
import { type FormEvent, useId, useState } from "react";
import type { Role, Snowflake } from "../../api/types.ts";
import { moveRole, permissionCatalog, rolesTopDown } from "../../state/permission-catalog.ts";
import { useChat, useChatClient } from "../context.ts";
import { useAction } from "./use-action.ts";

const hex = (color: number) => `#${color.toString(16).padStart(6, "0")}`;

export function RolesTab({ guildId }: { guildId: Snowflake }) {
  const client = useChatClient();
  const roles = useChat((s) => s.guilds[guildId]?.roles ?? {});
  const ordered = rolesTopDown(roles, guildId);
  const [selectedId, setSelectedId] = useState<Snowflake>(ordered[0]?.id ?? guildId);
  const selected = roles[selectedId] ?? roles[guildId];
  const { busy, error, run } = useAction();

  const create = () =>
    run(async () => {
      const role = await client.admin.createRole(guildId, "new role");
      setSelectedId(role.id);
    });

  return (
    <div className="roles-tab">
      <div className="role-column">
        <button type="button" className="primary" onClick={() => void create()} disabled={busy}>
          Create role
        </button>
        <ul className="role-list" aria-label="Roles">
          {ordered.map((role) => (
            <li key={role.id}>
              <button
                type="button"
                className="role-pick"
                aria-current={role.id === selected?.id ? "true" : undefined}
                onClick={() => setSelectedId(role.id)}
              >
                <span className="role-swatch" style={{ background: role.color ? hex(role.color) : undefined }} aria-hidden="true" />
                {role.name}
              </button>
            </li>
          ))}
        </ul>
        {error ? <p role="alert">{error}</p> : null}
      </div>
      {selected ? (
        <RoleForm key={selected.id} guildId={guildId} role={selected} roles={roles} onDeleted={() => setSelectedId(guildId)} />
      ) : null}
    </div>
  );
}

function RoleForm({
  guildId,
  role,
  roles,
  onDeleted,
}: {
  guildId: Snowflake;
  role: Role;
  roles: Record<Snowflake, Role>;
  onDeleted(): void;
}) {
  const client = useChatClient();
  const id = useId();
  const everyone = role.id === guildId;
  const [name, setName] = useState(role.name);
  const [color, setColor] = useState(role.color ? hex(role.color) : "#000000");
  const [coloured, setColoured] = useState(role.color !== 0);
  const [hoist, setHoist] = useState(role.hoist);
  const [bits, setBits] = useState(BigInt(role.permissions));
  const [saved, setSaved] = useState(false);
  const { busy, error, run } = useAction();

  async function save(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    const change = everyone
      ? { permissions: bits.toString() }
      : { name: name.trim(), color: coloured ? Number.parseInt(color.slice(1), 16) : 0, hoist, permissions: bits.toString() };
    if (await run(() => client.admin.updateRole(guildId, role.id, change))) setSaved(true);
  }

  const move = (direction: -1 | 1) => {
    const order = moveRole(roles, guildId, role.id, direction);
    if (order) void run(() => client.admin.moveRole(guildId, role.id, order));
  };
  // Two steps instead of window.confirm, so the question stays inside the dialog (and keyboard focus).
  const [confirming, setConfirming] = useState(false);
  const remove = () => {
    if (!confirming) return setConfirming(true);
    void run(() => client.admin.deleteRole(guildId, role.id)).then((ok) => ok && onDeleted());
  };

  return (
    <form className="role-form" onSubmit={save} aria-label={`Role ${role.name}`}>
      {everyone ? (
        <p className="muted">@everyone: what every member may do, unless another role or a channel says otherwise.</p>
      ) : (
        <>
          <div className="field">
            <label htmlFor={`${id}-name`}>Role name</label>
            <input id={`${id}-name`} value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} />
          </div>
          <div className="role-row">
            <label className="checkbox">
              <input type="checkbox" checked={coloured} onChange={(e) => setColoured(e.target.checked)} /> Coloured name
            </label>
            <label className="color-field">
              Role colour
              <input type="color" value={color} disabled={!coloured} onChange={(e) => setColor(e.target.value)} />
            </label>
          </div>
          <label className="checkbox">
            <input type="checkbox" checked={hoist} onChange={(e) => setHoist(e.target.checked)} /> Show members separately in the member
            list
          </label>
          <div className="role-row">
            <button type="button" onClick={() => move(1)} disabled={busy}>
              Move up
            </button>
            <button type="button" onClick={() => move(-1)} disabled={busy}>
              Move down
            </button>
            <button type="button" className="danger-button" onClick={remove} disabled={busy}>
              {confirming ? `Really delete ${role.name}?` : "Delete role"}
            </button>
          </div>
        </>
      )}
      <fieldset className="permission-list">
        <legend>Permissions</legend>
        {permissionCatalog.map((entry) => (
          <label key={entry.label} className="checkbox">
            <input
              type="checkbox"
              checked={(bits & entry.flag) === entry.flag}
              onChange={(e) => setBits(e.target.checked ? bits | entry.flag : bits & ~entry.flag)}
            />{" "}
            {entry.label}
          </label>
        ))}
      </fieldset>
      {error ? <p role="alert">{error}</p> : null}
      <div className="dialog-actions">
        {saved ? (
          <span className="muted" role="status">
            Saved
          </span>
        ) : null}
        <button type="submit" className="primary" disabled={busy || (!everyone && !name.trim())}>
          Save role
        </button>
      </div>
    </form>
  );
}
