/** What each client opcode does once a frame has passed the connection's limits. */
import type { Connection, Frame } from "./connection.ts";
import type { GatewayContext } from "./context.ts";
import { identify, parsePresence, resume } from "./identify.ts";
import { lazyRequest, requestGuildMembers } from "./member-requests.ts";
import { Close, IGNORED_OPS, Op } from "./protocol.ts";
import { setSessionPresence } from "./sessions-replace.ts";

export function createFrameHandler(ctx: GatewayContext) {
  const refreshedAt = new WeakMap<object, number>();

  function heartbeat(conn: Connection, d: unknown): void {
    const session = conn.session;
    // Before RESUME a client may beat with the old session's seq: nothing to check it against yet.
    if (typeof d === "number" && session) {
      if (d > session.seq) {
        conn.close(Close.INVALID_SEQ, "Invalid seq");
        return;
      }
      session.ack(d);
    }
    conn.heartbeat();
    if (session) {
      // Keeps the presence key alive without writing to the store on every beat.
      const now = Date.now();
      if (now - (refreshedAt.get(session) ?? now) > ctx.config.presence_ttl_ms / 2) {
        void ctx.presence.refresh(session.userId).catch((error) => ctx.log("gateway: presence refresh failed", error));
        refreshedAt.set(session, now);
      } else if (!refreshedAt.has(session)) refreshedAt.set(session, now);
    }
  }

  return (conn: Connection, frame: Frame): void | Promise<void> => {
    switch (frame.op) {
      case Op.HEARTBEAT:
        return heartbeat(conn, frame.d);
      case Op.IDENTIFY:
        return identify(ctx, conn, frame.d);
      case Op.RESUME:
        return resume(ctx, conn, frame.d);
      case Op.PRESENCE_UPDATE:
      case Op.VOICE_STATE_UPDATE:
      case Op.VOICE_SERVER_PING:
      case Op.REQUEST_GUILD_MEMBERS:
      case Op.LAZY_REQUEST:
        break;
      default:
        if (!IGNORED_OPS.has(frame.op)) return conn.close(Close.UNKNOWN_OPCODE, "Unknown opcode");
    }
    const session = conn.session;
    if (!session) return conn.close(Close.NOT_AUTHENTICATED, "Not authenticated");
    switch (frame.op) {
      case Op.PRESENCE_UPDATE: {
        const presence = parsePresence(frame.d);
        if (!presence) return conn.close(Close.DECODE_ERROR, "Invalid presence");
        return setSessionPresence(ctx.registry, ctx.presence, session, presence).catch((error) =>
          ctx.log("gateway: presence update failed", error),
        );
      }
      case Op.REQUEST_GUILD_MEMBERS:
        return requestGuildMembers(ctx, session, frame.d);
      case Op.LAZY_REQUEST:
        return lazyRequest(ctx, session, frame.d);
      default:
        return; // voice (ops 4 and 5) and IGNORED_OPS are not served by this build: accepted and ignored
    }
  };
}
