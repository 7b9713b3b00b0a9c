/** `Authorization: Admin <key>`, compared in constant time (hashing first makes the lengths equal). */
import { createHash, timingSafeEqual } from "node:crypto";

const digest = (value: string) => createHash("sha256").update(value).digest();

export function adminKeyMatches(header: string | undefined, key: string): boolean {
  if (!header?.startsWith("Admin ")) return false;
  return timingSafeEqual(digest(header.slice("Admin ".length).trim()), digest(key));
}
