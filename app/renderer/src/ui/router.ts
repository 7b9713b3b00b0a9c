/** History-API routing for the few views the client has (the server falls back to index.html). */
import { useSyncExternalStore } from "react";

export type Route =
  | { name: "login"; next: string | null }
  | { name: "register"; next: string | null }
  | { name: "invite"; code: string }
  | { name: "channels"; guildId: string | null; channelId: string | null }
  | { name: "home" };

export function parseRoute(path: string, search: string): Route {
  const next = new URLSearchParams(search).get("next");
  const safeNext = next?.startsWith("/") && !next.startsWith("//") ? next : null;
  if (path === "/login") return { name: "login", next: safeNext };
  if (path === "/register") return { name: "register", next: safeNext };
  const invite = /^\/invite\/([^/]+)\/?$/.exec(path);
  if (invite?.[1]) return { name: "invite", code: decodeURIComponent(invite[1]) };
  const channels = /^\/channels(?:\/([^/]+))?(?:\/([^/]+))?\/?$/.exec(path);
  if (channels) return { name: "channels", guildId: channels[1] ?? null, channelId: channels[2] ?? null };
  return { name: "home" };
}

const listeners = new Set<() => void>();
window.addEventListener("popstate", () => {
  for (const listener of listeners) listener();
});

export function navigate(to: string, options: { replace?: boolean } = {}) {
  if (to === location.pathname + location.search) return;
  if (options.replace) history.replaceState(null, "", to);
  else history.pushState(null, "", to);
  for (const listener of listeners) listener();
}

let cachedKey = "";
let cachedRoute: Route = { name: "home" };

export function useRoute(): Route {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => {
      const key = location.pathname + location.search;
      if (key !== cachedKey) {
        cachedKey = key;
        cachedRoute = parseRoute(location.pathname, location.search);
      }
      return cachedRoute;
    },
  );
}

export function channelPath(guildId: string, channelId?: string | null) {
  return channelId ? `/channels/${guildId}/${channelId}` : `/channels/${guildId}`;
}
