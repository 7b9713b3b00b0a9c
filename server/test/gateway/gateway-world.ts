/**
 * A listening server for gateway tests (real sockets), with short timings, plus a guild with
 * members joined through the REST API.
 */
import assert from "node:assert/strict";
import type { ConfigInput } from "../../src/config.ts";
import { Permission } from "../../src/permissions.ts";
import { freePort } from "../support/engines.ts";
import { registerUser, startTestServer, type TestServer, type TestUser } from "../support/harness.ts";
import { createGuild, type TestGuild } from "../support/invite-world.ts";
import { type ClientOptions, GatewayClient } from "./gateway-client.ts";

export interface GatewayServer extends TestServer {
  url: string;
  port: number;
  connect(options?: ClientOptions): Promise<GatewayClient>;
  /** Connects and identifies; resolves with the client once READY has arrived. */
  login(user: TestUser | string, extra?: Record<string, unknown>, options?: ClientOptions): Promise<GatewayClient>;
}

export const FAST_GATEWAY = {
  heartbeat_interval_ms: 400,
  heartbeat_timeout_ms: 5000,
  resume_window_ms: 5000,
};

function merge(base: Record<string, any>, extra: Record<string, any>): Record<string, any> {
  const out = { ...base };
  for (const [k, v] of Object.entries(extra)) out[k] = v && typeof v === "object" && !Array.isArray(v) ? merge(base[k] ?? {}, v) : v;
  return out;
}

export async function startGatewayServer(overrides: ConfigInput = {}): Promise<GatewayServer> {
  // The port is fixed up front so GET /gateway/bot advertises the URL clients can really reach.
  const port = await freePort();
  const config = merge({ gateway: FAST_GATEWAY, services: { server: { host: "127.0.0.1", port } } }, overrides as Record<string, any>);
  const server = await startTestServer(config as ConfigInput);
  await server.app.listen({ port, host: "127.0.0.1" });
  const url = `ws://127.0.0.1:${port}/gateway`;
  const connect = (options?: ClientOptions) => GatewayClient.connect(url, options);
  return Object.assign(server, {
    url,
    port,
    connect,
    async login(user: TestUser | string, extra: Record<string, unknown> = {}, options?: ClientOptions) {
      const client = await connect(options);
      await client.ready(typeof user === "string" ? user : user.token, extra);
      return client;
    },
  });
}

/** An owner's guild that `others` joined through an invite (REST), in order. */
export async function guildWithMembers(server: TestServer, ownerName: string, ...others: string[]) {
  const owner = await registerUser(server, ownerName);
  const guild: TestGuild = await createGuild(server, owner, `${ownerName}'s place`);
  const invite = await server.request("POST", `/channels/${guild.channelId}/invites`, { token: owner.token, body: { max_age: 0 } });
  assert.equal(invite.status, 200, JSON.stringify(invite.body));
  const members: TestUser[] = [];
  for (const name of others) {
    const user = await registerUser(server, name);
    const joined = await server.request("POST", `/invites/${invite.body.code}`, { token: user.token });
    assert.equal(joined.status, 200, JSON.stringify(joined.body));
    members.push(user);
  }
  return { owner, guild, members, inviteCode: invite.body.code as string };
}

/** A guild with a #secret text channel that the second member (the outsider) may not view. */
export async function guildWithHiddenChannel(server: TestServer, prefix: string) {
  const { owner, guild, members } = await guildWithMembers(server, `${prefix}_owner`, `${prefix}_insider`, `${prefix}_outsider`);
  const [insider, outsider] = members as [TestUser, TestUser];
  const secret = await server.request("POST", `/guilds/${guild.id}/channels`, { token: owner.token, body: { name: "secret", type: 0 } });
  assert.equal(secret.status, 200, JSON.stringify(secret.body));
  const denied = await server.request("PUT", `/channels/${secret.body.id}/permissions/${outsider.id}`, {
    token: owner.token,
    body: { type: 1, allow: "0", deny: Permission.VIEW_CHANNEL.toString() },
  });
  assert.equal(denied.status, 204, JSON.stringify(denied.body));
  return { owner, guild, insider, outsider, secretId: secret.body.id as string };
}
