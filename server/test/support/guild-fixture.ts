/**
 * Guilds for member, role and ban tests: made through POST /guilds when this build serves it, else
 * seeded through the stores the same way (@everyone with the guild's id, a #general text channel).
 * Joining goes through `membership.join`, the one path invites and bots use too.
 */
import assert from "node:assert/strict";
import type { DomainEvent } from "../../src/bus/bus.port.ts";
import { createMembership } from "../../src/features/members/membership.ts";
import { everyoneRoleId } from "../../src/ids.ts";
import { DEFAULT_EVERYONE_PERMISSIONS } from "../../src/permissions.ts";
import { createFixtures } from "../../src/storage/contract/fixtures.ts";
import type { TestServer, TestUser } from "./harness.ts";

export async function createGuild(server: TestServer, owner: TestUser, name = "Test guild"): Promise<string> {
  const created = await server.request("POST", "/guilds", { token: owner.token, body: { name } });
  if (created.status === 200 || created.status === 201) return created.body.id;
  assert.equal(created.body?.code, "FEATURE_TEMPORARILY_DISABLED", `POST /guilds failed: ${JSON.stringify(created.body)}`);
  const { stores, ids } = server.deps;
  const f = createFixtures(ids);
  const guild = f.guild(BigInt(owner.id), { name });
  const channel = f.channel(guild.id, { name: "general" });
  stores.guilds.create({
    guild: { ...guild, systemChannelId: channel.id },
    everyoneRole: f.everyoneRole(guild.id, { permissions: DEFAULT_EVERYONE_PERMISSIONS }),
    channels: [channel],
    owner: f.member(guild.id, BigInt(owner.id)),
  });
  return guild.id.toString();
}

/** Adds the user to the guild as an invite would. */
export function joinGuild(server: TestServer, guildId: string, user: TestUser): void {
  const record = server.deps.stores.users.get(BigInt(user.id));
  assert.ok(record, `no user ${user.id}`);
  createMembership(server.deps).join(BigInt(guildId), record);
}

/** The guild's first text channel (#general). */
export function generalChannelId(server: TestServer, guildId: string): bigint {
  const channel = server.deps.stores.channels.listForGuild(BigInt(guildId)).find((one) => one.type === 0);
  assert.ok(channel, "the guild has no text channel");
  return channel.id;
}

export const everyoneId = (guildId: string): string => everyoneRoleId(BigInt(guildId)).toString();

/** Creates a role through the API as `actor` (the owner, usually) and returns its wire form. */
export async function createRole(server: TestServer, actor: TestUser, guildId: string, body: Record<string, unknown>) {
  const response = await server.request("POST", `/guilds/${guildId}/roles`, { token: actor.token, body });
  assert.equal(response.status, 200, JSON.stringify(response.body));
  return response.body as { id: string; name: string; position: number; permissions: string };
}

/** Gives the member a role straight through the API as `actor`. */
export async function grantRole(server: TestServer, actor: TestUser, guildId: string, userId: string, roleId: string) {
  const response = await server.request("PUT", `/guilds/${guildId}/members/${userId}/roles/${roleId}`, { token: actor.token });
  assert.equal(response.status, 204, JSON.stringify(response.body));
}

/** Records every bus event until `stop()`; `settle()` lets queued deliveries run first. */
export function recordEvents(server: TestServer) {
  const events: DomainEvent[] = [];
  const stop = server.deps.bus.subscribe((event) => {
    events.push(event);
  });
  return {
    events,
    stop,
    async settle() {
      await new Promise((resolve) => setImmediate(resolve));
      return events;
    },
    of(type: string) {
      return events.filter((event) => event.type === type);
    },
    /** The data of the index-th event of a type; fails the test when there is none. */
    data<T = any>(type: string, index = 0): T {
      const event = events.filter((one) => one.type === type)[index];
      assert.ok(event, `no ${type} event #${index}`);
      return event.data as T;
    },
    clear() {
      events.length = 0;
    },
  };
}

/** The audit entries of a guild, newest first (read from the store, whatever the audit-log route does). */
export function auditEntries(server: TestServer, guildId: string, actionType?: number) {
  return server.deps.stores.auditLog.list(BigInt(guildId), { limit: 100, actionType });
}
