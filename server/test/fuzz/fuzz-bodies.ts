/**
 * Malformed request bodies for the REST fuzz test, all drawn from one seeded PRNG so a failure
 * replays exactly: junk values of every JSON type, objects that use a route's real field names
 * with junk in them, raw texts that are not JSON, and broken multipart forms.
 */
import { readFileSync } from "node:fs";
import { specPath } from "../support/openapi.ts";

/** mulberry32: tiny, fast, and good enough to pick test inputs. */
export function createRandom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (max: number) => Math.floor(next() * max);
  return { next, int, pick: <T>(items: readonly T[]): T => items[int(items.length)] as T };
}

export type Random = ReturnType<typeof createRandom>;

function nested(depth: number, leaf: unknown, asArray: boolean): unknown {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = asArray ? [value] : { a: value };
  return value;
}

/** One junk JSON value: wrong types, edge numbers, huge and odd strings, deep nesting. */
export function junkValue(random: Random): unknown {
  const choices: (() => unknown)[] = [
    () => null,
    () => random.pick([true, false]),
    () => random.pick([0, -1, 1.5, -0.000001, 2 ** 31, 2 ** 53 + 2, -(2 ** 63), 1e308, -1e308, Number.MAX_SAFE_INTEGER]),
    () => random.pick(["", " ", "0", "-1", "null", "true", "1e309", "NaN"]),
    () => "9".repeat(1 + random.int(400)), // snowflake-looking but far past 64 bits
    () => "x".repeat(random.pick([256, 4097, 70_000])),
    () => random.pick(["\u0000", "\ud800", "\uffff\ufffe", "💥".repeat(300), "e\u0301\u200b\u202e", "../../etc/passwd", "%00%2F"]),
    () => random.pick(["<script>alert(1)</script>", "'; DROP TABLE users; --", "{{7*7}}", "%s%n"]),
    () => [],
    () => [junkLeaf(random)],
    () => Array.from({ length: random.pick([101, 1000]) }, () => random.int(10)),
    () => ({}),
    () => ({ [random.pick(["__proto__", "constructor", "id", "0"])]: junkLeaf(random) }),
    () => nested(random.pick([50, 500, 2000]), junkLeaf(random), random.next() < 0.5),
  ];
  return random.pick(choices)();
}

function junkLeaf(random: Random): unknown {
  return random.pick([null, 1, -1, "x", true, 2 ** 64, "1".repeat(30), {}, []]);
}

/** A body using the route's own field names (from the spec) with junk values in some of them. */
export function junkObject(random: Random, fields: readonly string[]): Record<string, unknown> {
  const names = fields.length > 0 ? fields : ["name", "id", "content"];
  const body: Record<string, unknown> = {};
  const count = 1 + random.int(Math.min(names.length, 4));
  for (let i = 0; i < count; i++) body[random.pick(names)] = junkValue(random);
  return body;
}

/** Texts sent as application/json that are not (quite) JSON. */
export const RAW_JSON_TEXTS = [
  "{",
  '{"a":',
  "[1,2",
  "nul",
  '"just a string"',
  "123",
  `{"n":1${"0".repeat(400)}}`,
  `${"[".repeat(20_000)}${"]".repeat(20_000)}`,
  '{"a":1,"a":2}',
  "\u0000",
  "\ufeff{}",
];

const BOUNDARY = "fuzz-boundary";
const field = (name: string, value: string, filename?: string) =>
  `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"${filename ? `; filename="${filename}"` : ""}\r\n\r\n${value}\r\n`;

/** Broken multipart forms: [content-type, body]. */
export function junkMultipart(random: Random): [string, string] {
  const typed = `multipart/form-data; boundary=${BOUNDARY}`;
  const choices: (() => [string, string])[] = [
    () => ["multipart/form-data", field("content", "hi")],
    () => ["multipart/form-data; boundary=", field("content", "hi")],
    () => [typed, `--${BOUNDARY}\r\nContent-Disposition: form-data; name="content"\r\n\r\ntrunc`],
    () => [
      typed,
      `${field("files[0]", "abc", "a.png")}--${BOUNDARY}\r\nContent-Disposition: form-data; name="files[1]"; filename="b.png"\r\n\r\nhal`,
    ],
    () => [typed, `${field("payload_json", random.pick(["{", "[]", "null", "1", JSON.stringify(junkValue(random))]))}--${BOUNDARY}--\r\n`],
    () => [typed, `${Array.from({ length: 60 }, (_, i) => field(`f${i}`, "x")).join("")}--${BOUNDARY}--\r\n`],
    () => [typed, `${Array.from({ length: 12 }, (_, i) => field(`files[${i}]`, "x", `${i}.txt`)).join("")}--${BOUNDARY}--\r\n`],
    () => [typed, `${field("__proto__", "{}")}--${BOUNDARY}--\r\n`],
    () => [typed, "not a form at all"],
  ];
  return random.pick(choices)();
}

interface Schema {
  $ref?: string;
  type?: string | string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  enum?: unknown[];
  format?: string;
  allOf?: Schema[];
  oneOf?: Schema[];
  anyOf?: Schema[];
}

let spec: { paths: Record<string, Record<string, any>>; components: { schemas: Record<string, Schema> } } | undefined;

function requestSchema(template: string, method: string): Schema | undefined {
  spec ??= JSON.parse(readFileSync(specPath(), "utf8"));
  const op = spec?.paths[template]?.[method.toLowerCase()];
  const content = op?.requestBody?.content ?? {};
  return (content["application/json"] ?? content["multipart/form-data"])?.schema as Schema | undefined;
}

const resolveRef = (one: Schema): Schema => (one.$ref ? (spec?.components.schemas[one.$ref.split("/").pop() ?? ""] ?? {}) : one);

/**
 * A body shaped like the spec's request schema (real ids where it wants snowflakes), with junk
 * swapped in at random spots, so validation deep inside nested objects is reached too.
 */
export function nearValidBody(random: Random, template: string, method: string, ids: readonly string[]): unknown {
  const root = requestSchema(template, method);
  if (!root) return junkValue(random);
  const build = (raw: Schema, depth: number): unknown => {
    if (depth > 0 && random.next() < 0.12) return junkValue(random);
    const one = resolveRef(raw);
    const variants = one.oneOf ?? one.anyOf;
    if (variants && variants.length > 0) return build(random.pick(variants), depth + 1);
    if (one.allOf) return Object.assign({}, ...one.allOf.map((part) => build(part, depth + 1)));
    if (one.enum && one.enum.length > 0) return random.pick(one.enum);
    const type = Array.isArray(one.type) ? random.pick(one.type) : one.type;
    if (depth > 6) return null;
    if (type === "object" || one.properties) {
      const out: Record<string, unknown> = {};
      for (const [name, property] of Object.entries(one.properties ?? {})) {
        if (random.next() < 0.6) out[name] = build(property, depth + 1);
      }
      return out;
    }
    if (type === "array") return Array.from({ length: 1 + random.int(2) }, () => build(one.items ?? {}, depth + 1));
    if (type === "integer" || type === "number") return random.pick([0, 1, 7, 255, 1024]);
    if (type === "boolean") return random.next() < 0.5;
    if (type === "null") return null;
    if (one.format === "snowflake" || one.format === "int64") return random.pick(ids);
    if (type === "string") return random.pick(["fuzz", "a", "https://example.test/x.png", "2026-01-01T00:00:00Z", random.pick(ids)]);
    return junkValue(random);
  };
  return build(root, 0);
}

/** The JSON field names of an operation's request body in the pinned spec (none when it has none). */
export function requestFields(template: string, method: string): string[] {
  const schema = requestSchema(template, method);
  const names = new Set<string>();
  const visit = (one: Schema | undefined, depth: number) => {
    if (!one || depth > 4) return;
    if (one.$ref) return visit(spec?.components.schemas[one.$ref.split("/").pop() ?? ""], depth + 1);
    for (const name of Object.keys(one.properties ?? {})) names.add(name);
    for (const part of [...(one.allOf ?? []), ...(one.oneOf ?? []), ...(one.anyOf ?? [])]) visit(part, depth + 1);
  };
  visit(schema, 0);
  return [...names];
}
