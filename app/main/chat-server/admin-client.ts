/**
 * The host's side of the server's admin API (`/_appliance/admin/*`, `Authorization: Admin <key>`).
 * Answers are passed on as the server gave them, so its error codes reach the host UI unchanged.
 */
export interface AdminAnswer {
  status: number;
  body: unknown;
}

export interface AdminClient {
  claim(input: unknown): Promise<AdminAnswer>;
  figures(): Promise<AdminAnswer>;
  /** The owner's permanent invite (the same one each time while it lives). */
  invite(): Promise<AdminAnswer>;
}

// The dashboard polls the figures: a hung server must not hang it. A claim hashes a password.
const FIGURES_TIMEOUT_MS = 3_000;
const CLAIM_TIMEOUT_MS = 30_000;

export function adminClient(baseUrl: () => string, key: string): AdminClient {
  async function call(method: string, path: string, timeoutMs: number, body?: unknown): Promise<AdminAnswer> {
    const response = await fetch(new URL(`/_appliance/admin${path}`, baseUrl()), {
      method,
      headers: { authorization: `Admin ${key}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {}
    return { status: response.status, body: parsed };
  }
  return {
    claim: (input) => call("POST", "/claim", CLAIM_TIMEOUT_MS, input),
    figures: () => call("GET", "/instance", FIGURES_TIMEOUT_MS),
    invite: () => call("POST", "/invite", FIGURES_TIMEOUT_MS),
  };
}
