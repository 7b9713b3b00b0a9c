/** What every feature module is built from: the deps plus the shared access, audit and membership rules. */
import type { Deps } from "../deps.ts";
import type { AuthService } from "./auth/auth.service.ts";
import type { Access } from "./guilds/access.ts";
import type { Audit } from "./guilds/audit.ts";
import type { Membership } from "./members/membership.ts";

export interface FeatureContext {
  deps: Deps;
  auth: AuthService;
  access: Access;
  audit: Audit;
  membership: Membership;
}
