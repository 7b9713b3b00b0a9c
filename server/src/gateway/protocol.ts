/**
 * Fluxer gateway v1 on the wire: opcodes, close codes and the frames the server writes.
 * Dispatch frames are spliced from a `d` serialised once per audience (see dispatcher.ts).
 */

export const Op = {
  DISPATCH: 0,
  HEARTBEAT: 1,
  IDENTIFY: 2,
  PRESENCE_UPDATE: 3,
  VOICE_STATE_UPDATE: 4,
  VOICE_SERVER_PING: 5,
  RESUME: 6,
  RECONNECT: 7,
  REQUEST_GUILD_MEMBERS: 8,
  INVALID_SESSION: 9,
  HELLO: 10,
  HEARTBEAT_ACK: 11,
  GATEWAY_ERROR: 12,
  LAZY_REQUEST: 14,
  REQUEST_GUILD_COUNTS: 15,
  REQUEST_CHANNEL_MEMBER_COUNTS: 16,
} as const;

/**
 * Ops the Fluxer app sends that this build does not serve (15 on guild hover, 16 for channel
 * member counts, 13 and 28 in some flows): accepted and ignored once authenticated rather than
 * closed with 4001, which would cost the app its connection.
 */
export const IGNORED_OPS: ReadonlySet<number> = new Set([13, Op.REQUEST_GUILD_COUNTS, Op.REQUEST_CHANNEL_MEMBER_COUNTS, 28]);

export const Close = {
  UNKNOWN_ERROR: 4000,
  UNKNOWN_OPCODE: 4001,
  DECODE_ERROR: 4002,
  NOT_AUTHENTICATED: 4003,
  AUTHENTICATION_FAILED: 4004,
  ALREADY_AUTHENTICATED: 4005,
  INVALID_SEQ: 4007,
  RATE_LIMITED: 4008,
  SESSION_TIMEOUT: 4009,
  INVALID_SHARD: 4010,
  SHARDING_REQUIRED: 4011,
  INVALID_API_VERSION: 4012,
  ACK_BACKPRESSURE: 4013,
} as const;

/** After these the session is gone: a RESUME would only get op 9. */
export const SESSION_ENDING_CLOSES: ReadonlySet<number> = new Set([
  Close.AUTHENTICATION_FAILED,
  Close.INVALID_SEQ,
  Close.SESSION_TIMEOUT,
  Close.INVALID_SHARD,
  Close.SHARDING_REQUIRED,
  Close.INVALID_API_VERSION,
  Close.ACK_BACKPRESSURE,
  // Not 1000/1001: fluxerjs and fluxer.py close with 1000 before resuming, and upstream keeps the
  // session on any socket drop.
]);

const prefixes = new Map<string, string>();

/** `{"op":0,"t":T,"s":S,"d":D}` built by concatenation: `d` is already JSON. */
export function dispatchFrame(t: string, s: number, dJson: string): string {
  let prefix = prefixes.get(t);
  if (prefix === undefined) {
    prefix = `{"op":0,"t":${JSON.stringify(t)},"s":`;
    if (prefixes.size < 1000) prefixes.set(t, prefix);
  }
  return `${prefix}${s},"d":${dJson}}`;
}

/** A non-dispatch frame; `d` omitted when undefined (HEARTBEAT_ACK has none). */
export function opFrame(op: number, d?: unknown): string {
  return d === undefined ? `{"op":${op}}` : `{"op":${op},"d":${JSON.stringify(d)}}`;
}
