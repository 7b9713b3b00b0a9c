/**
 * Domain events on the wire between processes: JSON, with the audience's bigint ids as decimal
 * strings (JSON has no bigints, and numbers would lose precision past 2^53).
 */
import { z } from "zod";
import type { Audience, DomainEvent } from "./bus.port.ts";

/**
 * Bumped if the wire shape ever changes, so a mixed-version cluster drops what it cannot read.
 * v2 added `audience.permission`. Only events that carry one are written as v2: a v1 reader would
 * ignore the field and show a moderators-only event to everyone, so it must drop exactly those.
 */
const WIRE_VERSION = 2;

const id = z
  .string()
  .regex(/^\d{1,20}$/)
  .transform((text) => BigInt(text));

const wireEvent = z.object({
  v: z.union([z.literal(1), z.literal(WIRE_VERSION)]),
  type: z.string().min(1),
  audience: z.discriminatedUnion("kind", [
    z.object({ kind: z.literal("guild"), guildId: id, channelId: id.optional(), permission: id.optional() }),
    z.object({ kind: z.literal("users"), userIds: z.array(id) }),
  ]),
  data: z.unknown(),
});

function audienceToWire(audience: Audience) {
  if (audience.kind === "users") return { kind: "users", userIds: audience.userIds.map(String) };
  return {
    kind: "guild",
    guildId: String(audience.guildId),
    ...(audience.channelId === undefined ? {} : { channelId: String(audience.channelId) }),
    ...(audience.permission === undefined ? {} : { permission: String(audience.permission) }),
  };
}

/** Throws when `data` is not JSON-safe (e.g. holds a bigint): the caller decides what to do with that. */
export function encodeEvent(event: DomainEvent): Uint8Array {
  const v = event.audience.kind === "guild" && event.audience.permission !== undefined ? WIRE_VERSION : 1;
  const wire = { v, type: event.type, audience: audienceToWire(event.audience), data: event.data };
  return new TextEncoder().encode(JSON.stringify(wire));
}

/** Returns null for anything that is not an event this version understands. */
export function decodeEvent(bytes: Uint8Array): DomainEvent | null {
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return null;
  }
  const parsed = wireEvent.safeParse(raw);
  if (!parsed.success) return null;
  const { type, audience, data } = parsed.data;
  // Rebuilt by hand so an absent channelId or permission stays absent (not `channelId: undefined`).
  const domainAudience: Audience =
    audience.kind === "users"
      ? { kind: "users", userIds: audience.userIds }
      : {
          kind: "guild",
          guildId: audience.guildId,
          ...(audience.channelId === undefined ? {} : { channelId: audience.channelId }),
          ...(audience.permission === undefined ? {} : { permission: audience.permission }),
        };
  return { type, audience: domainAudience, data };
}
