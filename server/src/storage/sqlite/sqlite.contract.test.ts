/** Runs every store contract suite against SQLite: a fresh database file per suite, as in production. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after } from "node:test";
import { configSchema } from "../../config.ts";
import { applianceStoreContract } from "../contract/appliance.contract.ts";
import { applicationStoreContract } from "../contract/applications.contract.ts";
import { auditLogStoreContract } from "../contract/audit-log.contract.ts";
import { banStoreContract } from "../contract/bans.contract.ts";
import { blobDeletionStoreContract } from "../contract/blob-deletions.contract.ts";
import { channelStoreContract } from "../contract/channels.contract.ts";
import type { MakeStores } from "../contract/fixtures.ts";
import { guildStoreContract } from "../contract/guilds.contract.ts";
import { inviteStoreContract } from "../contract/invites.contract.ts";
import { memberStoreContract } from "../contract/members.contract.ts";
import { messageStoreContract } from "../contract/messages.contract.ts";
import { readStateStoreContract } from "../contract/read-states.contract.ts";
import { roleStoreContract } from "../contract/roles.contract.ts";
import { sessionStoreContract } from "../contract/sessions.contract.ts";
import { userGuildSettingsStoreContract } from "../contract/user-guild-settings.contract.ts";
import { userSettingsStoreContract } from "../contract/user-settings.contract.ts";
import { userStoreContract } from "../contract/users.contract.ts";
import { createSqliteStores } from "./stores.ts";

const pragmas = configSchema.parse({}).database.sqlite_pragmas;
const root = mkdtempSync(join(tmpdir(), "fluxer-sqlite-contract-"));
after(() => rmSync(root, { recursive: true, force: true }));

let databases = 0;
/** Each call opens a new, empty database file; the suite closes it when done. */
const freshStores: MakeStores = () => createSqliteStores(join(root, `suite-${++databases}.db`), pragmas);

// One line per port.
applianceStoreContract(freshStores);
messageStoreContract(freshStores);
readStateStoreContract(freshStores);
inviteStoreContract(freshStores);
applicationStoreContract(freshStores);
guildStoreContract(freshStores);
channelStoreContract(freshStores);
auditLogStoreContract(freshStores);
roleStoreContract(freshStores);
memberStoreContract(freshStores);
banStoreContract(freshStores);
userStoreContract(freshStores);
sessionStoreContract(freshStores);
userSettingsStoreContract(freshStores);
userGuildSettingsStoreContract(freshStores);
blobDeletionStoreContract(freshStores);
