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
}

const TIMEOUT_MS = 10_000;

export function adminClient(baseUrl: () => string, key: string): AdminClient {
  async function call(method: string, path: string, body?: unknown): Promise<AdminAnswer> {
    const response = await fetch(new URL(`/_appliance/admin${path}`, baseUrl()), {
      method,
      headers: { authorization: `Admin ${key}`, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {}
    return { status: response.status, body: parsed };
  }
  return {
    claim: (input) => call("POST", "/claim", input),
    figures: () => call("GET", "/instance"),
  };
}
