/**
 * What the driver needs to know about a server, and nothing more: where REST and the gateway
 * are, how a token goes into the Authorization header, and how to get an account, a guild with a
 * text channel, an invite and a message in. Another Discord-compatible server gets its own adapter.
 */
import type { RestClient } from "./rest-client.ts";

export interface Account {
  userId: string;
  token: string;
}

export interface GuildChannel {
  guildId: string;
  channelId: string;
}

export interface ServerAdapter {
  readonly name: string;
  /** REST base, e.g. http://127.0.0.1:8080/api/v1 */
  readonly restBase: string;
  /** Full gateway URL with its query string */
  readonly gatewayUrl: string;
  authorization(token: string): string;
  register(rest: RestClient, name: string): Promise<Account>;
  createGuild(rest: RestClient, owner: Account, name: string): Promise<GuildChannel>;
  createInvite(rest: RestClient, owner: Account, channelId: string): Promise<string>;
  acceptInvite(rest: RestClient, user: Account, code: string): Promise<void>;
  messagePath(channelId: string): string;
  /** JSON body of a message carrying `nonce` (the scheduled send time). */
  messageBody(content: string, nonce: string): string;
  /** IDENTIFY's `d`. */
  identify(account: Account): unknown;
}

type Json = Record<string, unknown>;

function expectOk<T = Json>(what: string, response: { status: number; body: unknown }): T {
  if (response.status < 200 || response.status >= 300 || !response.body || typeof response.body !== "object") {
    throw new Error(`${what} answered ${response.status}: ${JSON.stringify(response.body)?.slice(0, 300)}`);
  }
  return response.body as T;
}

/** Our server (Fluxer protocol v1): session tokens go in the header as they are. */
export function fluxerAdapter(origin: string): ServerAdapter {
  const gatewayOrigin = origin.replace(/^http/, "ws");
  const authorization = (token: string) => token;
  return {
    name: "fluxer-appliance",
    restBase: `${origin}/api/v1`,
    gatewayUrl: `${gatewayOrigin}/gateway?v=1&encoding=json`,
    authorization,

    async register(rest, name) {
      const body = expectOk(
        "POST /auth/register",
        await rest.json("POST", "/auth/register", {
          body: { email: `${name}@bench.invalid`, username: name, password: `bench-${name}-password` },
        }),
      );
      return { userId: String(body.user_id), token: String(body.token) };
    },

    async createGuild(rest, owner, name) {
      const guild = expectOk(
        "POST /guilds",
        await rest.json("POST", "/guilds", { authorization: authorization(owner.token), body: { name } }),
      );
      const channels = expectOk<{ id: string; type: number }[]>(
        "GET /guilds/{id}/channels",
        await rest.json("GET", `/guilds/${guild.id}/channels`, { authorization: authorization(owner.token) }),
      );
      const text = channels.find((channel) => channel.type === 0);
      if (!text) throw new Error("the new guild has no text channel");
      return { guildId: String(guild.id), channelId: text.id };
    },

    async createInvite(rest, owner, channelId) {
      const invite = expectOk(
        "POST /channels/{id}/invites",
        await rest.json("POST", `/channels/${channelId}/invites`, {
          authorization: authorization(owner.token),
          body: { max_age: 0, max_uses: 0 },
        }),
      );
      return String(invite.code);
    },

    async acceptInvite(rest, user, code) {
      expectOk("POST /invites/{code}", await rest.json("POST", `/invites/${code}`, { authorization: authorization(user.token) }));
    },

    messagePath: (channelId) => `/channels/${channelId}/messages`,
    messageBody: (content, nonce) => JSON.stringify({ content, nonce }),
    identify: (account) => ({
      token: account.token,
      properties: { os: "linux", browser: "fluxer-bench", device: "fluxer-bench" },
    }),
  };
}
