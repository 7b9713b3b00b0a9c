/** Revoked credentials end the gateway sessions they opened (4004, no resume). */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { registerUser } from "../support/harness.ts";
import type { GatewayClient } from "./gateway-client.ts";
import { type GatewayServer, guildWithMembers, startGatewayServer } from "./gateway-world.ts";

/** The close code, or a failure when the socket stays open. */
async function closeCode(client: GatewayClient, what: string, timeoutMs = 3000): Promise<number> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: the socket stayed open`)), timeoutMs);
  });
  try {
    return (await Promise.race([client.closed, timeout])).code;
  } finally {
    clearTimeout(timer);
  }
}

describe("gateway sessions of revoked credentials", () => {
  let server: GatewayServer;
  before(async () => {
    server = await startGatewayServer();
  });
  after(() => server.close());

  it("logout closes that token's sockets with 4004 for good; the user's other logins stay until they are logged out too", async () => {
    const { members } = await guildWithMembers(server, "rv_owner", "rv_ann", "rv_ben");
    const [ann, ben] = members as [(typeof members)[0], (typeof members)[0]];
    const second = await server.request("POST", "/auth/login", { body: { email: ann.email, password: ann.password } });
    assert.equal(second.status, 200, JSON.stringify(second.body));
    const otherToken: string = second.body.token;
    const phone = await server.login(ann);
    const laptop = await server.login(otherToken);
    const sessionId: string = (await phone.dispatch("READY")).d.session_id;

    const out = await server.request("POST", "/auth/logout", { token: ann.token });
    assert.equal(out.status, 204);
    assert.equal(await closeCode(phone, "the logged-out socket"), 4004);

    // A DM afterwards reaches the login that is still valid, and the ended session cannot be resumed to collect it.
    const dm = await server.request("POST", "/users/@me/channels", { token: ben.token, body: { recipient_id: ann.id } });
    assert.equal(dm.status, 200, JSON.stringify(dm.body));
    const sent = await server.request("POST", `/channels/${dm.body.id}/messages`, { token: ben.token, body: { content: "still there?" } });
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    await laptop.dispatch("MESSAGE_CREATE", (d) => d.id === sent.body.id);
    const retry = await server.connect();
    await retry.next((f) => f.op === 10, "HELLO");
    retry.send(6, { token: otherToken, session_id: sessionId, seq: phone.lastSeq });
    assert.equal((await retry.next((f) => f.op === 9, "INVALID_SESSION")).d, false);
    await retry.close();

    // Logging a session out from the sessions list does the same.
    const sessions = await server.request("GET", "/auth/sessions", { token: otherToken });
    assert.equal(sessions.status, 200);
    const current = sessions.body.find((s: { current: boolean }) => s.current);
    const loggedOut = await server.request("POST", "/auth/sessions/logout", {
      token: otherToken,
      body: { session_id_hashes: [current.id_hash], password: ann.password },
    });
    assert.equal(loggedOut.status, 204, JSON.stringify(loggedOut.body));
    assert.equal(await closeCode(laptop, "the socket of the session logged out from the list"), 4004);
  });

  it("a bot token reset closes the bot's sockets with 4004; deleting its application closes the new token's", async () => {
    const developer = await registerUser(server, "rv_dev");
    const app = await server.request("POST", "/oauth2/applications", { token: developer.token, body: { name: "RevokedBot" } });
    assert.equal(app.status, 200, JSON.stringify(app.body));
    const first = await server.login(app.body.bot.token);
    const prefixed = await server.login(`Bot ${app.body.bot.token}`);

    const reset = await server.request("POST", `/oauth2/applications/${app.body.id}/bot/reset-token`, {
      token: developer.token,
      body: { password: developer.password },
    });
    assert.equal(reset.status, 200, JSON.stringify(reset.body));
    assert.equal(await closeCode(first, "the bot's socket after the reset"), 4004);
    assert.equal(await closeCode(prefixed, "the bot's second socket after the reset"), 4004);

    const renewed = await server.login(reset.body.token);
    const deleted = await server.request("DELETE", `/oauth2/applications/${app.body.id}`, {
      token: developer.token,
      body: { password: developer.password },
    });
    assert.equal(deleted.status, 204);
    assert.equal(await closeCode(renewed, "the bot's socket after its application was deleted"), 4004);
  });
});
