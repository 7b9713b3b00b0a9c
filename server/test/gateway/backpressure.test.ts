import assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { connect, type Socket } from "node:net";
import { after, before, describe, it } from "node:test";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { registerUser, type TestUser } from "../support/harness.ts";
import { until } from "./gateway-client.ts";
import { type GatewayServer, startGatewayServer } from "./gateway-world.ts";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

/** A masked client text frame (the mask key is zero, which leaves the payload as it is). */
function clientFrame(text: string): Buffer {
  const payload = Buffer.from(text);
  const header =
    payload.length < 126
      ? Buffer.from([0x81, 0x80 | payload.length])
      : Buffer.from([0x81, 0x80 | 126, payload.length >> 8, payload.length & 0xff]);
  return Buffer.concat([header, Buffer.alloc(4), payload]);
}

/** Opens a gateway socket by hand, identifies, waits for READY, then never reads again. */
async function stubbornClient(port: number, token: string): Promise<Socket> {
  const socket = connect({ host: "127.0.0.1", port });
  await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject));
  socket.write(
    `GET /gateway?v=1&encoding=json HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n` +
      `Sec-WebSocket-Key: ${randomBytes(16).toString("base64")}\r\nSec-WebSocket-Version: 13\r\n\r\n`,
  );
  let seen = "";
  let identified = false;
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      seen += chunk.toString("latin1");
      if (!identified && seen.includes("heartbeat_interval")) {
        identified = true;
        socket.write(clientFrame(JSON.stringify({ op: 2, d: { token, properties: { os: "x", browser: "x", device: "x" } } })));
      }
      if (seen.includes('"t":"READY"')) {
        socket.off("data", onData);
        socket.pause();
        resolve();
      }
    };
    socket.on("data", onData);
    socket.once("error", reject);
  });
  return socket;
}

const memory = () => {
  gc();
  const { heapUsed, arrayBuffers } = process.memoryUsage();
  return heapUsed + arrayBuffers;
};

describe("gateway backpressure", () => {
  let server: GatewayServer;
  let user: TestUser;
  before(async () => {
    // Only the byte bound can trip here: the event-count bound is set out of reach.
    server = await startGatewayServer({ gateway: { max_buffered_bytes: 1024 * 1024, max_backlog: 1_000_000 } });
    user = await registerUser(server, "never_reads");
  });
  after(() => server.close());

  it("closes a socket that stops reading (4013) before the server's memory grows with what it is sent", async () => {
    const socket = await stubbornClient(server.port, user.token);
    assert.equal(server.app.gateway.stats().connections, 1);
    const baseline = memory();
    let peak = baseline;
    const blob = "x".repeat(16 * 1024);
    const batches = 16; // 16 batches of 256 events of 16 KiB: 64 MiB offered in all
    let closedAfterBatch = -1;
    for (let batch = 0; batch < batches; batch++) {
      for (let i = 0; i < 256; i++) {
        server.deps.bus.publish({
          type: "USER_NOTE_UPDATE",
          audience: { kind: "users", userIds: [BigInt(user.id)] },
          data: { batch, i, blob },
        });
      }
      await new Promise((r) => setImmediate(r));
      if (closedAfterBatch < 0 && server.app.gateway.stats().connections === 0) closedAfterBatch = batch;
      peak = Math.max(peak, memory());
    }
    await until(() => server.app.gateway.stats().connections === 0 && server.app.gateway.stats().sessions === 0, "the server to close it");
    assert.ok(
      closedAfterBatch >= 0 && closedAfterBatch < batches - 1,
      `closed while the volume was still coming (batch ${closedAfterBatch})`,
    );
    assert.equal(server.app.gateway.stats().closes[4013], 1, "closed with 4013");
    const grew = (peak - baseline) / (1024 * 1024);
    assert.ok(grew < 32, `server memory grew by ${grew.toFixed(1)} MiB while 64 MiB were offered`);
    socket.destroy();
  });
});
