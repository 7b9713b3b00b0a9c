import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { Permission } from "../../src/permissions.ts";
import { createRole, grantRole, joinGuild } from "../support/guild-fixture.ts";
import { registerUser, startTestServer, type TestServer, type TestUser } from "../support/harness.ts";

interface Entry {
  id: string;
  action_type: number;
  user_id: string;
  target_id: string | null;
  changes?: { key: string; old_value?: unknown; new_value?: unknown }[];
  options?: Record<string, unknown>;
}

describe("guild audit log", () => {
  let server: TestServer;
  let owner: TestUser;
  let auditor: TestUser;
  let member: TestUser;
  let guildId: string;

  before(async () => {
    server = await startTestServer();
    owner = await registerUser(server, "auditowner");
    auditor = await registerUser(server, "auditor");
    member = await registerUser(server, "auditmember");
    guildId = (await server.request("POST", "/guilds", { token: owner.token, body: { name: "Audited" } })).body.id;
    joinGuild(server, guildId, auditor);
    joinGuild(server, guildId, member);
    const role = await createRole(server, owner, guildId, {
      name: "auditors",
      permissions: (Permission.VIEW_AUDIT_LOG | Permission.MANAGE_CHANNELS).toString(),
    });
    await grantRole(server, owner, guildId, auditor.id, role.id);
  });
  after(() => server.close());

  const list = (query: Record<string, string | number> = {}, token = auditor.token) =>
    server.request<{ audit_log_entries: Entry[]; users: { id: string }[]; webhooks: unknown[] }>("GET", `/guilds/${guildId}/audit-logs`, {
      token,
      query,
    });

  it("lists channel and settings changes newest first, with the users they name", async () => {
    const created = await server.request("POST", `/guilds/${guildId}/channels`, {
      token: auditor.token,
      body: { name: "logged", topic: "t" },
      headers: { "x-audit-log-reason": "needed one" },
    });
    assert.equal(created.status, 200);
    await server.request("PATCH", `/channels/${created.body.id}`, { token: auditor.token, body: { name: "still-logged", nsfw: true } });
    await server.request("PATCH", `/guilds/${guildId}`, { token: owner.token, body: { name: "Audited!" } });
    const response = await list();
    assert.equal(response.status, 200);
    assert.deepEqual(response.body.webhooks, []);
    const [guildUpdate, channelUpdate, channelCreate] = response.body.audit_log_entries;
    assert.equal(guildUpdate?.action_type, 1);
    assert.equal(guildUpdate?.user_id, owner.id);
    assert.equal(channelUpdate?.action_type, 11);
    assert.equal(channelUpdate?.target_id, created.body.id);
    assert.deepEqual(channelUpdate?.changes, [
      { key: "name", old_value: "logged", new_value: "still-logged" },
      { key: "nsfw", old_value: false, new_value: true },
    ]);
    assert.equal(channelCreate?.action_type, 10);
    assert.equal((channelCreate as { reason?: string }).reason, "needed one");
    assert.deepEqual(
      channelCreate?.changes?.find((c) => c.key === "name"),
      { key: "name", new_value: "logged" },
    );
    const userIds = response.body.users.map((u) => u.id).sort();
    assert.deepEqual(userIds, [auditor.id, owner.id].sort());
  });

  it("filters by user and action type, and pages with before, after and limit", async () => {
    const byOwner = await list({ user_id: owner.id });
    assert.ok(byOwner.body.audit_log_entries.length > 0);
    assert.ok(byOwner.body.audit_log_entries.every((e) => e.user_id === owner.id));
    const creates = await list({ action_type: 10 });
    assert.ok(creates.body.audit_log_entries.every((e) => e.action_type === 10));
    const all = (await list({ limit: 100 })).body.audit_log_entries.map((e) => e.id);
    assert.ok(all.length >= 3);
    const firstTwo = await list({ limit: 2 });
    assert.deepEqual(
      firstTwo.body.audit_log_entries.map((e) => e.id),
      all.slice(0, 2),
    );
    const older = await list({ before: all[1] as string, limit: 1 });
    assert.deepEqual(
      older.body.audit_log_entries.map((e) => e.id),
      [all[2]],
    );
    const newer = await list({ after: all[2] as string });
    assert.deepEqual(
      newer.body.audit_log_entries.map((e) => e.id),
      all.slice(0, 2),
    );
  });

  it("requires VIEW_AUDIT_LOG, and checks its query", async () => {
    const denied = await list({}, member.token);
    assert.equal(denied.status, 403);
    assert.equal((denied.body as unknown as { code: string }).code, "MISSING_PERMISSIONS");
    const tooMany = await list({ limit: 101 });
    assert.equal(tooMany.status, 400);
    const badAction = await list({ action_type: "delete" });
    assert.equal(badAction.status, 400);
    const badUser = await list({ user_id: "someone" });
    assert.equal(badUser.status, 400);
    const unknown = await server.request("GET", "/guilds/123456789012345678/audit-logs", { token: owner.token });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.code, "UNKNOWN_GUILD");
  });
});
