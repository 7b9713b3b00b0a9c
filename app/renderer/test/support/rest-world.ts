/**
 * A community set up through the public REST API (fast), and pages signed in as its people,
 * for the browser tests whose subject is not sign-up itself.
 */
import type { Browser, Page } from "playwright-core";
import { recordOrigins } from "./page-watch.ts";

export interface Person {
  token: string;
  id: string;
  name: string;
}

export type Api = <T = unknown>(method: string, path: string, body?: unknown) => Promise<T>;

export function apiFor(origin: string, token?: string): Api {
  return async (method, path, body) => {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = token;
    if (body !== undefined) headers["content-type"] = "application/json";
    const response = await fetch(`${origin}/api/v1${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return (text ? JSON.parse(text) : undefined) as never;
  };
}

export async function registerPerson(origin: string, email: string, name: string): Promise<Person> {
  const api = apiFor(origin);
  const { token, user_id } = await api<{ token: string; user_id: string }>("POST", "/auth/register", {
    email,
    password: "correct horse battery staple",
    global_name: name,
    consent: true,
  });
  return { token, id: user_id, name };
}

/** A guild owned by `owner` with everyone in `members` joined through an invite; its first text channel. */
export async function communityOf(origin: string, owner: Person, name: string, members: Person[]) {
  const guild = await apiFor(origin, owner.token)<{ id: string; system_channel_id?: string }>("POST", "/guilds", { name });
  const channels = await apiFor(origin, owner.token)<{ id: string; type: number; name: string }[]>("GET", `/guilds/${guild.id}/channels`);
  const general = channels.find((c) => c.type === 0);
  if (!general) throw new Error("no text channel in a new guild");
  const invite = await apiFor(origin, owner.token)<{ code: string }>("POST", `/channels/${general.id}/invites`, {});
  for (const member of members) await apiFor(origin, member.token)("POST", `/invites/${invite.code}`);
  return { guildId: guild.id, channelId: general.id };
}

/** A page in a fresh context, signed in as `person` (the session the client keeps in localStorage). */
export async function pageAs(browser: Browser, origin: string, person: Person, path: string, seen: Set<string>): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  recordOrigins(context, seen);
  context.setDefaultTimeout(10_000);
  await context.addInitScript((token) => {
    if (!localStorage.getItem("fluxer.session")) localStorage.setItem("fluxer.session", JSON.stringify({ token, user: null }));
  }, person.token);
  const page = await context.newPage();
  await page.goto(`${origin}${path}`);
  return page;
}
