/** One supervised process: its state and figures, its last log lines, restart and stop. */
import { useState } from "react";
import { formatBytes, formatDuration } from "./format.ts";
import { ApiError, hostApi, type ProcessView } from "./host-api.ts";

interface Props {
  process: ProcessView;
  refresh: () => Promise<void>;
}

const LABELS: Record<string, string> = { server: "Chat server", valkey: "Valkey", meilisearch: "Meilisearch", livekit: "LiveKit" };

export function ProcessCard({ process, refresh }: Props) {
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const label = LABELS[process.name] ?? process.name;
  const canAct = process.state !== "missing";

  async function act(action: "restart" | "stop") {
    setBusy(action);
    setError(null);
    try {
      await hostApi[action](process.name);
    } catch (caught) {
      setError(caught instanceof ApiError ? caught.message : String(caught));
    } finally {
      setBusy(null);
      await refresh();
    }
  }

  return (
    <li className="card process" aria-label={label}>
      <div className="process-head">
        <h3>{label}</h3>
        <span className={`state state-${process.state}`}>{process.state}</span>
      </div>
      <dl className="process-facts">
        <Fact label="Port" value={process.port ? `127.0.0.1:${process.port}` : "—"} wide />
        <Fact label="Uptime" value={process.uptimeMs !== undefined ? formatDuration(process.uptimeMs) : "—"} />
        <Fact label="Memory" value={process.stats ? formatBytes(process.stats.rssBytes) : "—"} />
        <Fact label="CPU" value={process.stats ? `${process.stats.cpuPercent} %` : "—"} />
        <Fact label="Restarts" value={String(process.restarts)} />
      </dl>
      {process.reason && <p className="reason">{process.reason}</p>}
      <div className="actions">
        <button type="button" disabled={!canAct || busy !== null} onClick={() => void act("restart")}>
          {busy === "restart" ? "Restarting…" : `Restart ${label}`}
        </button>
        <button type="button" disabled={!canAct || busy !== null || process.state === "stopped"} onClick={() => void act("stop")}>
          {busy === "stop" ? "Stopping…" : `Stop ${label}`}
        </button>
      </div>
      {error && (
        <p className="form-error" role="alert">
          {error}
        </p>
      )}
      <details className="log">
        <summary>Last log lines ({process.lastLines.length})</summary>
        <p className="log-file">
          Full log: <code>{process.logFile}</code>
        </p>
        <pre>{process.lastLines.join("\n") || "(empty)"}</pre>
      </details>
    </li>
  );
}

function Fact({ label, value, wide = false }: { label: string; value: string; wide?: boolean }) {
  return (
    <div className={wide ? "wide" : undefined}>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}
