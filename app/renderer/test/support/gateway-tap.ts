import { Decompress } from "fzstd";
import type { Page, WebSocketRoute } from "playwright-core";

/** A gateway the test can cut: every socket goes through a route that can drop and hold it. */
export class GatewayTap {
  blocked = false;
  current: { page: WebSocketRoute; server: WebSocketRoute } | null = null;
  clientOps: number[] = [];
  dispatches: string[] = [];
  binaryFrames = 0;

  async install(page: Page) {
    await page.routeWebSocket(/\/gateway/, (socket) => {
      if (this.blocked) {
        void socket.close({ code: 4000, reason: "test: gateway unreachable" });
        return;
      }
      const server = socket.connectToServer();
      this.current = { page: socket, server };
      // The client asks for zstd-stream: read the server's frames with a decoder of our own.
      const decoder = new Decompress((chunk) => decoded.push(chunk));
      let decoded: Uint8Array[] = [];
      socket.onMessage((message) => {
        if (typeof message === "string") this.clientOps.push(JSON.parse(message).op);
        server.send(message);
      });
      server.onMessage((message) => {
        decoded = [];
        if (typeof message !== "string") decoder.push(new Uint8Array(message));
        const frame = JSON.parse(typeof message === "string" ? message : Buffer.concat(decoded).toString("utf8"));
        this.binaryFrames += typeof message === "string" ? 0 : 1;
        if (frame.op === 0) this.dispatches.push(frame.t);
        socket.send(message);
      });
    });
  }

  /** Drops the connection as a network failure would, and refuses new ones while blocked. */
  async cut() {
    this.blocked = true;
    const current = this.current;
    this.current = null;
    await current?.server.close({ code: 4000, reason: "test: cut" });
    await current?.page.close({ code: 4000, reason: "test: cut" });
  }
}
