/** REST calls to this instance's API, with Fluxer's error body turned into an ApiError. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Per-field messages of a 400 INVALID_FORM_BODY, keyed by field path. */
    readonly fields: Record<string, string> = {},
    readonly retryAfter?: number,
  ) {
    super(message);
  }
}

export interface Rest {
  request<T>(method: string, path: string, body?: unknown, options?: RequestOptions): Promise<T>;
}

export interface RequestOptions {
  /** Why a moderator did this: kept in the community's audit log. */
  reason?: string;
}

interface ErrorBody {
  code?: string;
  message?: string;
  retry_after?: number;
  errors?: { path?: string; message?: string }[] | Record<string, unknown>;
}

export function createRest(apiBase: string, token: () => string | null, onUnauthorized: () => void): Rest {
  return {
    async request<T>(method: string, path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
      const headers: Record<string, string> = {};
      const current = token();
      if (current) headers.authorization = current;
      if (options.reason) headers["x-audit-log-reason"] = encodeURIComponent(options.reason);
      // FormData (files) sets its own multipart content type with the boundary.
      const form = body instanceof FormData;
      if (body !== undefined && !form) headers["content-type"] = "application/json";
      let response: Response;
      try {
        response = await fetch(`${apiBase}/v1${path}`, {
          method,
          headers,
          body: body === undefined ? undefined : form ? body : JSON.stringify(body),
        });
      } catch {
        throw new ApiError(0, "NETWORK_ERROR", "The server could not be reached.");
      }
      if (response.status === 204) return undefined as T;
      const data: unknown = await response.json().catch(() => undefined);
      if (response.ok) return data as T;
      const error = (data ?? {}) as ErrorBody;
      if (response.status === 401 && current) onUnauthorized();
      throw new ApiError(
        response.status,
        error.code ?? "UNKNOWN",
        error.message ?? response.statusText,
        fieldErrors(error),
        error.retry_after,
      );
    },
  };
}

function fieldErrors(error: ErrorBody): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(error.errors)) {
    for (const item of error.errors) if (item.path && item.message) out[item.path] = item.message;
  }
  return out;
}
