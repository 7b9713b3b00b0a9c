/**
 * Gateway fuzz: a fixed seed's worth of hostile frames over real sockets (plain and zstd-stream),
 * each connection closed with the code the protocol fixes, and the server still serving after.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { TestUser } from "../support/harness.ts";
import { type FuzzCase, fuzzCases, type Outcome, prng, type WireFrame } from "./fuzz-cases.ts";
import { type GatewayClient, until, ZstdFrameWriter } from "./gateway-client.ts";
import { type GatewayServer, guildWithMembers, startGatewayServer } from "./gateway-world.ts";

const SEED = 0x5eedf1;
const CASES = 600;
const PARALLEL = 16;
const LIMITS = { maxFrameBytes: 4096, framesPerWindow: 30 };
const WAIT_MS = 5000;

type Seen = { closed: number } | "acked" | "op9";

function describeOutcome(outcome: Outcome): string {
  if (outcome === "open" || outcome === "hangup") return outcome;
  if ("close" in outcome) return `close ${outcome.close}`;
  if ("invalidSession" in outcome) return `op 9 then close ${outcome.invalidSession}`;
  return `open or close ${outcome.openOr}`;
}

describe("gateway fuzz", () => {
  let server: GatewayServer;
  let users: TestUser[];
  let guild: { id: string; channelId: string };
  let owner: TestUser;
  const crashes: unknown[] = [];
  const onCrash = (error: unknown) => void crashes.push(error);

  before(async () => {
    process.on("unhandledRejection", onCrash);
    process.on("uncaughtException", onCrash);
    server = await startGatewayServer({
      gateway: {
        // No pings from the server during a case: every frame on the wire is one the case chose.
        heartbeat_interval_ms: 60_000,
        heartbeat_timeout_ms: 120_000,
        max_frame_bytes: LIMITS.maxFrameBytes,
        frames_per_window: LIMITS.framesPerWindow,
        invalid_session_close_ms: 100,
        resume_window_ms: 300,
      },
    });
    const world = await guildWithMembers(server, "fz_owner", "fz_a", "fz_b", "fz_c");
    users = world.members;
    owner = world.owner;
    guild = world.guild;
  });
  after(async () => {
    await server.close();
    process.off("unhandledRejection", onCrash);
    process.off("uncaughtException", onCrash);
  });

  /** Plays one case; returns what went wrong, or null. */
  async function play(index: number, c: FuzzCase): Promise<string | null> {
    const rng = prng(SEED + index);
    const client: GatewayClient = await server.connect({ compress: c.compressed, answerPings: false });
    const writer = c.compressed ? new ZstdFrameWriter() : null;
    let beats = 0;
    const open = () => client.ws.readyState === client.ws.OPEN;
    const send = (frame: WireFrame) => {
      if (!open()) return; // closed by an earlier frame of the case (a flood is closed at its limit)
      if ("json" in frame) {
        const text = JSON.stringify(frame.json);
        if ((frame.json as { op?: unknown } | null)?.op === 1) beats++;
        // On a compressed connection a client may send either: the app sends zstd, tools send text.
        client.ws.send(writer && rng.next() < 0.6 ? writer.write(text) : text);
      } else if ("text" in frame) {
        if (frame.text.startsWith('{"op":1,')) beats++;
        client.ws.send(frame.text);
      } else if ("invalidUtf8" in frame) {
        client.ws.send(frame.invalidUtf8, { binary: false });
      } else {
        client.ws.send(frame.binary, { binary: true });
      }
    };
    try {
      await client.next((f) => f.op === 10, "HELLO");
      if (c.identified) {
        client.identify((users[index % users.length] as TestUser).token);
        await client.dispatch("READY");
      }
      for (const frame of c.frames) send(frame);
      if (c.expect === "hangup") return null; // the finally hangs up; the leak check below judges it
      const expectsOpen = c.expect === "open" || "openOr" in c.expect;
      if (expectsOpen) send({ json: { op: 1, d: null } });
      const seen = await outcome(client, expectsOpen ? beats : null);
      const wanted = c.expect as Exclude<Outcome, "hangup">;
      const ok =
        wanted === "open"
          ? seen === "acked"
          : "close" in wanted
            ? typeof seen === "object" && seen.closed === wanted.close
            : "invalidSession" in wanted
              ? client.frames.some((f) => f.op === 9 && f.d === false) && typeof seen === "object" && seen.closed === wanted.invalidSession
              : seen === "acked" || (typeof seen === "object" && seen.closed === wanted.openOr);
      return ok
        ? null
        : `#${index} ${c.kind}${c.compressed ? " (zstd)" : ""}: expected ${describeOutcome(wanted)}, got ${JSON.stringify(seen)}`;
    } catch (error) {
      return `#${index} ${c.kind}: ${(error as Error).message}`;
    } finally {
      if (open()) client.ws.close(1000);
      client.ws.terminate();
    }
  }

  /** Waits for the socket to close, or (when `beats` is given) for that many HEARTBEAT_ACKs. */
  async function outcome(client: GatewayClient, beats: number | null): Promise<Seen> {
    const closed = client.closed.then(({ code }) => ({ closed: code }));
    const acked =
      beats === null
        ? new Promise<never>(() => {})
        : client.next(() => client.frames.filter((f) => f.op === 11).length >= beats, "HEARTBEAT_ACKs").then(() => "acked" as const);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no outcome within ${WAIT_MS} ms; got ${client.frames.map((f) => f.t ?? `op${f.op}`).join(",")}`)),
        WAIT_MS,
      );
    });
    try {
      // A socket closed before all ACKs came is a close; `next` rejects on it, so closes win the race.
      return await Promise.race([closed, acked.catch(() => closed), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  it(`${CASES} seeded cases of hostile frames get the close codes the protocol fixes`, async () => {
    const cases = fuzzCases(SEED, CASES, { ...LIMITS, tokens: users.map((u) => u.token) });
    const failures: string[] = [];
    let next = 0;
    const worker = async () => {
      while (next < cases.length) {
        const index = next++;
        const failure = await play(index, cases[index] as FuzzCase);
        if (failure) failures.push(failure);
      }
    };
    await Promise.all(Array.from({ length: PARALLEL }, worker));
    const frames = cases.reduce((sum, c) => sum + c.frames.length, 0);
    assert.ok(frames >= 2000, `a few thousand frames (${frames})`);
    const kinds = new Set(cases.map((c) => c.kind));
    assert.ok(kinds.size >= 25, `every kind of case drawn (${[...kinds].join(", ")})`);
    assert.deepEqual(failures.slice(0, 20), [], `${failures.length} of ${cases.length} cases failed`);
    assert.equal(server.app.gateway.stats().closes[4000], undefined, "no frame made a handler throw (4000)");
    // Nothing left behind: every socket is gone, and every session once its resume window passed.
    await until(
      () => {
        const { connections, sessions } = server.app.gateway.stats();
        return connections === 0 && sessions === 0;
      },
      `sockets and sessions to be released (${JSON.stringify(server.app.gateway.stats())})`,
    );
  });

  it("keeps serving afterwards: a normal client identifies and gets its messages, and nothing crashed", async () => {
    const client = await server.login(users[0] as TestUser);
    const sent = await server.request("POST", `/channels/${guild.channelId}/messages`, {
      token: owner.token,
      body: { content: "still here" },
    });
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    await client.dispatch("MESSAGE_CREATE", (d) => d.id === sent.body.id);
    await client.close();
    assert.deepEqual(crashes, []);
  });
});
