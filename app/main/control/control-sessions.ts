/**
 * Who may use the control API: whoever opened the one-time setup link printed on the console. The
 * link's token is exchanged once for a session id kept in an HttpOnly, SameSite=Strict cookie;
 * only hashes are kept, and nothing survives the host (a new start prints a new link).
 */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

export const SESSION_COOKIE = "fluxer_host_session";

const digest = (value: string) => createHash("sha256").update(value).digest();

export interface ControlSessions {
  /** The unused setup token, or undefined once it was exchanged. */
  setupToken(): string | undefined;
  /** A new session id for the right unused token; the token is spent either way it matched. */
  exchange(token: string): string | undefined;
  valid(cookieHeader: string | undefined): boolean;
}

export function createControlSessions(): ControlSessions {
  let setupToken: string | undefined = randomBytes(32).toString("base64url");
  const sessions = new Set<string>();
  return {
    setupToken: () => setupToken,
    exchange(token) {
      if (!setupToken || !timingSafeEqual(digest(token), digest(setupToken))) return undefined;
      setupToken = undefined;
      const id = randomBytes(32).toString("base64url");
      sessions.add(digest(id).toString("hex"));
      return id;
    },
    valid(cookieHeader) {
      const id = cookieValue(cookieHeader, SESSION_COOKIE);
      return id !== undefined && sessions.has(digest(id).toString("hex"));
    },
  };
}

function cookieValue(header: string | undefined, name: string): string | undefined {
  for (const part of header?.split(";") ?? []) {
    const [key, ...value] = part.trim().split("=");
    if (key === name) return value.join("=");
  }
  return undefined;
}

export function sessionCookie(id: string): string {
  return `${SESSION_COOKIE}=${id}; HttpOnly; SameSite=Strict; Path=/`;
}
