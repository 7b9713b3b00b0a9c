import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import type { DomainEvent } from "../../src/bus/bus.port.ts";
import { registerUser, startTestServer, type TestServer } from "../support/harness.ts";

const ids = (users: { id: string }[]) => users.map((u) => u.id).sort();

describe("DMs and group DMs", () => {
  let server: TestServer;
  const events: DomainEvent[] = [];
  before(async () => {
    server = await startTestServer();
    server.deps.bus.subscribe((event) => events.push(event));
  });
  after(() => server.close());

  it("opens one DM per pair of users and lists it for both", async () => {
    const alice = await registerUser(server, "dm_alice");
    const bob = await registerUser(server, "dm_bob");
    const opened = await server.request("POST", "/users/@me/channels", { token: alice.token, body: { recipient_id: bob.id } });
    assert.equal(opened.status, 200);
    assert.equal(opened.body.type, 1);
    assert.deepEqual(ids(opened.body.recipients), [bob.id]);
    const again = await server.request("POST", "/users/@me/channels", { token: bob.token, body: { recipient_id: alice.id } });
    assert.equal(again.body.id, opened.body.id, "the same DM from the other side");
    assert.deepEqual(ids(again.body.recipients), [alice.id]);

    const listed = await server.request("GET", "/users/@me/channels", { token: bob.token });
    assert.equal(listed.status, 200);
    assert.deepEqual(
      listed.body.map((c: { id: string }) => c.id),
      [opened.body.id],
    );
    const created = events.filter((e) => e.type === "CHANNEL_CREATE" && (e.data as { id: string }).id === opened.body.id);
    assert.ok(created.some((e) => e.audience.kind === "users" && e.audience.userIds.includes(BigInt(bob.id))));
    // Both sides may talk in it; nobody else may read it.
    const sent = await server.request("POST", `/channels/${opened.body.id}/messages`, { token: bob.token, body: { content: "hi" } });
    assert.equal(sent.status, 200, JSON.stringify(sent.body));
    const history = await server.request("GET", `/channels/${opened.body.id}/messages`, { token: alice.token });
    assert.equal(history.body[0].content, "hi");
    const outsider = await registerUser(server, "dm_outsider");
    const peek = await server.request("GET", `/channels/${opened.body.id}/messages`, { token: outsider.token });
    assert.equal(peek.status, 403);
    assert.equal(peek.body.code, "MISSING_ACCESS");
  });

  it("refuses a DM with oneself, with nobody, and with an unknown user", async () => {
    const carol = await registerUser(server, "dm_carol");
    const self = await server.request("POST", "/users/@me/channels", { token: carol.token, body: { recipient_id: carol.id } });
    assert.equal(self.status, 400);
    assert.equal(self.body.errors[0].path, "recipient_id");
    const empty = await server.request("POST", "/users/@me/channels", { token: carol.token, body: {} });
    assert.equal(empty.status, 400);
    const unknown = await server.request("POST", "/users/@me/channels", {
      token: carol.token,
      body: { recipient_id: "123456789012345678" },
    });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.code, "UNKNOWN_USER");
    const malformed = await server.request("POST", "/users/@me/channels", { token: carol.token, body: { recipient_id: "bob" } });
    assert.equal(malformed.status, 400);
    assert.equal(malformed.body.errors[0].path, "recipient_id");
  });

  it("makes a group DM owned by its creator, adds and removes members, and lets members leave", async () => {
    const owner = await registerUser(server, "gdm_owner");
    const ann = await registerUser(server, "gdm_ann");
    const ben = await registerUser(server, "gdm_ben");
    const cat = await registerUser(server, "gdm_cat");
    const created = await server.request("POST", "/users/@me/channels", {
      token: owner.token,
      body: { recipients: [ann.id, ben.id] },
    });
    assert.equal(created.status, 200);
    assert.equal(created.body.type, 3);
    assert.equal(created.body.owner_id, owner.id);
    assert.deepEqual(ids(created.body.recipients), ids([ann, ben]));
    const channelId = created.body.id;
    const history = server.deps.stores.messages.list(BigInt(channelId), { limit: 10 });
    assert.deepEqual(
      history.map((m) => m.type),
      [1, 1],
      "a RECIPIENT_ADD line per added member",
    );

    // Any member may add someone; the newcomer gets the channel, the others a RECIPIENT_ADD.
    const added = await server.request("PUT", `/channels/${channelId}/recipients/${cat.id}`, { token: ann.token });
    assert.equal(added.status, 204);
    const catList = await server.request("GET", "/users/@me/channels", { token: cat.token });
    assert.deepEqual(ids(catList.body[0].recipients), ids([owner, ann, ben]));
    assert.ok(events.some((e) => e.type === "CHANNEL_RECIPIENT_ADD" && (e.data as { user: { id: string } }).user.id === cat.id));
    const line = events.find(
      (e) => e.type === "MESSAGE_CREATE" && (e.data as { type: number; mentions: { id: string }[] }).mentions[0]?.id === cat.id,
    );
    assert.ok(line, "the RECIPIENT_ADD line is dispatched");
    const lineData = line.data as { type: number; author: { id: string } };
    assert.equal(lineData.type, 1);
    assert.equal(lineData.author.id, ann.id);
    assert.equal((await server.request("PUT", `/channels/${channelId}/recipients/${cat.id}`, { token: ann.token })).status, 204);

    // Only the owner removes others.
    const notOwner = await server.request("DELETE", `/channels/${channelId}/recipients/${ben.id}`, { token: ann.token });
    assert.equal(notOwner.status, 403);
    assert.equal(notOwner.body.code, "MISSING_PERMISSIONS");
    const kicked = await server.request("DELETE", `/channels/${channelId}/recipients/${ben.id}`, { token: owner.token });
    assert.equal(kicked.status, 204);
    const benSees = await server.request("GET", "/users/@me/channels", { token: ben.token });
    assert.equal(benSees.body.length, 0);
    const benRead = await server.request("PUT", `/channels/${channelId}/recipients/${ben.id}`, { token: ben.token });
    assert.equal(benRead.status, 403);
    assert.equal(benRead.body.code, "MISSING_ACCESS");
    assert.ok(events.some((e) => e.type === "CHANNEL_RECIPIENT_REMOVE" && (e.data as { user: { id: string } }).user.id === ben.id));

    // The owner leaving hands the group to someone who stays.
    const left = await server.request("DELETE", `/channels/${channelId}/recipients/${owner.id}`, { token: owner.token });
    assert.equal(left.status, 204);
    const annView = await server.request("GET", "/users/@me/channels", { token: ann.token });
    const group = annView.body.find((c: { id: string }) => c.id === channelId);
    assert.notEqual(group.owner_id, owner.id);
    assert.ok([ann.id, cat.id].includes(group.owner_id));
    assert.deepEqual(ids(group.recipients), [cat.id]);
  });

  it("deletes a group DM when its last member leaves", async () => {
    const solo = await registerUser(server, "gdm_solo");
    const created = await server.request("POST", "/users/@me/channels", { token: solo.token, body: { recipients: [] } });
    assert.equal(created.status, 200);
    assert.equal(created.body.recipients.length, 0);
    const left = await server.request("DELETE", `/channels/${created.body.id}/recipients/${solo.id}`, {
      token: solo.token,
      query: { silent: "true" },
    });
    assert.equal(left.status, 204);
    assert.equal(server.deps.stores.channels.get(BigInt(created.body.id)), null);
  });

  it("caps group DMs and rejects bad recipient lists", async () => {
    const host = await registerUser(server, "gdm_host");
    const guests = [];
    for (let i = 0; i < 10; i++) guests.push(await registerUser(server, `gdm_guest${i}`));
    const tooMany = await server.request("POST", "/users/@me/channels", {
      token: host.token,
      body: { recipients: guests.map((g) => g.id) },
    });
    assert.equal(tooMany.status, 400);
    assert.equal(tooMany.body.code, "MAX_GROUP_DM_RECIPIENTS");
    const full = await server.request("POST", "/users/@me/channels", {
      token: host.token,
      body: { recipients: guests.slice(0, 9).map((g) => g.id) },
    });
    assert.equal(full.status, 200);
    const eleventh = await server.request("PUT", `/channels/${full.body.id}/recipients/${guests[9]?.id}`, { token: host.token });
    assert.equal(eleventh.status, 400);
    assert.equal(eleventh.body.code, "MAX_GROUP_DM_RECIPIENTS");

    const dup = await server.request("POST", "/users/@me/channels", {
      token: host.token,
      body: { recipients: [guests[0]?.id, guests[0]?.id] },
    });
    assert.equal(dup.status, 400);
    assert.equal(dup.body.errors[0].path, "recipients");
    const unknown = await server.request("POST", "/users/@me/channels", {
      token: host.token,
      body: { recipients: ["123456789012345678"] },
    });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.code, "UNKNOWN_USER");

    // Recipients routes only work on group DMs.
    const dm = await server.request("POST", "/users/@me/channels", { token: host.token, body: { recipient_id: guests[0]?.id } });
    const onDm = await server.request("PUT", `/channels/${dm.body.id}/recipients/${guests[1]?.id}`, { token: host.token });
    assert.equal(onDm.status, 400);
    assert.equal(onDm.body.code, "INVALID_CHANNEL_TYPE");
    const unknownChannel = await server.request("PUT", `/channels/123456789012345678/recipients/${guests[1]?.id}`, {
      token: host.token,
    });
    assert.equal(unknownChannel.status, 404);
    assert.equal(unknownChannel.body.code, "UNKNOWN_CHANNEL");
    const notIn = await server.request("DELETE", `/channels/${full.body.id}/recipients/${guests[9]?.id}`, { token: host.token });
    assert.equal(notIn.status, 400);
  });

  it("lets group DM members invite others with an invite code", async () => {
    const host = await registerUser(server, "gdm_inviter");
    const friend = await registerUser(server, "gdm_friend");
    const joiner = await registerUser(server, "gdm_joiner");
    const group = await server.request("POST", "/users/@me/channels", { token: host.token, body: { recipients: [friend.id] } });
    const invite = await server.request("POST", `/channels/${group.body.id}/invites`, { token: friend.token, body: { max_uses: 1 } });
    assert.equal(invite.status, 200);
    assert.equal(invite.body.type, 1);
    const preview = await server.request("GET", `/invites/${invite.body.code}`);
    assert.equal(preview.status, 200);
    assert.equal(preview.body.member_count, 2);
    const accepted = await server.request("POST", `/invites/${invite.body.code}`, { token: joiner.token });
    assert.equal(accepted.status, 200);
    assert.equal(accepted.body.member_count, 3);
    const stored = server.deps.stores.channels.get(BigInt(group.body.id));
    assert.ok(stored?.recipientIds.includes(BigInt(joiner.id)));
    const listed = await server.request("GET", `/channels/${group.body.id}/invites`, { token: host.token });
    assert.equal(listed.status, 200);
    assert.equal(listed.body.length, 0, "the used-up invite is no longer listed");
    const dm = await server.request("POST", "/users/@me/channels", { token: host.token, body: { recipient_id: friend.id } });
    const dmInvite = await server.request("POST", `/channels/${dm.body.id}/invites`, { token: host.token, body: {} });
    assert.equal(dmInvite.status, 400);
    assert.equal(dmInvite.body.code, "INVALID_CHANNEL_TYPE");
  });
});
