/**
 * The values the owner may override. An empty field means "the value sized for this machine"
 * (sent as null); the host checks the whole change and refuses it with reasons per field.
 */
import { type FormEvent, useEffect, useState } from "react";
import { ApiError, type FieldProblem, type HostSettingsView, hostApi } from "./host-api.ts";

const NUMBERS = [
  { path: "server.heap_mb", label: "Chat server heap (MB)", hint: "--max-old-space-size; at least 64" },
  { path: "server.uv_threadpool_size", label: "Chat server thread pool", hint: "UV_THREADPOOL_SIZE; 1 to 1024" },
  { path: "engines.valkey.max_memory_mb", label: "Valkey memory limit (MB)", hint: "maxmemory; at least 8" },
] as const;

type NumberPath = (typeof NUMBERS)[number]["path"];

interface Draft {
  numbers: Record<NumberPath, string>;
  sized: Record<NumberPath, number>;
  valkeyEnabled: boolean;
  persistence: "cache" | "persistent";
}

function draftOf(settings: HostSettingsView): Draft {
  const text = (value: number | undefined) => (value === undefined ? "" : String(value));
  return {
    numbers: {
      "server.heap_mb": text(settings.server.heap_mb),
      "server.uv_threadpool_size": text(settings.server.uv_threadpool_size),
      "engines.valkey.max_memory_mb": text(settings.engines.valkey.max_memory_mb),
    },
    sized: {
      "server.heap_mb": settings.sized.server.heap_mb,
      "server.uv_threadpool_size": settings.sized.server.uv_threadpool_size,
      "engines.valkey.max_memory_mb": settings.sized.engines.valkey.max_memory_mb,
    },
    valkeyEnabled: settings.engines.valkey.enabled,
    persistence: settings.engines.valkey.persistence,
  };
}

/** Numbers as the user typed them: blank is null, anything else goes as typed so the host judges it. */
function asValue(text: string): number | null | string {
  const trimmed = text.trim();
  if (trimmed === "") return null;
  const number = Number(trimmed);
  return Number.isFinite(number) ? number : trimmed;
}

function patchOf(draft: Draft) {
  return {
    server: { heap_mb: asValue(draft.numbers["server.heap_mb"]), uv_threadpool_size: asValue(draft.numbers["server.uv_threadpool_size"]) },
    engines: {
      valkey: {
        enabled: draft.valkeyEnabled,
        max_memory_mb: asValue(draft.numbers["engines.valkey.max_memory_mb"]),
        persistence: draft.persistence,
      },
    },
  };
}

export function SettingsForm() {
  const [draft, setDraft] = useState<Draft | null>(null);
  const [problems, setProblems] = useState<FieldProblem[]>([]);
  const [message, setMessage] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);

  useEffect(() => {
    hostApi.settings().then(
      (settings) => setDraft(draftOf(settings)),
      (error: Error) => setMessage(error.message),
    );
  }, []);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!draft) return;
    setProblems([]);
    setMessage(null);
    setSaved(null);
    try {
      const answer = await hostApi.patchSettings(patchOf(draft));
      setDraft(draftOf(answer.settings));
      setSaved(`Saved. Server values apply at ${answer.applies_at.server}; engine values at ${answer.applies_at.engines}.`);
    } catch (caught) {
      const error = caught instanceof ApiError ? caught : new ApiError(0, "ERROR", String(caught));
      setProblems(error.fields);
      setMessage(error.message);
    }
  }

  const problemOf = (path: string) => problems.find((problem) => problem.path === path)?.message;

  return (
    <section aria-labelledby="settings-title" className="card">
      <h2 id="settings-title">Settings</h2>
      <p>Leave a value empty to use the one sized for this machine.</p>
      {!draft ? (
        <p role={message ? "alert" : "status"}>{message ?? "Loading the settings…"}</p>
      ) : (
        <form className="form settings" onSubmit={submit} aria-label="Settings" noValidate>
          {NUMBERS.map((field) => {
            const id = `setting-${field.path}`;
            const problem = problemOf(field.path);
            return (
              <div className="field" key={field.path}>
                <label htmlFor={id}>{field.label}</label>
                <input
                  id={id}
                  inputMode="numeric"
                  placeholder={`${draft.sized[field.path]} (sized)`}
                  value={draft.numbers[field.path]}
                  aria-invalid={problem ? true : undefined}
                  aria-describedby={`${id}-hint${problem ? ` ${id}-error` : ""}`}
                  onChange={(event) => setDraft({ ...draft, numbers: { ...draft.numbers, [field.path]: event.target.value } })}
                />
                <p className="hint" id={`${id}-hint`}>
                  {field.hint}; sized for this machine: {draft.sized[field.path]}
                </p>
                {problem && (
                  <p className="field-error" id={`${id}-error`}>
                    {problem}
                  </p>
                )}
              </div>
            );
          })}
          <div className="field checkbox">
            <input
              id="setting-valkey-enabled"
              type="checkbox"
              checked={draft.valkeyEnabled}
              onChange={(event) => setDraft({ ...draft, valkeyEnabled: event.target.checked })}
            />
            <label htmlFor="setting-valkey-enabled">Run Valkey</label>
          </div>
          <div className="field">
            <label htmlFor="setting-valkey-persistence">Valkey persistence</label>
            <select
              id="setting-valkey-persistence"
              value={draft.persistence}
              onChange={(event) => setDraft({ ...draft, persistence: event.target.value as Draft["persistence"] })}
            >
              <option value="cache">Cache only (no snapshots)</option>
              <option value="persistent">Persistent (snapshots and append-only file)</option>
            </select>
          </div>
          {message && (
            <p className="form-error" role="alert">
              {message}
            </p>
          )}
          {saved && <p role="status">{saved}</p>}
          <button type="submit" className="primary">
            Save settings
          </button>
        </form>
      )}
    </section>
  );
}
