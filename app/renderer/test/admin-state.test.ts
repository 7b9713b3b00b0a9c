/** Settings and member-list rules without a browser: overwrite toggles, role order, groups, history windows. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import type { Member, Message, Role } from "../src/api/types.ts";
import { applyPresences, emptyChat, mergeHistory, mergeNewer, showWindow, upsertMessage } from "../src/state/chat-state.ts";
import { groupMembers } from "../src/state/member-groups.ts";
import { moveRole, overwriteChoice, rolesTopDown, setOverwriteChoice } from "../src/state/permission-catalog.ts";
import { Permission } from "../src/state/permissions.ts";

const guildId = "900";
const role = (id: string, position: number, extra: Partial<Role> = {}): Role => ({
  id,
  name: `r${id}`,
  color: 0,
  position,
  permissions: "0",
  hoist: false,
  ...extra,
});
const roles = Object.fromEntries([role(guildId, 0), role("1", 1), role("2", 2), role("3", 3)].map((r) => [r.id, r]));

describe("overwrite toggles", () => {
  it("moves one permission between allow, deny and inherit without touching the others", () => {
    let bits = { allow: Permission.AddReactions, deny: 0n };
    bits = setOverwriteChoice(bits, Permission.SendMessages, "deny");
    assert.equal(overwriteChoice(bits.allow, bits.deny, Permission.SendMessages), "deny");
    bits = setOverwriteChoice(bits, Permission.SendMessages, "allow");
    assert.deepEqual(bits, { allow: Permission.AddReactions | Permission.SendMessages, deny: 0n });
    bits = setOverwriteChoice(bits, Permission.SendMessages, "inherit");
    assert.deepEqual(bits, { allow: Permission.AddReactions, deny: 0n });
    assert.equal(overwriteChoice(bits.allow, bits.deny, Permission.ViewChannel), "inherit");
  });
});

describe("role order", () => {
  it("lists roles highest first with @everyone last", () => {
    assert.deepEqual(
      rolesTopDown(roles, guildId).map((r) => r.id),
      ["3", "2", "1", guildId],
    );
  });

  it("moves a role up one step and renumbers above @everyone; refuses past the edges", () => {
    assert.deepEqual(moveRole(roles, guildId, "1", 1), [
      { id: "3", position: 3 },
      { id: "1", position: 2 },
      { id: "2", position: 1 },
    ]);
    assert.deepEqual(moveRole(roles, guildId, "3", -1)?.[0], { id: "2", position: 3 });
    assert.equal(moveRole(roles, guildId, "3", 1), null);
    assert.equal(moveRole(roles, guildId, "1", -1), null);
  });
});

describe("member list groups", () => {
  const user = (id: string, name: string) => ({ id, username: name, discriminator: "0", global_name: name, avatar: null });
  const member = (id: string, name: string, roleIds: string[]): Member => ({ user: user(id, name), roles: roleIds, joined_at: "" });
  const hoisted = { ...roles, "3": role("3", 3, { hoist: true, name: "Mods" }), "2": role("2", 2, { hoist: true, name: "Helpers" }) };
  const members = Object.fromEntries(
    [member("a", "Zed", ["3", "2"]), member("b", "Amy", ["2"]), member("c", "Bob", []), member("d", "Cat", ["3"])].map((m) => [
      m.user.id,
      m,
    ]),
  );

  it("puts online members under their highest hoisted role, the rest under Online, offline ones last", () => {
    const state = applyPresences(emptyChat, [
      { user: { id: "a" }, status: "online" },
      { user: { id: "b" }, status: "idle" },
      { user: { id: "c" }, status: "dnd" },
    ]);
    const groups = groupMembers(members, hoisted, state.presences);
    assert.deepEqual(
      groups.map((g) => [g.name, g.members.map((m) => m.user.global_name)]),
      [
        ["Mods", ["Zed"]],
        ["Helpers", ["Amy"]],
        ["Online", ["Bob"]],
        ["Offline", ["Cat"]],
      ],
    );
  });

  it("forgets a presence that goes offline", () => {
    const online = applyPresences(emptyChat, [{ user: { id: "a" }, status: "online" }]);
    assert.deepEqual(applyPresences(online, [{ user: { id: "a" }, status: "offline" }]).presences, {});
  });
});

describe("history windows", () => {
  const author = { id: "1", username: "a", discriminator: "0", global_name: null, avatar: null };
  const msg = (id: string): Message => ({
    id,
    channel_id: "c",
    author,
    type: 0,
    content: id,
    timestamp: "2026-12-04T00:00:00.000Z",
    edited_timestamp: null,
  });
  const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => msg(String(from + i)));

  it("replaces the loaded history with a window around an old message, extends it downwards, and returns to the present", () => {
    let state = mergeHistory(emptyChat, "c", range(950, 1000), 50, false);
    state = showWindow(state, "c", range(100, 150));
    const shown = state.messages.c;
    assert.equal(shown?.messages[0]?.id, "100");
    assert.equal(shown?.hasMoreAfter, true);
    assert.equal(shown?.windowId, 1);
    state = mergeNewer(state, "c", range(150, 200), 50);
    assert.equal(state.messages.c?.messages.length, 100);
    assert.equal(state.messages.c?.hasMoreAfter, true);
    state = mergeNewer(state, "c", range(200, 210), 50);
    assert.equal(state.messages.c?.hasMoreAfter, false);
    // A page of the newest while a window is shown: back to the present, not a list with a gap.
    state = showWindow(state, "c", range(100, 150));
    state = mergeHistory(state, "c", range(950, 1000), 50, false);
    assert.deepEqual(
      [state.messages.c?.messages[0]?.id, state.messages.c?.messages.length, state.messages.c?.hasMoreAfter],
      ["950", 50, false],
    );
    assert.equal(state.messages.c?.windowId, 3);
    assert.equal(upsertMessage(state, msg("1000")).messages.c?.messages.at(-1)?.id, "1000");
  });
});
