/**
 * Domain events on the wire between processes: JSON, with the audience's bigint ids as decimal
 * strings (JSON has no bigints, and numbers would lose precision past 2^53).
 */
import { z } from "zod";
import type { Audience, DomainEvent } from "./bus.port.ts";

/** Bumped if the wire shape ever changes, so a mixed-version cluster drops what it cannot read. */
const WIRE_VERSION = 1;

const id = z
  .string()
  .regex(/^\d{1,20}$/)
  .transform((text) => BigInt(text));

const wireEvent = z.object({
  v: z.literal(WIRE_VERSION),
  type: z.string().min(1),
  audience: z.discriminatedUnion("kind", [
    z.object({ kind: z.literal("guild"), guildId: id, channelId: id.optional() }),
    z.object({ kind: z.literal("users"), userIds: z.array(id) }),
  ]),
  data: z.unknown(),
});

function audienceToWire(audience: Audience) {
  if (audience.kind === "users") return { kind: "users", userIds: audience.userIds.map(String) };
  return audience.channelId === undefined
    ? { kind: "guild", guildId: String(audience.guildId) }
    : { kind: "guild", guildId: String(audience.guildId), channelId: String(audience.channelId) };
}

/** Throws when `data` is not JSON-safe (e.g. holds a bigint): the caller decides what to do with that. */
export function encodeEvent(event: DomainEvent): Uint8Array {
  const wire = { v: WIRE_VERSION, type: event.type, audience: audienceToWire(event.audience), data: event.data };
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
  // Rebuilt by hand so an absent channelId stays absent (not `channelId: undefined`).
  const domainAudience: Audience =
    audience.kind === "users"
      ? { kind: "users", userIds: audience.userIds }
      : audience.channelId === undefined
        ? { kind: "guild", guildId: audience.guildId }
        : { kind: "guild", guildId: audience.guildId, channelId: audience.channelId };
  return { type, audience: domainAudience, data };
}
