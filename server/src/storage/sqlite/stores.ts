/** Builds every store port on one SQLite database (the appliance's default backend). */
import type { Config } from "../../config.ts";
import type { Stores } from "../ports.ts";
import { createSqliteApplianceStore } from "./appliance.store.ts";
import { createSqliteApplicationStore } from "./applications.store.ts";
import { createSqliteBlobDeletionStore } from "./blob-deletions.store.ts";
import { createSqliteChannelStore } from "./channels.store.ts";
import { checkSchema, openSqlite } from "./database.ts";
import { createSqliteAuditLogStore, createSqliteGuildStore } from "./guilds.store.ts";
import { createSqliteInviteStore } from "./invites.store.ts";
import { createSqliteBanStore, createSqliteMemberStore } from "./members.store.ts";
import { createSqliteMessageStore } from "./messages.store.ts";
import { createSqliteReadStateStore } from "./read-states.store.ts";
import { createSqliteRoleStore } from "./roles.store.ts";
import { createSqliteUserGuildSettingsStore } from "./user-guild-settings.store.ts";
import { createSqliteUserSettingsStore } from "./user-settings.store.ts";
import { createSqliteInstanceStore, createSqliteSessionStore, createSqliteUserStore } from "./users.store.ts";

export function createSqliteStores(path: string, pragmas: Config["database"]["sqlite_pragmas"]): Stores {
  const db = openSqlite(path, pragmas);
  const guilds = createSqliteGuildStore(db);
  return {
    users: createSqliteUserStore(db),
    sessions: createSqliteSessionStore(db),
    userSettings: createSqliteUserSettingsStore(db),
    userGuildSettings: createSqliteUserGuildSettingsStore(db),
    applications: createSqliteApplicationStore(db),
    guilds,
    roles: createSqliteRoleStore(db),
    members: createSqliteMemberStore(db),
    bans: createSqliteBanStore(db),
    auditLog: createSqliteAuditLogStore(db),
    channels: createSqliteChannelStore(db),
    messages: createSqliteMessageStore(db),
    readStates: createSqliteReadStateStore(db),
    invites: createSqliteInviteStore(db),
    instance: createSqliteInstanceStore(db),
    appliance: createSqliteApplianceStore(db, guilds),
    blobDeletions: createSqliteBlobDeletionStore(db),
    ping: () => checkSchema(db),
    close: () => db.close(),
  };
}
