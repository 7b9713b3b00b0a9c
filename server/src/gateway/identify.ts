/**
 * IDENTIFY (op 2) and RESUME (op 6): authenticating a connection and giving it a session,
 * new (READY) or resumed (replay, then RESUMED; op 9 `d:false` when that cannot be done).
 */
import { randomBytes } from "node:crypto";
import { hashToken, sameHash } from "../auth/tokens.ts";
import { type CustomStatusView, parseCustomStatus, toCustomStatusView } from "../features/users/custom-status.ts";
import { defaultUserSettings } from "../features/users/user-settings.defaults.ts";
import { toUserSettingsView } from "../features/users/user-settings.views.ts";
import type { Actor } from "../http/actor.ts";
import type { Connection } from "./connection.ts";
import type { GatewayContext } from "./context.ts";
import { STATUSES, type Status, type StoredPresence } from "./presence.ts";
import { Close, dispatchFrame, Op } from "./protocol.ts";
import { buildReady } from "./ready.ts";
import { type ClientInfo, Session } from "./session.ts";
import { announceSessions, sessionList } from "./sessions-replace.ts";
import { initialPresence, settingsPresenceOf } from "./settings-presence.ts";

const isObject = (value: unknown): value is Record<string, unknown> => !!value && typeof value === "object" && !Array.isArray(value);

/** IDENTIFY carries the raw token; a `Bot ` prefix is tolerated, and bot tokens are recognised without it. */
async function authenticate(ctx: GatewayContext, token: string): Promise<Actor | null> {
  if (token.startsWith("Bot ")) return ctx.auth.authenticate(token);
  const actor = await ctx.auth.authenticate(token);
  if (actor || !/^\d+\./.test(token)) return actor;
  return ctx.auth.authenticate(`Bot ${token}`);
}

/**
 * Whether the credential still works. A logout or token reset that lands while READY is being
 * built finds no session to close yet (SESSIONS_REVOKED is acted on by the dispatcher), so the
 * credential is checked once more, synchronously, right before the session goes live.
 */
function stillValid(ctx: GatewayContext, actor: Actor, token: string): boolean {
  const { stores } = ctx.deps;
  if (actor.sessionHash !== null) return stores.sessions.get(actor.sessionHash) !== null;
  const app = stores.applications.findByBotUser(actor.user.id);
  return !!app?.botTokenHash && sameHash(app.botTokenHash, hashToken(token.replace(/^Bot /, "").trim()));
}

function clientInfo(properties: Record<string, unknown>): ClientInfo | null {
  // Older libraries still send Discord's `$os`-style names.
  const pick = (name: string) => properties[name] ?? properties[`$${name}`];
  const os = pick("os");
  const browser = pick("browser");
  const device = pick("device");
  if (typeof os !== "string" || typeof browser !== "string" || typeof device !== "string") return null;
  return { os, browser, device };
}

/**
 * `status` as op 3 and IDENTIFY's `presence` send it; `offline` means invisible, as upstream.
 * The custom status is validated (a malformed one becomes none) before anyone else sees it.
 */
export function parsePresence(value: unknown, now = Date.now()): StoredPresence | null {
  if (!isObject(value)) return null;
  const status = value.status === "offline" ? "invisible" : value.status;
  if (!STATUSES.includes(status as Status)) return null;
  return {
    status: status as Status,
    afk: value.afk === true,
    mobile: value.mobile === true,
    custom_status: customStatusOf(value.custom_status, now),
  };
}

function customStatusOf(value: unknown, now: number): CustomStatusView | null {
  const status = parseCustomStatus(value, now);
  return status && toCustomStatusView(status);
}

function validShard(shard: unknown): boolean {
  if (shard === undefined || shard === null) return true;
  if (!Array.isArray(shard) || shard.length !== 2) return false;
  const [id, count] = shard;
  return Number.isInteger(id) && Number.isInteger(count) && id >= 0 && count >= 1 && id < count;
}

export async function identify(ctx: GatewayContext, conn: Connection, d: unknown): Promise<void> {
  if (conn.session || conn.authenticating) return conn.close(Close.ALREADY_AUTHENTICATED, "Already authenticated");
  if (!isObject(d) || typeof d.token !== "string" || d.token.length === 0 || !isObject(d.properties)) {
    return conn.close(Close.DECODE_ERROR, "Invalid identify payload");
  }
  const client = clientInfo(d.properties);
  if (!client) return conn.close(Close.DECODE_ERROR, "Invalid identify properties");
  if (!validShard(d.shard)) return conn.close(Close.INVALID_SHARD, "Invalid shard");
  const asked = d.presence === undefined || d.presence === null ? null : parsePresence(d.presence);
  if (d.presence !== undefined && d.presence !== null && !asked) return conn.close(Close.DECODE_ERROR, "Invalid presence");
  const ignored = new Set(Array.isArray(d.ignored_events) ? d.ignored_events.filter((t): t is string => typeof t === "string") : []);

  conn.authenticating = true;
  const actor = await authenticate(ctx, d.token);
  if (conn.closed) return;
  if (!actor) return conn.close(Close.AUTHENTICATION_FAILED, "Authentication failed");

  const user = actor.user;
  const session = new Session(randomBytes(16).toString("hex"), user, client, ctx.config.max_backlog, ignored, ctx.endSession);
  const settings = user.bot ? null : (ctx.deps.stores.userSettings.get(user.id) ?? defaultUserSettings());
  const previous = asked ? null : ((await ctx.presence.read([user.id])).get(user.id) ?? null);
  // A second device keeps the status the user already has unless it says otherwise; a first one takes the stored status.
  const presence = initialPresence(asked, previous, settings && settingsPresenceOf(toUserSettingsView(settings)));
  const bundle = await buildReady(ctx.deps, ctx.payloads, ctx.presence, user, {
    id: session.id,
    authSessionHash: actor.sessionHash,
    settings,
    sessions: sessionList([...ctx.registry.userSessions(user.id), session], presence),
  });
  if (conn.closed) return;
  if (!stillValid(ctx, actor, d.token)) return conn.close(Close.AUTHENTICATION_FAILED, "Authentication failed");

  // From here on everything is synchronous, so no event can slip between READY and the subscriptions.
  session.sessionHash = actor.sessionHash;
  ctx.registry.add(session);
  for (const guildId of bundle.guildIds) ctx.registry.subscribe(session, guildId);
  session.sink = conn;
  conn.session = session;
  conn.authenticating = false;
  // A bot in many guilds gets them all in this turn: not held against the backpressure bound.
  conn.burst(() => {
    session.dispatch("READY", JSON.stringify(bundle.ready), false);
    for (const guild of bundle.guildCreates) session.dispatch("GUILD_CREATE", JSON.stringify(guild));
  });

  // The session works without presence; a store hiccup must not cost the client its connection.
  await ctx.presence.set(user.id, presence, session.guildIds).catch((error) => ctx.log("gateway: presence update failed", error));
  await announceSessions(ctx.registry, ctx.presence, user.id, session, presence).catch((error) =>
    ctx.log("gateway: sessions replace failed", error),
  );
}

export async function resume(ctx: GatewayContext, conn: Connection, d: unknown): Promise<void> {
  if (conn.session || conn.authenticating) return conn.close(Close.ALREADY_AUTHENTICATED, "Already authenticated");
  if (!isObject(d) || typeof d.token !== "string" || typeof d.session_id !== "string") {
    return conn.close(Close.DECODE_ERROR, "Invalid resume payload");
  }
  conn.authenticating = true;
  const actor = await authenticate(ctx, d.token);
  if (conn.closed) return;
  conn.authenticating = false;
  if (!actor || !stillValid(ctx, actor, d.token)) return conn.close(Close.AUTHENTICATION_FAILED, "Authentication failed");

  const session = ctx.registry.byId.get(d.session_id);
  const seq = typeof d.seq === "number" ? d.seq : 0;
  const missed = session && !session.ended && session.userId === actor.user.id ? session.after(seq) : null;
  if (!session || !missed) {
    conn.sendOp(Op.INVALID_SESSION, false);
    return conn.awaitIdentify();
  }

  // A socket that has not noticed it is dead yet loses the session to the new one.
  const stale = session.sink as Connection | null;
  if (stale && stale !== conn) {
    stale.session = null;
    stale.close(Close.UNKNOWN_ERROR, "Session resumed elsewhere");
  }
  if (session.expiry) clearTimeout(session.expiry);
  session.expiry = null;
  session.sink = conn;
  session.sessionHash = actor.sessionHash; // this socket's credential is the one a logout must now end
  conn.session = session;
  conn.burst(() => {
    for (const entry of missed) conn.sendDispatch(dispatchFrame(entry.t, entry.s, entry.d));
  });
  // As upstream and Discord: RESUMED carries the current `s` and does not advance it.
  session.notify("RESUMED", "null");
}
