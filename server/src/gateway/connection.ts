/**
 * One WebSocket: HELLO, frame limits (size, rate), heartbeats in both directions, and the
 * send path with its backpressure bound. What a frame means is the handler's business.
 */
import type { Duplex } from "node:stream";
import type { RawData, WebSocket } from "ws";
import type { Config } from "../config.ts";
import type { FrameDecoder } from "./frame-decoder.ts";
import type { FrameEncoder } from "./frame-encoder.ts";
import { Close, Op, opFrame } from "./protocol.ts";
import type { Session, SessionSink } from "./session.ts";

export interface Frame {
  op: number;
  d: unknown;
}

export interface ConnectionEvents {
  frame(connection: Connection, frame: Frame): void | Promise<void>;
  closed(connection: Connection, code: number): void;
}

/** How long a socket we closed may take to say goodbye before it is cut. */
const CLOSE_GRACE_MS = 1000;

// ws closes with these on its own for malformed input; the protocol wants 4002 for all of them.
const WS_DECODE_CLOSES = new Set([1002, 1007, 1009]);

/**
 * Sockets written to in this turn of the event loop stay corked until its end, so all the frames
 * a socket gets in one turn (a burst of messages under load) leave in one writev syscall, which
 * costs more than building the frames. Uncorked in setImmediate: after this turn's I/O callbacks.
 */
const corked: Connection[] = [];
let flushScheduled = false;

function flushCorked(): void {
  flushScheduled = false;
  // A write may cork again while flushing (nothing does today); it then waits for the next turn.
  const batch = corked.splice(0);
  for (const conn of batch) conn.flush();
}

export class Connection implements SessionSink {
  session: Session | null = null;
  /** IDENTIFY or RESUME is being processed. */
  authenticating = false;
  closed = false;
  private lastHeardAt: number;
  private lastHeartbeatAt: number;
  private pinged = false;
  private timer: NodeJS.Timeout | null = null;
  private identifyDeadline: NodeJS.Timeout | null = null;
  private windowStart = 0;
  private framesInWindow = 0;
  /** The raw socket under ws, corked while `corked` (undefined if ws ever stops exposing it). */
  private readonly socket: Duplex | undefined;
  private corked = false;
  /** Within burst(): what is written counts towards `allowance`, not against the bound. */
  private bursting = false;
  /** Bytes of a burst still allowed over the bound, until the socket has drained below it once. */
  private allowance = 0;
  private readonly sendOptions: { binary: boolean; compress: false; fin: true };

  constructor(
    private readonly ws: WebSocket,
    private readonly encoder: FrameEncoder,
    private readonly config: Config["gateway"],
    private readonly events: ConnectionEvents,
    private readonly now: () => number = Date.now,
    /** Set on zstd-stream connections: binary client frames are decompressed with it. */
    private readonly decoder: FrameDecoder | null = null,
  ) {
    this.lastHeardAt = this.lastHeartbeatAt = now();
    this.socket = (ws as unknown as { _socket?: Duplex })._socket;
    this.sendOptions = { binary: encoder.binary, compress: false, fin: true };
    const close = ws.close.bind(ws);
    ws.close = (code?: number, reason?: string | Buffer) =>
      close(code !== undefined && WS_DECODE_CLOSES.has(code) ? Close.DECODE_ERROR : code, reason);
    ws.on("message", (data, isBinary) => this.receive(data, isBinary));
    ws.on("close", (code) => this.onClose(code));
    ws.on("error", () => {}); // the close that follows is what matters
  }

  start(): void {
    this.sendOp(Op.HELLO, { heartbeat_interval: this.config.heartbeat_interval_ms });
    this.schedule();
  }

  sendOp(op: number, d?: unknown): void {
    this.write(opFrame(op, d));
  }

  sendDispatch(frame: string): void {
    this.write(frame);
  }

  overflow(): void {
    this.close(Close.ACK_BACKPRESSURE, "Ack backpressure");
  }

  /** Heartbeat from the client: `seq` is checked by the caller. */
  heartbeat(): void {
    this.lastHeartbeatAt = this.now();
    this.sendOp(Op.HEARTBEAT_ACK);
  }

  /**
   * After op 9: a client that neither identifies nor hangs up in time is closed, so that it
   * reconnects. Some SDKs (fluxerjs) otherwise keep beating on the open socket forever.
   */
  awaitIdentify(): void {
    if (this.closed || this.identifyDeadline) return; // a repeated RESUME keeps the first deadline
    this.identifyDeadline = setTimeout(() => {
      this.identifyDeadline = null;
      if (!this.session && !this.authenticating) this.close(Close.SESSION_TIMEOUT, "Invalid session: identify again");
    }, this.config.invalid_session_close_ms);
    this.identifyDeadline.unref();
  }

  close(code: number, reason = ""): void {
    if (this.closed) return;
    this.closed = true;
    this.stopTimers();
    this.ws.close(code, reason);
    // A client that does not read would never answer the close frame queued behind its backlog.
    setTimeout(() => this.ws.terminate(), CLOSE_GRACE_MS).unref();
    this.events.closed(this, code);
  }

  get bufferedAmount(): number {
    return this.ws.bufferedAmount;
  }

  /**
   * Runs `send` with the bound lifted for what it writes: READY and a bot's GUILD_CREATE burst (or a
   * resume's replay) go out in one turn, before the client could read any of it, and may be far
   * larger than `max_buffered_bytes`. Those bytes are allowed on top of the bound until the socket
   * has drained below it; a client that never reads is still closed once more arrives after them.
   */
  burst(send: () => void): void {
    this.bursting = true;
    try {
      send();
    } finally {
      this.bursting = false;
    }
  }

  /** Hands this turn's corked frames to the kernel, then applies the backpressure bound. */
  flush(): void {
    if (!this.corked) return;
    this.corked = false;
    this.socket?.uncork();
    if (!this.closed && this.overBound()) this.overflow();
  }

  private overBound(): boolean {
    const buffered = this.ws.bufferedAmount;
    if (buffered <= this.config.max_buffered_bytes) {
      this.allowance = 0; // a burst so far has drained: from here on the plain bound applies
      return false;
    }
    return buffered > this.config.max_buffered_bytes + this.allowance;
  }

  private write(text: string): void {
    if (this.closed) return;
    if (!this.corked && this.socket) {
      this.corked = true;
      this.socket.cork();
      corked.push(this);
      if (!flushScheduled) {
        flushScheduled = true;
        setImmediate(flushCorked);
      }
    }
    const data = this.encoder.encode(text);
    // 14: the largest WebSocket frame header a server writes.
    if (this.bursting) this.allowance += (typeof data === "string" ? Buffer.byteLength(data) : data.length) + 14;
    this.ws.send(data, this.sendOptions);
    // Corked bytes count too: flush them first, so only what the kernel refused counts, as without corking.
    if (this.overBound()) {
      this.flush();
      if (!this.closed && this.overBound()) this.overflow();
    }
  }

  private receive(data: RawData, isBinary: boolean): void {
    if (this.closed) return;
    const at = this.now();
    const wasPinged = this.pinged;
    this.lastHeardAt = at;
    this.pinged = false;
    if (wasPinged) this.schedule();
    if (at - this.windowStart >= this.config.frame_window_ms) {
      this.windowStart = at;
      this.framesInWindow = 0;
    }
    if (++this.framesInWindow > this.config.frames_per_window) {
      this.close(Close.RATE_LIMITED, "Rate limited");
      return;
    }
    const bytes = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
    if (bytes.length > this.config.max_frame_bytes) {
      this.close(Close.DECODE_ERROR, "Payload too large");
      return;
    }
    let text: string;
    if (isBinary && this.decoder) {
      const decoded = this.decoder.decode(bytes);
      if (!decoded.ok) {
        this.close(Close.DECODE_ERROR, decoded.reason === "too_large" ? "Payload too large" : "Decode error");
        return;
      }
      text = decoded.text;
    } else {
      text = bytes.toString("utf8"); // text frames stay plain JSON, on any connection
    }
    let frame: unknown;
    try {
      frame = JSON.parse(text);
    } catch {
      frame = null;
    }
    if (!frame || typeof frame !== "object" || !Number.isInteger((frame as Frame).op)) {
      this.close(Close.DECODE_ERROR, "Decode error");
      return;
    }
    try {
      const result = this.events.frame(this, { op: (frame as Frame).op, d: (frame as Frame).d ?? null });
      if (result) result.catch(() => this.close(Close.UNKNOWN_ERROR, "Unknown error"));
    } catch {
      this.close(Close.UNKNOWN_ERROR, "Unknown error");
    }
  }

  /** Wakes at the next moment something is due: our op 1 after 90% of the interval of silence, or 4009. */
  private schedule(): void {
    this.stopTimer();
    if (this.closed) return;
    const { heartbeat_interval_ms: interval, heartbeat_timeout_ms: timeout } = this.config;
    const pingAt = this.pinged ? Number.POSITIVE_INFINITY : this.lastHeardAt + interval * 0.9;
    const due = Math.min(pingAt, this.lastHeartbeatAt + timeout);
    this.timer = setTimeout(() => this.tick(), Math.max(1, due - this.now()));
    this.timer.unref();
  }

  private tick(): void {
    const at = this.now();
    if (at - this.lastHeartbeatAt >= this.config.heartbeat_timeout_ms) {
      this.close(Close.SESSION_TIMEOUT, "Session timed out");
      return;
    }
    if (!this.pinged && at - this.lastHeardAt >= this.config.heartbeat_interval_ms * 0.9) {
      this.pinged = true;
      this.sendOp(Op.HEARTBEAT, null);
    }
    this.schedule();
  }

  private stopTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private stopTimers(): void {
    this.stopTimer();
    if (this.identifyDeadline) clearTimeout(this.identifyDeadline);
    this.identifyDeadline = null;
  }

  private onClose(code: number): void {
    this.encoder.close();
    this.decoder?.close();
    if (this.closed) return;
    this.closed = true;
    this.stopTimers();
    this.events.closed(this, code);
  }
}
