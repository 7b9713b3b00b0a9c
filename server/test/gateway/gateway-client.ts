/**
 * A small gateway client for tests: a real `ws` socket, every frame it receives kept in order
 * (zstd-stream frames decoded with fzstd, an implementation independent of the server's), and
 * waits for the frames a test expects.
 */
import { createRequire } from "node:module";
import { Decompress } from "fzstd";
import WebSocket from "ws";

type ZstdBinding = typeof import("zstd-napi/binding.js");
const zstd = createRequire(import.meta.url)("zstd-napi/binding.js") as ZstdBinding;

/** The client side of a compressed upstream: one zstd stream, flushed after each frame (as the app does). */
export class ZstdFrameWriter {
  private readonly cctx = new zstd.CCtx();
  private readonly out = Buffer.alloc(zstd.cStreamOutSize());

  write(text: string): Buffer {
    let src = Buffer.from(text, "utf8");
    const parts: Buffer[] = [];
    for (;;) {
      const [remaining, produced, consumed] = this.cctx.compressStream2(this.out, src, zstd.EndDirective.flush);
      if (produced > 0) parts.push(Buffer.from(this.out.subarray(0, produced)));
      src = src.subarray(consumed);
      if (remaining === 0 && src.length === 0) return Buffer.concat(parts);
    }
  }
}

export interface GatewayFrame {
  op: number;
  d: any;
  s?: number | null;
  t?: string | null;
}

export interface ClientOptions {
  compress?: boolean;
  /** Send our own frames zstd-compressed too (binary frames of one stream), as the current app does. */
  compressOutgoing?: boolean;
  /** Answer the server's op 1 with a heartbeat (default true). */
  answerPings?: boolean;
  query?: string;
}

const WAIT_MS = 5000;

export class GatewayClient {
  readonly frames: GatewayFrame[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;
  lastSeq: number | null = null;
  rawBinaryFrames = 0;
  private waiters: (() => void)[] = [];
  private decoder: Decompress | null = null;
  private decoded: Uint8Array[] = [];
  readonly writer: ZstdFrameWriter | null;

  constructor(
    readonly ws: WebSocket,
    private readonly options: ClientOptions = {},
  ) {
    this.writer = options.compressOutgoing ? new ZstdFrameWriter() : null;
    if (options.compress) this.decoder = new Decompress((chunk) => this.decoded.push(chunk));
    ws.on("message", (data: Buffer, isBinary) => this.receive(data, isBinary));
    this.closed = new Promise((resolve) => {
      ws.on("close", (code, reason) => {
        resolve({ code, reason: reason.toString() });
        this.wake();
      });
    });
    ws.on("error", () => {});
  }

  static async connect(baseUrl: string, options: ClientOptions = {}): Promise<GatewayClient> {
    const query = options.query ?? `v=1&encoding=json${options.compress ? "&compress=zstd-stream&stream=1" : ""}`;
    const ws = new WebSocket(`${baseUrl}?${query}`);
    const client = new GatewayClient(ws, options);
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
    });
    return client;
  }

  private receive(data: Buffer, isBinary: boolean): void {
    let text: string;
    if (this.decoder) {
      if (!isBinary) throw new Error("a compressed connection sent a text frame");
      this.rawBinaryFrames++;
      this.decoded = [];
      this.decoder.push(new Uint8Array(data));
      text = Buffer.concat(this.decoded).toString("utf8");
    } else {
      text = data.toString("utf8");
    }
    const frame = JSON.parse(text) as GatewayFrame;
    if (typeof frame.s === "number") this.lastSeq = frame.s;
    this.frames.push(frame);
    if (frame.op === 1 && this.options.answerPings !== false) this.heartbeat();
    this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  send(op: number, d: unknown): void {
    const text = JSON.stringify({ op, d });
    this.ws.send(this.writer ? this.writer.write(text) : text);
  }

  heartbeat(seq: number | null = this.lastSeq): void {
    if (this.ws.readyState === WebSocket.OPEN) this.send(1, seq);
  }

  identify(token: string, extra: Record<string, unknown> = {}): void {
    this.send(2, { token, properties: { os: "linux", browser: "test", device: "test" }, ...extra });
  }

  /** The first frame from index `from` on that matches, waiting for it if needed. */
  async next(match: (f: GatewayFrame) => boolean, what = "frame", from = 0, timeoutMs = WAIT_MS): Promise<GatewayFrame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.frames.slice(from).find(match);
      if (found) return found;
      if (this.ws.readyState === WebSocket.CLOSED) throw new Error(`socket closed while waiting for ${what}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; got ${this.frames.map((f) => f.t ?? `op${f.op}`).join(",")}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  dispatch(t: string, match: (d: any) => boolean = () => true, from = 0): Promise<GatewayFrame> {
    return this.next((f) => f.op === 0 && f.t === t && match(f.d), t, from);
  }

  /** Dispatches of the given types received so far. */
  seen(...types: string[]): GatewayFrame[] {
    return this.frames.filter((f) => f.op === 0 && types.includes(f.t as string));
  }

  async ready(token: string, extra: Record<string, unknown> = {}): Promise<GatewayFrame> {
    await this.next((f) => f.op === 10, "HELLO");
    this.identify(token, extra);
    return this.dispatch("READY");
  }

  /** Closes and waits for the close to finish. */
  async close(code = 1000): Promise<void> {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.close(code);
    await this.closed;
  }

  /** Drops the TCP connection without a close frame, as a network failure would. */
  drop(): void {
    (this.ws as any)._socket.destroy();
  }
}

/** Resolves when `predicate` holds, polling; for server-side state only. */
export async function until(predicate: () => boolean, what: string, timeoutMs = WAIT_MS): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Lets in-flight events reach the sockets before a test checks that something did NOT arrive. */
export async function settle(client: GatewayClient, token: string): Promise<void> {
  // A heartbeat is answered in order after everything the server sent before it.
  const from = client.frames.length;
  client.heartbeat();
  await client.next((f) => f.op === 11, `HEARTBEAT_ACK (${token})`, from);
}
