/** Loopback helpers for engines: a free port, and a request/answer probe over TCP. */
import { createConnection, createServer } from "node:net";

export const LOOPBACK = "127.0.0.1";

export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, LOOPBACK, () => {
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Sends `request` and resolves true once the answer contains `expect` (false on error, close or after `timeoutMs`). */
export function tcpProbe(port: number, request: string, expect: string, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: LOOPBACK, port });
    let received = "";
    let done = false;
    const finish = (ok: boolean) => {
      if (done) return;
      done = true;
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.once("error", () => finish(false));
    socket.once("connect", () => socket.write(request));
    socket.on("data", (chunk) => {
      received += chunk.toString("utf8");
      if (received.includes(expect)) finish(true);
    });
    socket.once("close", () => finish(received.includes(expect)));
  });
}

/** A RESP command as Valkey reads it. */
export function respCommand(...parts: string[]): string {
  return `*${parts.length}\r\n${parts.map((part) => `$${Buffer.byteLength(part)}\r\n${part}\r\n`).join("")}`;
}
