/**
 * Seeded hostile gateway traffic: each case is one connection, a few harmless frames, then one
 * frame whose outcome the protocol fixes (a close code, op 9, or the socket staying open).
 */
import { ZstdFrameWriter } from "./gateway-client.ts";

/** One zstd frame of `text`, as the first frame of a client's stream. */
const zstdOf = (text: string) => new ZstdFrameWriter().write(text);

/** mulberry32: small, fast, and the same sequence for the same seed on every run. */
export function prng(seed: number) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const bytes = (length: number) => Buffer.from(Array.from({ length }, () => int(0, 255)));
  return { next, int, pick, bytes };
}
export type Rng = ReturnType<typeof prng>;

/** What goes on the wire: JSON (text, or zstd on a compressed connection), raw text, or raw bytes. */
export type WireFrame = { json: unknown } | { text: string } | { invalidUtf8: Buffer } | { binary: Buffer };

/**
 * A close code, op 9 then the given close, the socket still serving, either (for ops whose
 * handling is lenient), or nothing to wait for: the client hangs up right after its frames.
 */
export type Outcome = { close: number } | { invalidSession: number } | "open" | { openOr: number } | "hangup";

export interface FuzzCase {
  kind: string;
  compressed: boolean;
  /** Identify first (with a real token) and wait for READY. */
  identified: boolean;
  frames: WireFrame[];
  expect: Outcome;
}

export interface FuzzLimits {
  maxFrameBytes: number;
  framesPerWindow: number;
  tokens: readonly string[];
}

/** Client ops the server handles or ignores; any other integer is an unknown opcode. */
const KNOWN_OPS = new Set([1, 2, 3, 4, 5, 6, 8, 13, 14, 15, 16, 28]);
const AUTHED_ONLY_OPS = [3, 4, 5, 8, 13, 14, 15, 16, 28];
const PROPERTIES = { os: "linux", browser: "fuzz", device: "fuzz" };

function junkValue(rng: Rng, depth = 0): unknown {
  switch (rng.int(0, depth > 2 ? 5 : 8)) {
    case 0:
      return null;
    case 1:
      return rng.next() < 0.5;
    case 2:
      return rng.pick([0, -1, 1.5, 1e308, -1e308, 2 ** 53 + 2, Number.MAX_SAFE_INTEGER, rng.int(-1e9, 1e9)]);
    case 3:
      return rng.pick(["", "x", "null", "{}", "\u0000", "\ud800", "💥".repeat(rng.int(1, 20)), "a".repeat(rng.int(0, 300))]);
    case 4:
      return String(rng.int(0, 1e9));
    case 5:
      return [];
    case 6:
      return Array.from({ length: rng.int(1, 4) }, () => junkValue(rng, depth + 1));
    default:
      return Object.fromEntries(
        Array.from({ length: rng.int(1, 4) }, () => [
          rng.pick(["op", "d", "token", "__proto__", "constructor", "s", "t", "x"]),
          junkValue(rng, depth + 1),
        ]),
      );
  }
}

const nested = (depth: number, open: string, close: string, inner = "0") => open.repeat(depth) + inner + close.repeat(depth);

function unknownOp(rng: Rng): number {
  for (;;) {
    const op = rng.pick([rng.int(-1000, 300), 0, 7, 9, 10, 11, 12, 2 ** 31, 2 ** 53, 1e20, -0]);
    if (!KNOWN_OPS.has(op)) return op;
  }
}

/** A frame the server takes without closing, before or after IDENTIFY. */
function harmless(rng: Rng, identified: boolean, seq: "current" | null): WireFrame {
  if (identified && rng.next() < 0.5) {
    return rng.pick<WireFrame>([
      { json: { op: 4, d: junkValue(rng) } },
      { json: { op: rng.pick([13, 15, 16, 28]), d: junkValue(rng) } },
      { json: { op: 3, d: { status: rng.pick(["online", "idle", "dnd", "invisible"]), afk: false, since: 0, activities: [] } } },
      { json: { op: 1, d: rng.pick([null, -5, 0, "7", {}]) } },
    ]);
  }
  // Before a session, a heartbeat's seq is not checked (a client may beat with the old one before RESUME).
  const d = identified ? rng.pick([null, seq === null ? null : 0, "x", -1]) : junkValue(rng);
  return { json: { op: 1, d } };
}

function hostileBeforeIdentify(rng: Rng, limits: FuzzLimits, compressed: boolean): Pick<FuzzCase, "kind" | "frames" | "expect"> {
  const token = rng.pick(limits.tokens);
  const choice = rng.int(0, compressed ? 19 : 17);
  switch (choice) {
    case 16: {
      // The second arrives while the first is being authenticated, or after it: 4005 either way.
      const identify = { json: { op: 2, d: { token, properties: PROPERTIES } } };
      return { kind: "identify twice in a row", frames: [identify, identify], expect: { close: 4005 } };
    }
    case 17: {
      const op = rng.pick([2, 6]);
      const d = op === 2 ? { token, properties: PROPERTIES } : { token, session_id: "nope", seq: 1 };
      return { kind: "hang up mid-handshake", frames: [{ json: { op, d } }], expect: "hangup" };
    }
    case 0: {
      const text = rng.pick(["{", "}", "{op:1}", "{'op':1}", '{"op":1', '{"op":1,}', "", " ", "nul", "[1,2", '"', "\u0000{}"]);
      return { kind: "invalid JSON", frames: [{ text: text + "x".repeat(rng.int(0, 3)) }], expect: { close: 4002 } };
    }
    case 1:
      return {
        kind: "JSON that is not an object",
        frames: [{ text: JSON.stringify(rng.pick([1, "op", [], [1], null, true, 1e308])) }],
        expect: { close: 4002 },
      };
    case 2: {
      const op = rng.pick<unknown>(["1", 1.5, null, {}, [], true, undefined, "2"]);
      const text = rng.next() < 0.2 ? '{"op":1e400,"d":null}' : JSON.stringify({ op, d: junkValue(rng) });
      return { kind: "op not an integer", frames: [{ text }], expect: { close: 4002 } };
    }
    case 3: {
      const op = unknownOp(rng);
      // 2 ** 53 and 1e20 are integers to JSON.parse and to the server: unknown, not undecodable.
      return { kind: "unknown op", frames: [{ text: `{"op":${Object.is(op, -0) ? "-0" : op},"d":null}` }], expect: { close: 4001 } };
    }
    case 4:
      return {
        kind: "op before identify",
        frames: [{ json: { op: rng.pick(AUTHED_ONLY_OPS), d: junkValue(rng) } }],
        expect: { close: 4003 },
      };
    case 5: {
      const size = rng.int(limits.maxFrameBytes + 1, limits.maxFrameBytes * 4);
      return { kind: "oversized frame", frames: [{ json: { op: 1, d: null, pad: "x".repeat(size) } }], expect: { close: 4002 } };
    }
    case 6: {
      const garbage = rng.bytes(rng.int(0, 64));
      // Never a zstd or skippable frame's magic: those would be real (if odd) input to the decoder.
      if (garbage.length > 0) garbage[0] = (garbage[0] as number) & 0x1f;
      return { kind: "binary garbage", frames: [{ binary: garbage }], expect: { close: 4002 } };
    }
    case 7:
      return {
        kind: "invalid UTF-8 text",
        frames: [{ invalidUtf8: Buffer.concat([Buffer.from('{"op":1,"d":"'), Buffer.from([0xc3, 0x28, 0xff]), Buffer.from('"}')]) }],
        expect: { close: 4002 },
      };
    case 8: {
      // Deep, but within the frame cap: a heartbeat's d is not looked at.
      const depth = rng.int(10, Math.floor((limits.maxFrameBytes - 40) / 2));
      return { kind: "deeply nested heartbeat", frames: [{ text: `{"op":1,"d":${nested(depth, "[", "]")}}` }], expect: "open" };
    }
    case 9: {
      const depth = rng.int(10, Math.floor((limits.maxFrameBytes - 10) / 2));
      return { kind: "deeply nested frame", frames: [{ text: nested(depth, "[", "]") }], expect: { close: 4002 } };
    }
    case 10: {
      const bogus = rng.pick<unknown>([
        junkValue(rng),
        { token: junkValue(rng), properties: PROPERTIES },
        { token: "", properties: PROPERTIES },
        { token, properties: junkValue(rng) },
        { token, properties: { os: 1, browser: "x", device: "x" } },
        { token, properties: JSON.parse(`{"a":${nested(rng.int(1, 200), '{"a":', "}")}}`) },
        { token, properties: PROPERTIES, presence: { status: rng.pick(["busy", 1, null, ""]) } },
      ]);
      // Only a non-object `properties` or a non-string token fails before auth; junkValue may be an object.
      return { kind: "identify with bogus fields", frames: [{ json: { op: 2, d: bogus } }], expect: { close: identifyBogusClose(bogus) } };
    }
    case 11: {
      const shard = rng.pick<unknown>([[1, 1], [0], [0, 0], [-1, 2], [0, 1.5], "0,1", [0, null], {}]);
      return {
        kind: "identify with a bad shard",
        frames: [{ json: { op: 2, d: { token, properties: PROPERTIES, shard } } }],
        expect: { close: 4010 },
      };
    }
    case 12: {
      const wrong = rng.pick([`${token}x`, "Bot nope", `${rng.int(1, 1e9)}.${"a".repeat(rng.int(0, 80))}`, "x".repeat(rng.int(1, 2000))]);
      return {
        kind: "identify with a wrong token",
        frames: [{ json: { op: 2, d: { token: wrong, properties: PROPERTIES } } }],
        expect: { close: 4004 },
      };
    }
    case 13: {
      const d = rng.pick<unknown>([
        junkValue(rng),
        { token: 1, session_id: "x" },
        { token, session_id: junkValue(rng) === "x" ? 1 : 2 },
        { session_id: "x" },
      ]);
      const expect = resumeBogusClose(d);
      return { kind: "resume with garbage", frames: [{ json: { op: 6, d } }], expect: { close: expect } };
    }
    case 14: {
      const seq = rng.pick<unknown>([junkValue(rng), rng.int(-5, 1e6), 1e308]);
      const wrongToken = rng.next() < 0.4;
      const d = { token: wrongToken ? `${token}nope` : token, session_id: rng.bytes(16).toString("hex"), seq };
      return {
        kind: "resume of an unknown session",
        frames: [{ json: { op: 6, d } }],
        expect: wrongToken ? { close: 4004 } : { invalidSession: 4009 },
      };
    }
    case 15:
      return {
        kind: "frame flood",
        frames: Array.from({ length: limits.framesPerWindow + 1 }, () => ({ json: { op: 1, d: null } })),
        expect: { close: 4008 },
      };
    case 18: {
      // A few bytes that decompress to far more than the frame cap.
      const bomb = zstdOf(`{"op":1,"d":${nested(limits.maxFrameBytes * 8, "[", "]")}}`);
      return { kind: "zstd bomb", frames: [{ binary: bomb }], expect: { close: 4002 } };
    }
    default: {
      // A real zstd frame header, then garbage.
      const good = zstdOf(JSON.stringify({ op: 1, d: null }));
      const broken = Buffer.concat([good.subarray(0, rng.int(4, 8)), rng.bytes(rng.int(1, 40))]);
      return { kind: "invalid zstd", frames: [{ binary: broken }], expect: { close: 4002 } };
    }
  }
}

const isObject = (value: unknown): value is Record<string, unknown> => !!value && typeof value === "object" && !Array.isArray(value);

/** How the server judges a bogus IDENTIFY payload, in its order: shape first, then the token. */
function identifyBogusClose(d: unknown): number {
  if (!isObject(d) || typeof d.token !== "string" || d.token.length === 0 || !isObject(d.properties)) return 4002;
  const p = d.properties;
  const field = (name: string) => p[name] ?? p[`$${name}`];
  if (typeof field("os") !== "string" || typeof field("browser") !== "string" || typeof field("device") !== "string") return 4002;
  if (d.presence !== undefined && d.presence !== null) return 4002; // only invalid presences are generated
  return 4004;
}

function resumeBogusClose(d: unknown): number {
  if (!isObject(d) || typeof d.token !== "string" || typeof d.session_id !== "string") return 4002;
  return 4004;
}

function hostileAfterIdentify(rng: Rng, limits: FuzzLimits): Pick<FuzzCase, "kind" | "frames" | "expect"> {
  switch (rng.int(0, 8)) {
    case 0:
      // Far beyond any seq this session could have reached meanwhile.
      return {
        kind: "heartbeat with a future seq",
        frames: [{ json: { op: 1, d: rng.pick([1e6 + rng.int(0, 1e6), 1e308, 2 ** 53]) } }],
        expect: { close: 4007 },
      };
    case 1:
      return {
        kind: "identify again",
        frames: [{ json: { op: 2, d: { token: rng.pick(limits.tokens), properties: PROPERTIES } } }],
        expect: { close: 4005 },
      };
    case 2:
      return { kind: "resume while identified", frames: [{ json: { op: 6, d: junkValue(rng) } }], expect: { close: 4005 } };
    case 3: {
      const d = rng.pick<unknown>([junkValue(rng), { status: "busy" }, { status: 5 }, "online"]);
      const valid = isObject(d) && ["online", "idle", "dnd", "invisible", "offline"].includes(d.status as string);
      return { kind: "presence update with garbage", frames: [{ json: { op: 3, d } }], expect: valid ? "open" : { close: 4002 } };
    }
    case 4:
      return {
        kind: "member requests with garbage",
        frames: [{ json: { op: rng.pick([8, 14]), d: junkValue(rng) } }],
        expect: { openOr: 4002 },
      };
    case 5:
      return { kind: "unknown op after identify", frames: [{ json: { op: unknownOp(rng), d: junkValue(rng) } }], expect: { close: 4001 } };
    case 6:
      return { kind: "invalid JSON after identify", frames: [{ text: `{"op":1,"d":${rng.int(0, 9)}` }], expect: { close: 4002 } };
    case 7:
      return {
        kind: "oversized frame after identify",
        frames: [{ text: `{"op":1,"d":"${"y".repeat(limits.maxFrameBytes)}"}` }],
        expect: { close: 4002 },
      };
    default:
      return { kind: "harmless after identify", frames: [harmless(rng, true, "current")], expect: "open" };
  }
}

/** `count` cases from `seed`: about a third over compressed connections, about a quarter identified first. */
export function fuzzCases(seed: number, count: number, limits: FuzzLimits): FuzzCase[] {
  const rng = prng(seed);
  const cases: FuzzCase[] = [];
  for (let i = 0; i < count; i++) {
    const compressed = rng.next() < 0.35;
    const identified = rng.next() < 0.25;
    const fillers = Array.from({ length: rng.int(0, 6) }, () => harmless(rng, identified, "current"));
    const hostile = identified ? hostileAfterIdentify(rng, limits) : hostileBeforeIdentify(rng, limits, compressed);
    cases.push({ compressed, identified, ...hostile, frames: [...fillers, ...hostile.frames] });
  }
  return cases;
}
