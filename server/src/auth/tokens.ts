/** Session and bot tokens: random, shown once, stored only as SHA-256 hashes. */
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

export function randomBase62(length: number): string {
  let out = "";
  while (out.length < length) {
    for (const byte of randomBytes(length * 2)) {
      if (byte < 248 && out.length < length) out += BASE62[byte % 62]; // 248 = 4 * 62: no modulo bias
    }
  }
  return out;
}

export const hashToken = (token: string): string => createHash("sha256").update(token).digest("base64url");

/** A user session token as Fluxer mints them: `flx_` and 36 base62 characters. */
export const newSessionToken = (): string => `flx_${randomBase62(36)}`;

/** A bot token: `<application id>.<secret>`. */
export const newBotToken = (applicationId: bigint): string => `${applicationId}.${randomBase62(48)}`;

export function sameHash(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
