/**
 * attachGateway: the WebSocket gateway on `/gateway` of the app's HTTP server. Builds the
 * gateway's parts, takes the upgrades, subscribes to the bus, and tears it all down on close.
 */
import type { IncomingMessage, Server } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer } from "ws";
import type { Deps } from "../deps.ts";
import type { AuthService } from "../features/auth/auth.service.ts";
import { Connection } from "./connection.ts";
import type { GatewayContext } from "./context.ts";
import { createDispatcher } from "./dispatcher.ts";
import { zstdStreamDecoder } from "./frame-decoder.ts";
import { plainEncoder, zstdStreamEncoder } from "./frame-encoder.ts";
import { createFrameHandler } from "./frame-handler.ts";
import { createGuildPayloads } from "./guild-payload.ts";
import { createMemberLists } from "./member-list.ts";
import { createPresence } from "./presence.ts";
import { Close, SESSION_ENDING_CLOSES } from "./protocol.ts";
import type { Session } from "./session.ts";
import { SessionRegistry } from "./session-registry.ts";
import { announceSessions } from "./sessions-replace.ts";
import { createSettingsPresence } from "./settings-presence.ts";
import { createVisibility } from "./visibility.ts";

export const GATEWAY_PATH = "/gateway";

export interface Gateway {
  /** Live sockets and sessions (a session may be waiting for a resume without a socket). */
  stats(): { connections: number; sessions: number; closes: Record<number, number> };
  close(): Promise<void>;
}

export function attachGateway(server: Server, deps: Deps, auth: Pick<AuthService, "authenticate">): Gateway {
  const config = deps.config.gateway;
  const visibility = createVisibility(deps.stores, deps.clock, config.visibility_ttl_ms);
  const registry = new SessionRegistry((guildId) => visibility.invalidate(guildId));
  const presence = createPresence(deps.kv, deps.bus, config.presence_ttl_ms);
  const connections = new Set<Connection>();
  const closes: Record<number, number> = {}; // close codes seen, for tests and metrics
  let closing = false;

  const log = (message: string, error?: unknown) => {
    if (deps.config.env !== "test") process.stderr.write(`${message}${error ? `: ${(error as Error)?.message ?? error}` : ""}\n`);
  };

  function endSession(session: Session): void {
    if (session.ended) return;
    const guildIds = [...session.guildIds];
    session.end();
    registry.remove(session);
    memberLists.forget(session);
    if (closing) return;
    if (registry.userSessions(session.userId).size === 0) {
      void presence.clear(session.userId, guildIds).catch((error) => log("gateway: presence clear failed", error));
    } else {
      void announceSessions(registry, presence, session.userId, null).catch((error) => log("gateway: sessions replace failed", error));
    }
  }

  const memberLists = createMemberLists(deps, presence, log);

  const ctx: GatewayContext = {
    deps,
    config,
    auth,
    registry,
    visibility,
    presence,
    payloads: createGuildPayloads(deps, visibility, presence),
    memberLists,
    endSession,
    log,
  };
  const dispatcher = createDispatcher(ctx);
  const handleFrame = createFrameHandler(ctx);

  function closed(conn: Connection, code: number): void {
    connections.delete(conn);
    closes[code] = (closes[code] ?? 0) + 1;
    const session = conn.session;
    conn.session = null;
    if (!session || session.sink !== conn) return; // never identified, or taken over by a RESUME
    session.sink = null;
    if (SESSION_ENDING_CLOSES.has(code) || closing) {
      endSession(session);
      return;
    }
    // The session waits for a RESUME, buffering what happens meanwhile.
    session.expiry = setTimeout(() => endSession(session), config.resume_window_ms);
    session.expiry.unref();
  }

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: config.max_frame_bytes,
    perMessageDeflate: false,
    clientTracking: false,
  });

  function onUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    const url = new URL(request.url ?? "/", "http://gateway.invalid");
    if (url.pathname !== GATEWAY_PATH && url.pathname !== `${GATEWAY_PATH}/`) {
      // Another upgrade handler may own the path; with none, refuse.
      if (server.listenerCount("upgrade") <= 1) socket.end("HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
      return;
    }
    if (closing) {
      socket.end("HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      if (url.searchParams.get("v") !== "1") {
        ws.close(Close.INVALID_API_VERSION, "Invalid API version");
        setTimeout(() => ws.terminate(), 1000).unref();
        return;
      }
      // `encoding=etf` is served as JSON, as upstream does. Compression needs both parameters: an
      // older app's socket that sends only `compress` decodes each binary frame as a whole zstd frame.
      const stream = url.searchParams.get("stream");
      const zstd = url.searchParams.get("compress") === "zstd-stream" && (stream === "1" || stream === "true");
      const conn = new Connection(
        ws,
        zstd ? zstdStreamEncoder() : plainEncoder,
        config,
        { frame: handleFrame, closed },
        Date.now,
        zstd ? zstdStreamDecoder(config.max_frame_bytes) : null,
      );
      connections.add(conn);
      conn.start();
    });
  }

  server.on("upgrade", onUpgrade);
  const settingsPresence = createSettingsPresence(registry, presence, log);
  const unsubscribe = deps.bus.subscribe((event) => {
    dispatcher.onEvent(event);
    settingsPresence(event);
  });

  return {
    stats: () => ({ connections: connections.size, sessions: registry.size, closes: { ...closes } }),
    async close() {
      if (closing) return;
      closing = true;
      unsubscribe();
      server.off("upgrade", onUpgrade);
      const users = new Set([...registry.byId.values()].map((session) => session.userId));
      for (const conn of [...connections]) conn.close(1001, "Server shutting down");
      for (const session of [...registry.byId.values()]) endSession(session); // those waiting for a resume
      // Presences this process held would otherwise stay "online" in a shared store until their TTL.
      await Promise.allSettled([...users].map((id) => presence.clear(id, [])));
      wss.close();
    },
  };
}
