/**
 * A minimal WebSocket client (RFC 6455) for the listeners. A hundred sockets receiving tens of
 * thousands of frames per second on one core would spend more time in a general-purpose client's
 * stream machinery than the server spends sending them; this one reads with `onread` into one
 * shared buffer and hands each frame's payload over in place, without copying it.
 */
import { createHash, randomBytes } from "node:crypto";
import net from "node:net";
import { assertLoopback } from "./rest-client.ts";

export interface MiniSocketEvents {
  /** The upgrade is done; called before any message (which may have come in the same read). */
  open(socket: MiniWebSocket): void;
  /** One complete text or binary message; `payload` is only valid during the call. */
  message(payload: Buffer): void;
  close(code: number): void;
}

const GUID = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";
// Every read lands here; whatever part of a frame is left over is copied out before the next.
const shared = Buffer.allocUnsafe(256 * 1024);

export interface FrameHeader {
  fin: boolean;
  opcode: number;
  masked: boolean;
  headerBytes: number;
  length: number;
}

/** The header of the frame at `offset`, or null when `data` does not hold all of it yet. */
export function readFrameHeader(data: Buffer, offset: number): FrameHeader | null {
  if (offset + 2 > data.length) return null;
  const b0 = data[offset] as number;
  const b1 = data[offset + 1] as number;
  let length = b1 & 0x7f;
  let headerBytes = 2;
  if (length === 126) {
    if (offset + 4 > data.length) return null;
    length = data.readUInt16BE(offset + 2);
    headerBytes = 4;
  } else if (length === 127) {
    if (offset + 10 > data.length) return null;
    length = Number(data.readBigUInt64BE(offset + 2));
    headerBytes = 10;
  }
  const masked = (b1 & 0x80) !== 0;
  if (masked) headerBytes += 4;
  return { fin: (b0 & 0x80) !== 0, opcode: b0 & 0x0f, masked, headerBytes, length };
}

/** A client frame: always masked, as the protocol requires. */
export function encodeClientFrame(opcode: number, payload: Buffer): Buffer {
  const length = payload.length;
  const extra = length < 126 ? 0 : length < 65536 ? 2 : 8;
  const frame = Buffer.allocUnsafe(2 + extra + 4 + length);
  frame[0] = 0x80 | opcode;
  if (extra === 0) frame[1] = 0x80 | length;
  else if (extra === 2) {
    frame[1] = 0x80 | 126;
    frame.writeUInt16BE(length, 2);
  } else {
    frame[1] = 0x80 | 127;
    frame.writeBigUInt64BE(BigInt(length), 2);
  }
  const mask = randomBytes(4);
  mask.copy(frame, 2 + extra);
  const start = 2 + extra + 4;
  for (let i = 0; i < length; i++) frame[start + i] = (payload[i] as number) ^ (mask[i & 3] as number);
  return frame;
}

export class MiniWebSocket {
  private pending: Buffer | null = null;
  private fragments: Buffer[] | null = null;
  private upgraded = false;
  private closeSent = false;
  private closeCode = 1006;
  private ended = false;

  private constructor(
    private readonly socket: net.Socket,
    private readonly events: MiniSocketEvents,
    private readonly expectedAccept: string,
  ) {}

  /** Opens the socket and completes the upgrade handshake. */
  static connect(url: string, events: MiniSocketEvents, timeoutMs = 10_000): Promise<MiniWebSocket> {
    assertLoopback(url.replace(/^ws/, "http"));
    const target = new URL(url);
    const key = randomBytes(16).toString("base64");
    const accept = createHash("sha1")
      .update(key + GUID)
      .digest("base64");
    return new Promise((resolve, reject) => {
      let client: MiniWebSocket | null = null;
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`WebSocket upgrade timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      const socket = net.connect({
        host: target.hostname,
        port: Number(target.port || 80),
        onread: {
          buffer: shared,
          callback: (bytes: number, buffer: Uint8Array) => {
            client?.onRead(Buffer.from(buffer.buffer, buffer.byteOffset, bytes), (error) => {
              clearTimeout(timer);
              if (error) {
                socket.destroy();
                reject(error);
              } else resolve(client as MiniWebSocket);
            });
            return true; // keep reading
          },
        },
      });
      client = new MiniWebSocket(socket, events, accept);
      socket.setNoDelay(true);
      socket.on("connect", () => {
        socket.write(
          `GET ${target.pathname}${target.search} HTTP/1.1\r\nHost: ${target.host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
            `Sec-WebSocket-Key: ${key}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
        );
      });
      socket.on("error", (error) => {
        if (!client?.upgraded) {
          clearTimeout(timer);
          reject(error);
        }
      });
      socket.on("close", () => {
        clearTimeout(timer);
        if (!client?.upgraded) reject(new Error("socket closed during the WebSocket upgrade"));
        else client.finish(client.closeCode);
      });
    });
  }

  send(text: string): void {
    if (this.closeSent || this.socket.destroyed) return;
    this.socket.write(encodeClientFrame(0x1, Buffer.from(text, "utf8")));
  }

  close(code = 1000): void {
    if (!this.closeSent && !this.socket.destroyed) {
      const payload = Buffer.allocUnsafe(2);
      payload.writeUInt16BE(code, 0);
      this.socket.write(encodeClientFrame(0x8, payload));
      this.closeSent = true;
    }
    this.socket.end();
    setTimeout(() => this.socket.destroy(), 1000).unref();
  }

  terminate(): void {
    this.socket.destroy();
  }

  private finish(code: number): void {
    if (this.ended) return;
    this.ended = true;
    this.events.close(code);
  }

  private onRead(chunk: Buffer, upgradeDone: (error?: Error) => void): void {
    let data = chunk;
    if (this.pending) {
      data = Buffer.concat([this.pending, chunk]);
      this.pending = null;
    }
    let offset = 0;
    if (!this.upgraded) {
      const end = data.indexOf("\r\n\r\n");
      if (end < 0) {
        this.pending = Buffer.from(data);
        return;
      }
      const head = data.toString("latin1", 0, end);
      const accept = /^sec-websocket-accept:\s*(\S+)/im.exec(head)?.[1];
      if (!/^HTTP\/1\.1 101 /.test(head) || accept !== this.expectedAccept) {
        upgradeDone(new Error(`WebSocket upgrade refused: ${head.split("\r\n")[0]}`));
        return;
      }
      this.upgraded = true;
      offset = end + 4;
      this.events.open(this);
      upgradeDone();
    }
    for (;;) {
      const header = readFrameHeader(data, offset);
      if (!header || offset + header.headerBytes + header.length > data.length) break;
      const start = offset + header.headerBytes;
      offset = start + header.length;
      if (header.masked) {
        // Servers never mask; one that does is broken.
        this.close(1002);
        return;
      }
      this.onFrame(header.fin, header.opcode, data.subarray(start, offset));
    }
    if (offset < data.length) this.pending = Buffer.from(data.subarray(offset));
  }

  private onFrame(fin: boolean, opcode: number, payload: Buffer): void {
    switch (opcode) {
      case 0x0: // continuation
        if (!this.fragments) return;
        this.fragments.push(Buffer.from(payload));
        if (fin) {
          const whole = Buffer.concat(this.fragments);
          this.fragments = null;
          this.events.message(whole);
        }
        return;
      case 0x1:
      case 0x2:
        if (fin) this.events.message(payload);
        else this.fragments = [Buffer.from(payload)];
        return;
      case 0x8:
        this.closeCode = payload.length >= 2 ? payload.readUInt16BE(0) : 1005;
        this.close(this.closeCode >= 1000 && this.closeCode < 5000 && this.closeCode !== 1005 ? this.closeCode : 1000);
        return;
      case 0x9:
        if (!this.closeSent && !this.socket.destroyed) this.socket.write(encodeClientFrame(0xa, Buffer.from(payload)));
        return;
      default:
        return; // pong and reserved opcodes
    }
  }
}
