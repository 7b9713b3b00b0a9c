/**
 * A guild to talk in, for the message tests: an owner, members who joined through an invite, a
 * #general text channel, and helpers for roles, channels, overwrites, timeouts and DMs. Everything
 * goes through the API, as a client would set it up.
 */
import assert from "node:assert/strict";
import type { DomainEvent } from "../../src/bus/bus.port.ts";
import { ChannelType } from "../../src/storage/records.ts";
import { registerUser, type TestServer, type TestUser } from "./harness.ts";

export interface MessageWorld {
  owner: TestUser;
  guildId: string;
  /** #general, a text channel everyone may talk in. */
  channelId: string;
}

async function ok(server: TestServer, user: TestUser, method: string, path: string, body?: unknown) {
  const response = await server.request(method, path, { token: user.token, ...(body !== undefined ? { body } : {}) });
  assert.ok(response.status === 200 || response.status === 204, `${method} ${path} → ${response.status} ${JSON.stringify(response.body)}`);
  return response.body;
}

export async function createMessageWorld(server: TestServer, ownerName?: string): Promise<MessageWorld> {
  const owner = await registerUser(server, ownerName);
  const guild = await ok(server, owner, "POST", "/guilds", { name: "Talk" });
  const channels = await ok(server, owner, "GET", `/guilds/${guild.id}/channels`);
  const general = channels.find((channel: { type: number }) => channel.type === ChannelType.guildText);
  assert.ok(general, "the new guild has no text channel");
  return { owner, guildId: guild.id, channelId: general.id };
}

/** Registers a user who joins through an invite to #general. */
export async function addMember(server: TestServer, world: MessageWorld, name?: string): Promise<TestUser> {
  const user = await registerUser(server, name);
  const invite = await ok(server, world.owner, "POST", `/channels/${world.channelId}/invites`, {});
  await ok(server, user, "POST", `/invites/${invite.code}`);
  return user;
}

/** A role with these permissions, given to the listed members. */
export async function addRole(
  server: TestServer,
  world: MessageWorld,
  options: { permissions?: bigint; mentionable?: boolean; members?: TestUser[]; name?: string },
): Promise<string> {
  const role = await ok(server, world.owner, "POST", `/guilds/${world.guildId}/roles`, {
    name: options.name ?? "role",
    permissions: String(options.permissions ?? 0n),
    mentionable: options.mentionable ?? false,
  });
  for (const member of options.members ?? []) {
    await ok(server, world.owner, "PUT", `/guilds/${world.guildId}/members/${member.id}/roles/${role.id}`);
  }
  return role.id;
}

/** Sets the @everyone role's permissions. */
export async function setEveryonePermissions(server: TestServer, world: MessageWorld, permissions: bigint) {
  await ok(server, world.owner, "PATCH", `/guilds/${world.guildId}/roles/${world.guildId}`, { permissions: String(permissions) });
}

/** Another channel in the guild (a text channel unless `type` says otherwise). */
export async function addChannel(
  server: TestServer,
  world: MessageWorld,
  options: { type?: number; name?: string; rateLimitPerUser?: number } = {},
): Promise<string> {
  const channel = await ok(server, world.owner, "POST", `/guilds/${world.guildId}/channels`, {
    name: options.name ?? "more",
    type: options.type ?? ChannelType.guildText,
    ...(options.rateLimitPerUser ? { rate_limit_per_user: options.rateLimitPerUser } : {}),
  });
  return channel.id;
}

/** A permission overwrite for a role (the @everyone role has the guild's id, type 0) or a member (type 1). */
export async function setOverwrite(
  server: TestServer,
  world: MessageWorld,
  channelId: string,
  overwrite: { id: string; type: 0 | 1; allow?: bigint; deny?: bigint },
) {
  await ok(server, world.owner, "PUT", `/channels/${channelId}/permissions/${overwrite.id}`, {
    type: overwrite.type,
    allow: String(overwrite.allow ?? 0n),
    deny: String(overwrite.deny ?? 0n),
  });
}

export async function removeOverwrite(server: TestServer, world: MessageWorld, channelId: string, id: string) {
  await ok(server, world.owner, "DELETE", `/channels/${channelId}/permissions/${id}`);
}

/** Times the member out until `untilMs`. */
export async function timeOut(server: TestServer, world: MessageWorld, user: TestUser, untilMs: number) {
  await ok(server, world.owner, "PATCH", `/guilds/${world.guildId}/members/${user.id}`, {
    communication_disabled_until: new Date(untilMs).toISOString(),
  });
}

/** Removes the member from the guild. */
export async function kick(server: TestServer, world: MessageWorld, user: TestUser) {
  await ok(server, world.owner, "DELETE", `/guilds/${world.guildId}/members/${user.id}`);
}

/** A DM channel between two users, opened by `a`. */
export async function openDm(server: TestServer, a: TestUser, b: TestUser): Promise<string> {
  const channel = await ok(server, a, "POST", "/users/@me/channels", { recipient_id: b.id });
  return channel.id;
}

/** Sends a text message and returns its body, failing the test on anything but 200. */
export async function say(server: TestServer, user: TestUser, channelId: string, content: string, extra: Record<string, unknown> = {}) {
  const response = await server.request("POST", `/channels/${channelId}/messages`, { token: user.token, body: { content, ...extra } });
  assert.equal(response.status, 200, JSON.stringify(response.body));
  return response.body;
}

/** A multipart/form-data body from fields and files. */
export function multipart(parts: { name: string; value: string | Buffer; filename?: string; contentType?: string }[]) {
  const boundary = `----fluxer${Math.random().toString(16).slice(2)}`;
  const chunks: Buffer[] = [];
  for (const part of parts) {
    let head = `--${boundary}\r\nContent-Disposition: form-data; name="${part.name}"`;
    if (part.filename !== undefined) head += `; filename="${part.filename}"`;
    head += "\r\n";
    if (part.contentType) head += `Content-Type: ${part.contentType}\r\n`;
    chunks.push(Buffer.from(`${head}\r\n`), Buffer.isBuffer(part.value) ? part.value : Buffer.from(part.value), Buffer.from("\r\n"));
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { payload: Buffer.concat(chunks), headers: { "content-type": `multipart/form-data; boundary=${boundary}` } };
}

/** Records bus events until `stop()`; `settle()` lets queued deliveries run first. */
export function recordEvents(server: TestServer) {
  const events: DomainEvent[] = [];
  const stop = server.deps.bus.subscribe((event) => {
    events.push(event);
  });
  return {
    stop,
    async settle() {
      await new Promise((resolve) => setImmediate(resolve));
    },
    of: (type: string) => events.filter((event) => event.type === type),
  };
}

/** The payload of an event, for reading its fields. */
export const dataOf = (event: DomainEvent | undefined): Record<string, any> => (event?.data ?? {}) as Record<string, any>;
