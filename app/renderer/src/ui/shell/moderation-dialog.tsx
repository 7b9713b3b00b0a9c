/** Confirms a kick, ban or timeout, with a reason for the audit log (and a length for timeouts). */
import { type FormEvent, useId, useState } from "react";
import type { Snowflake } from "../../api/types.ts";
import { useChatClient } from "../context.ts";
import { Modal } from "./modal.tsx";

export type ModerationAction = "kick" | "ban" | "timeout" | "untimeout";

const timeoutChoices = [
  [60, "1 minute"],
  [300, "5 minutes"],
  [600, "10 minutes"],
  [3600, "1 hour"],
  [86_400, "1 day"],
  [604_800, "1 week"],
] as const;

const titles: Record<ModerationAction, string> = {
  kick: "Kick",
  ban: "Ban",
  timeout: "Time out",
  untimeout: "Remove timeout for",
};

export function ModerationDialog({
  action,
  guildId,
  guildName,
  userId,
  name,
  onClose,
}: {
  action: ModerationAction;
  guildId: Snowflake;
  guildName: string;
  userId: Snowflake;
  name: string;
  onClose(): void;
}) {
  const client = useChatClient();
  const id = useId();
  const [reason, setReason] = useState("");
  const [seconds, setSeconds] = useState<number>(600);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function confirm(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const why = reason.trim();
      if (action === "kick") await client.admin.kick(guildId, userId, why);
      else if (action === "ban") await client.admin.ban(guildId, userId, why);
      else await client.admin.timeout(guildId, userId, action === "timeout" ? seconds : 0, why);
      onClose();
    } catch (caught) {
      setError(caught instanceof Error ? caught.message : "That did not work.");
      setBusy(false);
    }
  }

  const consequence =
    action === "kick"
      ? `${name} leaves ${guildName} and can come back with an invite.`
      : action === "ban"
        ? `${name} leaves ${guildName} and cannot come back.`
        : action === "timeout"
          ? `${name} can read but not send, react or speak until the timeout ends.`
          : `${name} can write again at once.`;

  return (
    <Modal title={`${titles[action]} ${name}`} onClose={onClose}>
      <form className="dialog-form" onSubmit={confirm}>
        <p>{consequence}</p>
        {action === "timeout" ? (
          <div className="field">
            <label htmlFor={`${id}-length`}>Duration</label>
            <select id={`${id}-length`} value={seconds} onChange={(e) => setSeconds(Number(e.target.value))}>
              {timeoutChoices.map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <div className="field">
          <label htmlFor={`${id}-reason`}>Reason (kept in the audit log)</label>
          <textarea id={`${id}-reason`} value={reason} onChange={(e) => setReason(e.target.value)} maxLength={512} rows={2} />
        </div>
        {error ? <p role="alert">{error}</p> : null}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className={action === "untimeout" ? "primary" : "primary danger"} disabled={busy}>
            {titles[action].replace(" for", "")}
          </button>
        </div>
      </form>
    </Modal>
  );
}
