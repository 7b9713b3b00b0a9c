/**
 * Snowflake IDs with Fluxer's epoch: 42 bits of milliseconds since 2015-01-01,
 * 10 bits of worker, 12 bits of sequence. Inside the server an ID is a bigint;
 * on the wire it is always a decimal string.
 */

export const FLUXER_EPOCH_MS = 1420070400000n;

/** A bigint tagged with what it identifies. Plain bigints still fit, so mappers need no casts. */
export type Id<Kind extends string> = bigint & { readonly __kind?: Kind };
export type UserId = Id<"user">;
export type GuildId = Id<"guild">;
export type ChannelId = Id<"channel">;
export type RoleId = Id<"role">;
export type MessageId = Id<"message">;
export type ApplicationId = Id<"application">;
export type AttachmentId = Id<"attachment">;
export type AuditLogId = Id<"audit_log">;

export interface IdGenerator {
  next(): bigint;
}

export function createIdGenerator(workerId = 0, now: () => number = Date.now): IdGenerator {
  const worker = BigInt(workerId & 0x3ff);
  let lastMs = -1n;
  let sequence = 0n;
  return {
    next() {
      let ms = BigInt(now()) - FLUXER_EPOCH_MS;
      if (ms < lastMs) ms = lastMs; // clock went back: stay monotonic
      if (ms === lastMs) {
        sequence = (sequence + 1n) & 0xfffn;
        if (sequence === 0n) ms = lastMs + 1n; // sequence exhausted: borrow the next millisecond
      } else {
        sequence = 0n;
      }
      lastMs = ms;
      return (ms << 22n) | (worker << 12n) | sequence;
    },
  };
}

/** The moment an ID was minted, as a Date. */
export function snowflakeTime(id: bigint): Date {
  return new Date(Number((id >> 22n) + FLUXER_EPOCH_MS));
}

/** The smallest ID that could have been minted at `ms` (for time-based cut-offs). */
export function snowflakeAt(ms: number): bigint {
  return (BigInt(ms) - FLUXER_EPOCH_MS) << 22n;
}

const SNOWFLAKE_TEXT = /^(0|[1-9][0-9]{0,19})$/;
const MAX_SNOWFLAKE = (1n << 63n) - 1n;

/** Parses a wire ID; returns null for anything that is not a 64-bit decimal snowflake. */
export function parseSnowflake(text: unknown): bigint | null {
  if (typeof text === "number" && Number.isSafeInteger(text) && text >= 0) return BigInt(text);
  if (typeof text !== "string" || !SNOWFLAKE_TEXT.test(text)) return null;
  const value = BigInt(text);
  return value <= MAX_SNOWFLAKE ? value : null;
}

export const idText = (id: bigint): string => id.toString();

/** The @everyone role shares its guild's id, as in Discord. */
export const everyoneRoleId = (guildId: GuildId): RoleId => guildId as bigint as RoleId;
