import type { FastifyInstance, FastifyRequest } from "fastify";
import { z } from "zod";
import { route } from "../../http/route.ts";
import { username } from "../users/user.schemas.ts";
import { toUserPartial } from "../users/user.views.ts";
import type { AuthService, ClientInfo } from "./auth.service.ts";

const email = z.email().max(254);
const password = z.string().min(8).max(256);

const registerBody = z.object({
  email,
  username: username.optional(),
  global_name: z.string().min(1).max(32).optional(),
  password,
  date_of_birth: z.string().optional(),
  consent: z.boolean().optional(),
  invite_code: z.string().nullish(),
  registration_url_code: z.string().nullish(),
  theme: z.string().optional(),
});

const loginBody = z.object({ email, password: z.string().min(1).max(256), invite_code: z.string().nullish() });

const logoutSessionsBody = z.object({
  session_id_hashes: z.array(z.string().max(128)).max(100),
  password: z.string().max(256).optional(),
});

export function clientInfo(request: FastifyRequest): ClientInfo {
  const agent = String(request.headers["user-agent"] ?? "");
  const browser = /Firefox\//.test(agent) ? "Firefox" : /Chrome\//.test(agent) ? "Chrome" : /Safari\//.test(agent) ? "Safari" : null;
  const os = /Windows/.test(agent)
    ? "Windows"
    : /Mac OS/.test(agent)
      ? "macOS"
      : /Android/.test(agent)
        ? "Android"
        : /Linux/.test(agent)
          ? "Linux"
          : null;
  return { os, browser, platform: browser ? "web" : null, ip: request.ip ?? null };
}

/** Masks the last part of an address so a sessions list does not expose it whole. */
const maskIp = (ip: string | null): string | null => (ip ? ip.replace(/[.:][^.:]*$/, (tail) => `${tail[0]}x`) : null);

export function authRoutes(app: FastifyInstance, auth: AuthService) {
  const tokenResponse = ({ token, user }: Awaited<ReturnType<AuthService["login"]>>) => ({
    token,
    user_id: user.id.toString(),
    user: toUserPartial(user),
  });

  route(app, {
    method: "POST",
    url: "/auth/register",
    auth: "none",
    body: registerBody,
    handler: async ({ body, request }) => tokenResponse(await auth.register(body, clientInfo(request))),
  });

  route(app, {
    method: "POST",
    url: "/auth/login",
    auth: "none",
    body: loginBody,
    handler: async ({ body, request }) => tokenResponse(await auth.login(body.email, body.password, clientInfo(request))),
  });

  route(app, {
    method: "POST",
    url: "/auth/logout",
    auth: "session",
    handler: ({ actor }) => auth.logout(actor),
  });

  route(app, {
    method: "GET",
    url: "/auth/sessions",
    auth: "session",
    handler: ({ actor }) =>
      auth.listSessions(actor).map(({ session, current }) => ({
        id_hash: session.idHash,
        client_info: { platform: session.clientPlatform, os: session.clientOs, browser: session.clientBrowser, location: null },
        masked_ip: maskIp(session.ip),
        approx_last_used_at: new Date(session.lastUsedAt).toISOString(),
        current,
      })),
  });

  route(app, {
    method: "POST",
    url: "/auth/sessions/logout",
    auth: "session",
    body: logoutSessionsBody,
    handler: ({ actor, body }) => auth.logoutSessions(actor, body.session_id_hashes, body.password),
  });
}
