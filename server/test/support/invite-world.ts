/**
 * Guilds for the invite, bot and DM tests, made through POST /guilds; members and roles for the
 * permission tests go straight through the stores (their APIs belong to other suites).
 */
import assert from "node:assert/strict";
import { ChannelType, type Role } from "../../src/storage/records.ts";
import type { TestServer, TestUser } from "./harness.ts";

export interface TestGuild {
  id: string;
  /** The first text channel (#general). */
  channelId: string;
}

export async function createGuild(server: TestServer, owner: TestUser, name = "Test Guild"): Promise<TestGuild> {
  const response = await server.request("POST", "/guilds", { token: owner.token, body: { name } });
  assert.equal(response.status, 200, `POST /guilds answered ${response.status}: ${JSON.stringify(response.body)}`);
  const channels = await server.request("GET", `/guilds/${response.body.id}/channels`, { token: owner.token });
  assert.equal(channels.status, 200);
  const general = (channels.body as { id: string; type: number }[]).find((c) => c.type === ChannelType.guildText);
  assert.ok(general, "a new guild has a text channel");
  return { id: response.body.id, channelId: general.id };
}

/** Adds a member directly (for permission tests that need a member without going through an invite). */
export function addMember(server: TestServer, guild: TestGuild, user: TestUser, roleIds: bigint[] = []) {
  server.deps.stores.members.add({
    guildId: BigInt(guild.id),
    userId: BigInt(user.id),
    nick: null,
    avatar: null,
    roleIds,
    joinedAt: Date.now(),
    communicationDisabledUntil: null,
    mute: false,
    deaf: false,
  });
}

/** A role with `permissions`, made through the store (the roles API belongs to another suite). */
export function addRole(server: TestServer, guild: TestGuild, permissions: bigint, position = 1): bigint {
  const role: Role = {
    id: server.deps.ids.next(),
    guildId: BigInt(guild.id),
    name: `role-${permissions}`,
    color: 0,
    position,
    hoistPosition: null,
    permissions,
    hoist: false,
    mentionable: false,
    unicodeEmoji: null,
  };
  server.deps.stores.roles.create(role);
  return role.id;
}

/** Sets @everyone's permissions (e.g. to take CREATE_INSTANT_INVITE away). */
export function setEveryonePermissions(server: TestServer, guild: TestGuild, permissions: bigint) {
  server.deps.stores.roles.update(BigInt(guild.id), BigInt(guild.id), { permissions });
}

export function isMember(server: TestServer, guild: TestGuild, user: { id: string }): boolean {
  return server.deps.stores.members.get(BigInt(guild.id), BigInt(user.id)) !== null;
}
