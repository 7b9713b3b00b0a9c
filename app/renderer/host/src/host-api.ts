/** The control API as the host page uses it: same origin, the session cookie, the header on writes. */

export interface ProcessView {
  name: string;
  state: "starting" | "running" | "restarting" | "stopping" | "stopped" | "missing" | "failed" | string;
  pid?: number;
  port?: number;
  restarts: number;
  reason?: string;
  logFile: string;
  uptimeMs?: number;
  stats?: { rssBytes: number; cpuPercent: number };
  lastLines: string[];
}

export interface Figures {
  claimed: boolean;
  users: number;
  bots: number;
  guilds: number;
  messages: number;
  gateway: { connections: number; sessions: number };
}

export interface HostStateView {
  chatUrl: string;
  claimed: boolean | null;
  figures: Figures | null;
  processes: ProcessView[];
}

export interface FieldProblem {
  path: string;
  message: string;
}

/** A refusal from the control API or the server behind it, with its per-field problems. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: FieldProblem[] = [],
  ) {
    super(message);
  }
}

async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = {};
  if (method !== "GET") headers["x-fluxer-host"] = "1";
  if (body !== undefined) headers["content-type"] = "application/json";
  let response: Response;
  try {
    response = await fetch(path, {
      method,
      credentials: "same-origin",
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    throw new ApiError(0, "HOST_UNREACHABLE", "The host does not answer. Is it still running?");
  }
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (!response.ok) {
    const error = (parsed ?? {}) as { code?: string; message?: string; errors?: FieldProblem[] };
    throw new ApiError(
      response.status,
      error.code ?? "ERROR",
      error.message ?? `The host answered ${response.status}`,
      Array.isArray(error.errors) ? error.errors : [],
    );
  }
  return parsed as T;
}

export const hostApi = {
  state: () => call<HostStateView>("GET", "/api/state"),
  claim: (input: { email: string; password: string; global_name: string; community_name: string }) =>
    call<{ user: unknown; guild_id: string }>("POST", "/api/claim", input),
  invite: () => call<{ code: string; url: string }>("POST", "/api/invite"),
  restart: (name: string) => call<unknown>("POST", `/api/processes/${encodeURIComponent(name)}/restart`),
  stop: (name: string) => call<unknown>("POST", `/api/processes/${encodeURIComponent(name)}/stop`),
  settings: () => call<HostSettingsView>("GET", "/api/settings"),
  patchSettings: (patch: unknown) =>
    call<{ settings: HostSettingsView; applies_at: Record<string, string> }>("PATCH", "/api/settings", patch),
};

export interface HostSettingsView {
  server: { port?: number; heap_mb?: number; uv_threadpool_size?: number };
  engines: { valkey: { enabled: boolean; max_memory_mb?: number; persistence: "cache" | "persistent" } };
  /** What applies where nothing is overridden: sized from this machine's memory and cores. */
  sized: { server: { heap_mb: number; uv_threadpool_size: number }; engines: { valkey: { max_memory_mb: number } } };
}
