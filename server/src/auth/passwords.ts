/**
 * Password hashing with argon2id. @node-rs/argon2 runs each hash on libuv's thread pool,
 * so a login burst never blocks the event loop.
 */
import { hash, verify } from "@node-rs/argon2";

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hashed: string, password: string): Promise<boolean>;
}

export function createPasswordHasher(cost: "normal" | "fast"): PasswordHasher {
  // "fast" exists for tests only: it keeps a suite of many registrations quick.
  const options = cost === "fast" ? { memoryCost: 1024, timeCost: 1 } : { memoryCost: 19456, timeCost: 2 };
  return {
    hash: (password) => hash(password, options),
    async verify(hashed, password) {
      try {
        return await verify(hashed, password);
      } catch {
        return false;
      }
    },
  };
}
