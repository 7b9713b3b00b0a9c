/**
 * One listening gateway session: HELLO → IDENTIFY → READY, heartbeats that acknowledge what it
 * has received, and MESSAGE_CREATE timing. At tens of thousands of frames per second the driver
 * must stay cheap, so MESSAGE_CREATE frames are read for `s` and `nonce` without JSON.parse.
 */
import { MiniWebSocket } from "./ws-client.ts";

const T_MESSAGE_CREATE = Buffer.from('"t":"MESSAGE_CREATE"');
const KEY_SEQ = Buffer.from('"s":');
const KEY_NONCE = Buffer.from('"nonce":');

/** The decimal number (optionally quoted) starting at byte `i`, parsed in place; NaN when there is none. */
function numberAt(frame: Buffer, i: number): number {
  while (frame[i] === 0x20) i++;
  if (frame[i] === 0x22) i++; // opening quote
  let sign = 1;
  if (frame[i] === 0x2d) {
    sign = -1;
    i++;
  }
  let value = 0;
  let digits = 0;
  let c = frame[i] as number;
  for (; c >= 0x30 && c <= 0x39; c = frame[++i] as number, digits++) value = value * 10 + (c - 0x30);
  if (c === 0x2e) {
    let fraction = 0;
    let scale = 1;
    for (c = frame[++i] as number; c >= 0x30 && c <= 0x39; c = frame[++i] as number, digits++) {
      fraction = fraction * 10 + (c - 0x30);
      scale *= 10;
    }
    value += fraction / scale;
  }
  return digits > 0 ? sign * value : Number.NaN;
}

/** `s` and the nonce of a MESSAGE_CREATE frame, or null for any other frame. */
export function readMessageCreate(frame: Buffer): { seq: number; nonce: number } | null {
  if (frame.indexOf(T_MESSAGE_CREATE) < 0) return null;
  const seqAt = frame.indexOf(KEY_SEQ);
  // A message's nonce sits near the end of its object: search from there.
  const nonceAt = frame.lastIndexOf(KEY_NONCE);
  return {
    seq: seqAt < 0 ? Number.NaN : numberAt(frame, seqAt + KEY_SEQ.length),
    nonce: nonceAt < 0 ? Number.NaN : numberAt(frame, nonceAt + KEY_NONCE.length),
  };
}

export interface ListenerEvents {
  delivery(nonceMs: number, receivedAt: number): void;
  /** A MESSAGE_CREATE whose nonce could not be read */
  unreadable(): void;
  closed(code: number): void;
}

export interface ListenerOptions {
  url: string;
  identify: unknown;
  now: () => number;
  events: ListenerEvents;
  /** Heartbeat (and so acknowledge) at least this often, below the server's interval when it is longer. */
  ackIntervalMs: number;
  readyTimeoutMs: number;
}

export class GatewayListener {
  private seq: number | null = null;
  private beat: NodeJS.Timeout | null = null;
  private closedByUs = false;
  private ready = false;
  private socket: MiniWebSocket | null = null;
  private settle: ((error?: Error) => void) | null = null;

  private constructor(private readonly options: ListenerOptions) {}

  /** Resolves once READY has arrived. */
  static async connect(options: ListenerOptions): Promise<GatewayListener> {
    const listener = new GatewayListener(options);
    const ready = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => listener.settle?.(new Error(`no READY within ${options.readyTimeoutMs} ms`)), options.readyTimeoutMs);
      listener.settle = (error) => {
        clearTimeout(timer);
        listener.settle = null;
        if (error) {
          listener.close();
          reject(error);
        } else resolve();
      };
    });
    try {
      await MiniWebSocket.connect(options.url, {
        open: (socket) => {
          listener.socket = socket;
        },
        message: (payload) => listener.onMessage(payload),
        close: (code) => listener.onClose(code),
      });
    } catch (error) {
      listener.settle?.(error as Error);
    }
    await ready;
    return listener;
  }

  close(): void {
    this.closedByUs = true;
    this.stopBeat();
    this.socket?.close(1000);
  }

  private onClose(code: number): void {
    this.stopBeat();
    if (!this.ready) this.settle?.(new Error(`gateway closed ${code} before READY`));
    else if (!this.closedByUs) this.options.events.closed(code);
  }

  private onMessage(data: Buffer): void {
    const { options } = this;
    const at = options.now();
    const message = readMessageCreate(data);
    if (message) {
      if (Number.isFinite(message.seq)) this.seq = message.seq;
      if (Number.isFinite(message.nonce)) options.events.delivery(message.nonce, at);
      else options.events.unreadable();
      return;
    }
    const frame = JSON.parse(data.toString("utf8")) as {
      op: number;
      d?: { heartbeat_interval?: unknown } | null;
      s?: number | null;
      t?: string | null;
    };
    if (typeof frame.s === "number") this.seq = frame.s;
    if (frame.op === 10) {
      const interval = Number(frame.d?.heartbeat_interval) || options.ackIntervalMs;
      this.stopBeat();
      this.beat = setInterval(() => this.heartbeat(), Math.min(interval, options.ackIntervalMs));
      this.send({ op: 2, d: options.identify });
    } else if (frame.op === 1) {
      this.heartbeat();
    } else if (frame.op === 0 && frame.t === "READY" && !this.ready) {
      this.ready = true;
      this.settle?.();
    }
  }

  private heartbeat(): void {
    this.send({ op: 1, d: this.seq });
  }

  private send(frame: unknown): void {
    this.socket?.send(JSON.stringify(frame));
  }

  private stopBeat(): void {
    if (this.beat) clearInterval(this.beat);
    this.beat = null;
  }
}
