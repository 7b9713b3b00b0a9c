/** Community settings: the overview (name) for Manage Community, roles for Manage Roles. */
import { type FormEvent, useId, useState } from "react";
import type { Snowflake } from "../../api/types.ts";
import { has, Permission } from "../../state/permissions.ts";
import { useChat, useChatClient } from "../context.ts";
import { useGuildPermissions } from "../permissions-hooks.ts";
import { Modal } from "../shell/modal.tsx";
import { RolesTab } from "./roles-tab.tsx";
import { Tabs } from "./tabs.tsx";
import { useAction } from "./use-action.ts";
import "./settings.css";

type Tab = "overview" | "roles";

export function GuildSettingsDialog({ guildId, onClose }: { guildId: Snowflake; onClose(): void }) {
  const permissions = useGuildPermissions(guildId);
  const tabs: { key: Tab; title: string }[] = [];
  if (has(permissions, Permission.ManageGuild)) tabs.push({ key: "overview", title: "Overview" });
  if (has(permissions, Permission.ManageRoles)) tabs.push({ key: "roles", title: "Roles" });
  const [tab, setTab] = useState<Tab>(tabs[0]?.key ?? "overview");
  return (
    <Modal title="Community settings" onClose={onClose} wide>
      <Tabs<Tab> label="Community settings" tabs={tabs} current={tab} onChange={setTab}>
        {tab === "overview" ? <OverviewTab guildId={guildId} /> : <RolesTab guildId={guildId} />}
      </Tabs>
      <div className="dialog-actions">
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </Modal>
  );
}

function OverviewTab({ guildId }: { guildId: Snowflake }) {
  const client = useChatClient();
  const current = useChat((s) => s.guilds[guildId]?.guild.name ?? "");
  const id = useId();
  const [name, setName] = useState(current);
  const [saved, setSaved] = useState(false);
  const { busy, error, run } = useAction();
  async function save(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    if (await run(() => client.admin.renameGuild(guildId, name.trim()))) setSaved(true);
  }
  return (
    <form className="dialog-form" onSubmit={save}>
      <div className="field">
        <label htmlFor={`${id}-name`}>Community name</label>
        <input id={`${id}-name`} value={name} onChange={(e) => setName(e.target.value)} required minLength={2} maxLength={100} />
      </div>
      {error ? <p role="alert">{error}</p> : null}
      <div className="dialog-actions">
        {saved ? (
          <span className="muted" role="status">
            Saved
          </span>
        ) : null}
        <button type="submit" className="primary" disabled={busy || !name.trim()}>
          Save
        </button>
      </div>
    </form>
  );
}
