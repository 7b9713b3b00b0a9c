/** The signed-in session: the token in localStorage (so it survives a reload) and who it is. */
import type { User } from "../api/types.ts";
import { createStore } from "./store.ts";

const storageKey = "fluxer.session";

export interface Session {
  token: string;
  user: User | null;
}

function read(): Session | null {
  try {
    const raw = localStorage.getItem(storageKey);
    const parsed = raw ? (JSON.parse(raw) as Session) : null;
    return parsed && typeof parsed.token === "string" ? parsed : null;
  } catch {
    return null;
  }
}

export const sessionStore = createStore<Session | null>(read());

export function signIn(session: Session) {
  localStorage.setItem(storageKey, JSON.stringify(session));
  sessionStore.set(() => session);
}

export function signOut() {
  localStorage.removeItem(storageKey);
  sessionStore.set(() => null);
}

// Another tab signed in or out: follow it.
window.addEventListener("storage", (event) => {
  if (event.key === storageKey) sessionStore.set(() => read());
});
