/**
 * One gateway connection per signed-in tab: IDENTIFY, heartbeats, and RESUME after a drop so
 * events sent meanwhile are replayed (not lost, not duplicated). JSON, zstd-stream compressed.
 */
import { ZstdStreamDecoder } from "./zstd-stream.ts";

export type ConnectionStatus = "connecting" | "ready" | "reconnecting" | "closed";

export interface GatewayHandlers {
  onDispatch(type: string, data: unknown): void;
  onStatus(status: ConnectionStatus): void;
  /** The session is gone (a fresh IDENTIFY follows): cached state may have missed events. */
  onSessionReset(): void;
  /** The token was refused (4004): the client must sign in again. */
  onAuthFailed(): void;
}

interface Frame {
  op: number;
  d?: unknown;
  s?: number | null;
  t?: string | null;
}

const Op = { Dispatch: 0, Heartbeat: 1, Identify: 2, Resume: 6, Reconnect: 7, InvalidSession: 9, Hello: 10, HeartbeatAck: 11 } as const;
/** Close codes after which reconnecting cannot help. */
const fatalCloseCodes = new Set([4004, 4010, 4011, 4012]);
const backoffMs = [300, 1000, 2000, 4000, 8000];

export class GatewayConnection {
  private socket: WebSocket | null = null;
  private sessionId: string | null = null;
  private seq: number | null = null;
  private heartbeatTimer: ReturnType<typeof setTimeout> | null = null;
  private reconnectTimer: ReturnType<typeof setTimeout> | null = null;
  private awaitingAck = false;
  private attempts = 0;
  private stopped = false;

  constructor(
    private readonly url: string,
    private readonly token: string,
    private readonly handlers: GatewayHandlers,
  ) {}

  start() {
    this.stopped = false;
    this.open("connecting");
  }

  stop() {
    this.stopped = true;
    this.clearTimers();
    this.socket?.close(1000);
    this.socket = null;
    this.handlers.onStatus("closed");
  }

  private open(status: ConnectionStatus) {
    this.handlers.onStatus(status);
    const socket = new WebSocket(`${this.url}?v=1&encoding=json&compress=zstd-stream&stream=1`);
    socket.binaryType = "arraybuffer";
    // Each connection is a new zstd stream.
    const decoder = new ZstdStreamDecoder();
    this.socket = socket;
    socket.onmessage = (event) => {
      const text = typeof event.data === "string" ? event.data : decoder.decode(event.data as ArrayBuffer);
      this.receive(JSON.parse(text) as Frame);
    };
    socket.onclose = (event) => {
      if (this.socket !== socket) return;
      this.socket = null;
      this.clearTimers();
      if (this.stopped) return;
      if (event.code === 4004) return this.handlers.onAuthFailed();
      if (fatalCloseCodes.has(event.code)) return this.handlers.onStatus("closed");
      this.scheduleReconnect();
    };
  }

  private scheduleReconnect() {
    const delay = backoffMs[Math.min(this.attempts, backoffMs.length - 1)] ?? 8000;
    this.attempts += 1;
    this.handlers.onStatus("reconnecting");
    this.reconnectTimer = setTimeout(() => this.open("reconnecting"), delay);
  }

  private receive(frame: Frame) {
    if (typeof frame.s === "number") this.seq = frame.s;
    switch (frame.op) {
      case Op.Hello:
        this.startHeartbeats((frame.d as { heartbeat_interval: number }).heartbeat_interval);
        this.identifyOrResume();
        return;
      case Op.HeartbeatAck:
        this.awaitingAck = false;
        return;
      case Op.Heartbeat:
        this.send({ op: Op.Heartbeat, d: this.seq });
        return;
      case Op.Reconnect:
        this.socket?.close(4000);
        return;
      case Op.InvalidSession:
        if (!frame.d) this.forgetSession();
        // Upstream asks for a short random wait before identifying again.
        setTimeout(() => this.identifyOrResume(), 500 + Math.random() * 1000);
        return;
      case Op.Dispatch:
        this.dispatch(frame.t ?? "", frame.d);
        return;
    }
  }

  private dispatch(type: string, data: unknown) {
    if (type === "READY") {
      this.sessionId = (data as { session_id: string }).session_id;
      this.attempts = 0;
      this.handlers.onStatus("ready");
    } else if (type === "RESUMED") {
      this.attempts = 0;
      this.handlers.onStatus("ready");
    }
    this.handlers.onDispatch(type, data);
  }

  private identifyOrResume() {
    if (this.sessionId) {
      this.send({ op: Op.Resume, d: { token: this.token, session_id: this.sessionId, seq: this.seq } });
      return;
    }
    this.send({
      op: Op.Identify,
      d: { token: this.token, properties: { os: navigator.platform || "web", browser: "Fluxer Appliance Web", device: "" } },
    });
  }

  private forgetSession() {
    if (this.sessionId) this.handlers.onSessionReset();
    this.sessionId = null;
    this.seq = null;
  }

  private startHeartbeats(interval: number) {
    this.awaitingAck = false;
    const beat = () => {
      // No ack since the last beat: the link is dead even if the socket has not noticed.
      if (this.awaitingAck) {
        this.socket?.close(4000);
        return;
      }
      this.awaitingAck = true;
      this.send({ op: Op.Heartbeat, d: this.seq });
      this.heartbeatTimer = setTimeout(beat, interval);
    };
    // The first beat is jittered, as upstream clients do, so reconnect storms spread out.
    this.heartbeatTimer = setTimeout(beat, interval * Math.random());
  }

  private send(frame: Frame) {
    if (this.socket?.readyState === WebSocket.OPEN) this.socket.send(JSON.stringify(frame));
  }

  private clearTimers() {
    if (this.heartbeatTimer) clearTimeout(this.heartbeatTimer);
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    this.heartbeatTimer = null;
    this.reconnectTimer = null;
  }
}
