/** What the gateway's parts share: the deps, its config section, and the live state. */
import type { Config } from "../config.ts";
import type { Deps } from "../deps.ts";
import type { AuthService } from "../features/auth/auth.service.ts";
import type { GuildPayloads } from "./guild-payload.ts";
import type { MemberLists } from "./member-list.ts";
import type { Presence } from "./presence.ts";
import type { Session } from "./session.ts";
import type { SessionRegistry } from "./session-registry.ts";
import type { Visibility } from "./visibility.ts";

export interface GatewayContext {
  deps: Deps;
  config: Config["gateway"];
  auth: Pick<AuthService, "authenticate">;
  registry: SessionRegistry;
  visibility: Visibility;
  presence: Presence;
  payloads: GuildPayloads;
  memberLists: MemberLists;
  /** Ends a session for good (no resume): out of the registry, offline if it was the user's last. */
  endSession(session: Session): void;
  log(message: string, error?: unknown): void;
}
