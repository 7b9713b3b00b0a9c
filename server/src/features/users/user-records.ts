/** New user rows: one place for the fields every account or bot starts with empty. */
import type { NewUser } from "../../storage/ports.ts";

export type NewUserFields = Pick<NewUser, "id" | "username" | "discriminator" | "createdAt"> &
  Partial<Pick<NewUser, "globalName" | "email" | "passwordHash" | "bot">>;

/** A user with no profile, flags or ACLs yet; a human account unless `bot` is set. */
export function newUserRecord(fields: NewUserFields): NewUser {
  return {
    globalName: null,
    email: null,
    passwordHash: null,
    avatar: null,
    banner: null,
    bio: null,
    pronouns: null,
    accentColor: null,
    flags: 0,
    bot: false,
    system: false,
    acls: [],
    ...fields,
  };
}
