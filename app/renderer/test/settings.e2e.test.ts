/**
 * Community settings in a real browser: the community's name, roles and their permissions,
 * channel overwrites, moderation from the member list, pins and presence. Each power is shown
 * only to those who hold it, and what one person changes the other sees live.
 */
import assert from "node:assert/strict";
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import type { Browser, Page } from "playwright-core";
import type { ServerProcess } from "../../../server/test/support/server-process.ts";
import { seriousViolations } from "./support/axe.ts";
import { browserSkipReason, launchBrowser } from "./support/browser.ts";
import { messageWith, send } from "./support/chat-actions.ts";
import { ensureClientBuilt } from "./support/client-build.ts";
import { startE2eServer } from "./support/e2e-server.ts";
import { cspViolations } from "./support/page-watch.ts";
import { apiFor, communityOf, type Person, pageAs, registerPerson } from "./support/rest-world.ts";
import { until } from "./support/wait.ts";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const shotsDir = join(repoRoot, "test-results");
const skip = browserSkipReason();

describe("community settings, moderation and pins in a real browser", { skip: skip ?? false }, () => {
  let server: ServerProcess;
  let browser: Browser;
  let dir: string;
  let origin: string;
  let alice: Person;
  let bob: Person;
  let guildId: string;
  let channelId: string;
  let owner: Page;
  let member: Page;
  const seen = new Set<string>();

  before(async () => {
    ensureClientBuilt();
    mkdirSync(shotsDir, { recursive: true });
    ({ server, dir } = await startE2eServer({ resumeWindowMs: 5000 }));
    origin = server.origin;
    alice = await registerPerson(origin, "alice@example.test", "Alice");
    bob = await registerPerson(origin, "bob@example.test", "Bob");
    ({ guildId, channelId } = await communityOf(origin, alice, "Settings Club", [bob]));
    browser = await launchBrowser();
    owner = await pageAs(browser, origin, alice, `/channels/${guildId}/${channelId}`, seen);
    member = await pageAs(browser, origin, bob, `/channels/${guildId}/${channelId}`, seen);
    for (const page of [owner, member]) {
      await page.getByRole("textbox", { name: "Message #general" }).waitFor();
    }
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const membersOf = (page: Page) => page.getByRole("complementary", { name: "Members" });

  it("shows a plain member none of the settings or moderation controls", async () => {
    await membersOf(member).getByText("Alice").waitFor();
    assert.equal(await member.getByRole("button", { name: "Community settings" }).count(), 0);
    assert.equal(await member.getByRole("button", { name: "Channel settings" }).count(), 0);
    assert.equal(
      await membersOf(member)
        .getByRole("button", { name: /^(Kick|Ban|Time out) / })
        .count(),
      0,
    );
    await owner.getByRole("button", { name: "Community settings" }).waitFor();
    await membersOf(owner).getByRole("button", { name: "Time out Bob" }).waitFor({ state: "attached" });
  });

  it("lists who is online, in role groups, as Discord does", async () => {
    await membersOf(owner).getByRole("region", { name: "Online, 2" }).waitFor();
    const carol = await registerPerson(origin, "carol@example.test", "Carol");
    const invite = await apiFor(origin, alice.token)<{ code: string }>("POST", `/channels/${channelId}/invites`, {});
    await apiFor(origin, carol.token)("POST", `/invites/${invite.code}`);
    // Carol has never connected: offline.
    await membersOf(owner).getByRole("region", { name: "Offline, 1" }).getByText("Carol").waitFor();
    const carolPage = await pageAs(browser, origin, carol, `/channels/${guildId}/${channelId}`, seen);
    await membersOf(owner).getByRole("region", { name: "Online, 3" }).getByText("Carol").waitFor();
    await carolPage.context().close();
    await membersOf(owner).getByRole("region", { name: "Offline, 1" }).getByText("Carol").waitFor({ timeout: 20_000 });
  });

  it("renames the community; the member sees the new name live", async () => {
    await owner.getByRole("button", { name: "Community settings" }).click();
    const dialog = owner.getByRole("dialog", { name: "Community settings" });
    await dialog.getByLabel("Community name").fill("Renamed Club");
    await dialog.getByRole("button", { name: "Save", exact: true }).click();
    await dialog.getByRole("status").filter({ hasText: "Saved" }).waitFor();
    await member.getByRole("navigation", { name: "Channels" }).getByRole("heading", { name: "Renamed Club" }).waitFor();
  });

  it("creates a hoisted, coloured role with Manage Channels; the member who gets it sees its powers", async () => {
    const dialog = owner.getByRole("dialog", { name: "Community settings" });
    await dialog.getByRole("tab", { name: "Roles" }).click();
    await dialog.getByRole("button", { name: "Create role" }).click();
    const form = dialog.getByRole("form", { name: "Role new role" });
    await form.getByLabel("Role name").fill("Mods");
    await form.getByLabel("Coloured name").check();
    await form.getByLabel("Role colour").fill("#e91e63");
    await form.getByLabel("Show members separately in the member list").check();
    await form.getByLabel("Manage channels").check();
    await form.getByLabel("Kick members").check();
    // A new role starts with @everyone's defaults; this one may not pin.
    await form.getByLabel("Pin messages").uncheck();
    await form.getByRole("button", { name: "Save role" }).click();
    await dialog.getByRole("list", { name: "Roles" }).getByRole("button", { name: "Mods" }).waitFor();
    assert.deepEqual(await seriousViolations(owner), []);
    await owner.screenshot({ animations: "disabled", path: join(shotsDir, "settings-roles-desktop-light.png") });

    const mods = await apiFor(origin, alice.token)<{ id: string; name: string }[]>("GET", `/guilds/${guildId}/roles`);
    const modsRole = mods.find((r) => r.name === "Mods");
    assert.ok(modsRole);
    await apiFor(origin, alice.token)("PUT", `/guilds/${guildId}/members/${bob.id}/roles/${modsRole.id}`);
    await member.getByRole("button", { name: "Create channel" }).waitFor();
    await member.getByRole("button", { name: "Channel settings" }).waitFor();
    const group = membersOf(member).getByRole("region", { name: "Mods, 1" });
    await group.getByText("Bob").waitFor();
    assert.equal(await group.getByText("Bob").evaluate((el) => getComputedStyle(el).color), "rgb(233, 30, 99)");
    // Kick, but not ban or time out: only what the role grants. The owner cannot be kicked.
    assert.equal(
      await membersOf(member)
        .getByRole("button", { name: /^(Ban|Time out|Kick) Alice/ })
        .count(),
      0,
    );
  });

  it("orders roles: a new one moves above another", async () => {
    const dialog = owner.getByRole("dialog", { name: "Community settings" });
    await dialog.getByRole("button", { name: "Create role" }).click();
    const form = dialog.getByRole("form", { name: "Role new role" });
    await form.getByLabel("Role name").fill("Helpers");
    await form.getByRole("button", { name: "Save role" }).click();
    const names = () => dialog.getByRole("list", { name: "Roles" }).getByRole("button").allInnerTexts();
    await until("Helpers is listed", async () => (await names()).includes("Helpers"));
    const before = await names();
    const helpersForm = dialog.getByRole("form", { name: "Role Helpers" });
    const [upper, lower] = before.indexOf("Helpers") < before.indexOf("Mods") ? ["Helpers", "Mods"] : ["Mods", "Helpers"];
    await dialog.getByRole("list", { name: "Roles" }).getByRole("button", { name: lower }).click();
    await dialog
      .getByRole("form", { name: `Role ${lower}` })
      .getByRole("button", { name: "Move up" })
      .click();
    await until("the order changed", async () => {
      const now = await names();
      return now.indexOf(lower) < now.indexOf(upper);
    });
    const server = await apiFor(origin, alice.token)<{ name: string; position: number }[]>("GET", `/guilds/${guildId}/roles`);
    const at = (n: string) => server.find((r) => r.name === n)?.position ?? -1;
    assert.ok(at(lower) > at(upper), `the server has ${lower} above ${upper}`);
    assert.equal(await helpersForm.count(), lower === "Helpers" ? 1 : 0);
  });

  it("takes a permission from @everyone; the member loses that control live", async () => {
    const dialog = owner.getByRole("dialog", { name: "Community settings" });
    await dialog.getByRole("list", { name: "Roles" }).getByRole("button", { name: "@everyone" }).click();
    const form = dialog.getByRole("form", { name: "Role @everyone" });
    await form.getByLabel("Pin messages").uncheck();
    await form.getByRole("button", { name: "Save role" }).click();
    await form.getByRole("status").filter({ hasText: "Saved" }).waitFor();
    await dialog.getByRole("button", { name: "Close" }).click();
    await send(owner, "general", "a message worth pinning");
    const message = messageWith(member, "a message worth pinning");
    await message.hover();
    await message.getByRole("button", { name: "Reply" }).waitFor();
    assert.equal(await message.getByRole("button", { name: "Pin" }).count(), 0);
  });

  it("pins a message; a notice appears and the pins panel lists it; unpin takes it away", async () => {
    const message = messageWith(owner, "a message worth pinning");
    await message.hover();
    await message.getByRole("button", { name: "Pin" }).click();
    await member.getByRole("article", { name: "Alice pinned a message" }).waitFor();
    await member.getByRole("button", { name: "Pinned messages" }).click();
    const panel = member.getByRole("region", { name: "Pinned messages" });
    await panel.getByText("a message worth pinning").waitFor();
    assert.equal(await panel.getByRole("button", { name: "Unpin" }).count(), 0, "the member may not pin, so not unpin either");
    await owner.getByRole("button", { name: "Pinned messages" }).click();
    const ownerPanel = owner.getByRole("region", { name: "Pinned messages" });
    await ownerPanel.getByRole("button", { name: "Unpin" }).click();
    await panel.getByText("No pinned messages").waitFor();
    await ownerPanel.getByRole("button", { name: "Close pinned messages" }).click();
    await member.getByRole("button", { name: "Close pinned messages" }).click();
  });

  it("denies Send Messages to @everyone in the channel, then allows it for the member alone", async () => {
    await owner.getByRole("button", { name: "Channel settings" }).click();
    const dialog = owner.getByRole("dialog", { name: "#general settings" });
    await dialog.getByRole("tab", { name: "Permissions" }).click();
    await dialog.getByLabel("Add a role or member").selectOption({ label: "Role: @everyone" });
    await dialog.getByRole("button", { name: "Add overwrite" }).click();
    let form = dialog.getByRole("form", { name: "Overwrite for @everyone" });
    await form.getByRole("group", { name: "Send messages" }).getByLabel("Deny").check();
    await form.getByRole("button", { name: "Save overwrite" }).click();
    await member.getByText("You do not have permission to send messages in this channel.").waitFor();
    assert.deepEqual(await seriousViolations(owner), []);
    await owner.screenshot({ animations: "disabled", path: join(shotsDir, "settings-overwrites-desktop-light.png") });

    await dialog.getByLabel("Add a role or member").selectOption({ label: "Member: Bob" });
    await dialog.getByRole("button", { name: "Add overwrite" }).click();
    form = dialog.getByRole("form", { name: "Overwrite for Bob" });
    await form.getByRole("group", { name: "Send messages" }).getByLabel("Allow").check();
    await form.getByRole("button", { name: "Save overwrite" }).click();
    await member.getByRole("textbox", { name: "Message #general" }).waitFor();

    const channel = await apiFor(origin, alice.token)<{ permission_overwrites: { id: string; allow: string; deny: string }[] }>(
      "GET",
      `/channels/${channelId}`,
    );
    const sendBit = (1n << 11n).toString();
    assert.deepEqual(
      channel.permission_overwrites.map((o) => [o.id, o.allow, o.deny]).sort(),
      [
        [bob.id, sendBit, "0"],
        [guildId, "0", sendBit],
      ].sort(),
    );
    // Back to how it was: remove both.
    await form.getByRole("button", { name: "Remove overwrite" }).click();
    await dialog.getByRole("list", { name: "Overwrites" }).getByRole("button", { name: "@everyone" }).click();
    await dialog.getByRole("form", { name: "Overwrite for @everyone" }).getByRole("button", { name: "Remove overwrite" }).click();
    await until(
      "no overwrites left",
      async () => (await dialog.getByRole("list", { name: "Overwrites" }).getByRole("listitem").count()) === 0,
    );
    await dialog.getByRole("button", { name: "Close" }).click();
  });

  it("times a member out with a reason: they cannot write until the timeout is lifted", async () => {
    await membersOf(owner).getByText("Bob").hover();
    await membersOf(owner).getByRole("button", { name: "Time out Bob" }).click();
    const dialog = owner.getByRole("dialog", { name: "Time out Bob" });
    await dialog.getByLabel("Duration").selectOption({ label: "1 hour" });
    await dialog.getByLabel(/^Reason/).fill("cool down");
    assert.deepEqual(await seriousViolations(owner), []);
    await dialog.getByRole("button", { name: "Time out" }).click();
    await member.getByText("You do not have permission to send messages in this channel.").waitFor();
    await membersOf(owner).getByText("timed out").waitFor();
    const log = await apiFor(origin, alice.token)<{ audit_log_entries: { reason?: string | null }[] }>(
      "GET",
      `/guilds/${guildId}/audit-logs?limit=5`,
    );
    assert.ok(
      log.audit_log_entries.some((e) => e.reason === "cool down"),
      "the reason is in the audit log",
    );
    await membersOf(owner).getByText("Bob").hover();
    await membersOf(owner).getByRole("button", { name: "Lift timeout Bob" }).click();
    await owner.getByRole("dialog", { name: "Remove timeout for Bob" }).getByRole("button", { name: "Remove timeout" }).click();
    await member.getByRole("textbox", { name: "Message #general" }).waitFor();
  });

  it("kicks a member after a confirmation; they leave the list", async () => {
    const dave = await registerPerson(origin, "dave@example.test", "Dave");
    const invite = await apiFor(origin, alice.token)<{ code: string }>("POST", `/channels/${channelId}/invites`, {});
    await apiFor(origin, dave.token)("POST", `/invites/${invite.code}`);
    await membersOf(owner).getByText("Dave").hover();
    await membersOf(owner).getByRole("button", { name: "Kick Dave" }).click();
    const dialog = owner.getByRole("dialog", { name: "Kick Dave" });
    await dialog.getByLabel(/^Reason/).fill("testing kicks");
    await dialog.getByRole("button", { name: "Kick" }).click();
    await until("Dave is gone", async () => (await membersOf(owner).getByText("Dave").count()) === 0);
  });

  it("takes screenshots of the settings and the member list, light and dark, desktop and phone", async () => {
    for (const scheme of ["light", "dark"] as const) {
      await owner.emulateMedia({ colorScheme: scheme });
      await owner.setViewportSize({ width: 1280, height: 800 });
      await owner.screenshot({ animations: "disabled", path: join(shotsDir, `members-desktop-${scheme}.png`) });
      await owner.getByRole("button", { name: "Community settings" }).click();
      const dialog = owner.getByRole("dialog", { name: "Community settings" });
      await dialog.getByRole("tab", { name: "Roles" }).click();
      await dialog.getByRole("list", { name: "Roles" }).getByRole("button", { name: "Mods" }).click();
      await owner.screenshot({ animations: "disabled", path: join(shotsDir, `settings-roles-desktop-${scheme}.png`) });
      await owner.setViewportSize({ width: 390, height: 844 });
      await owner.screenshot({ animations: "disabled", path: join(shotsDir, `settings-roles-phone-${scheme}.png`) });
      await dialog.getByRole("button", { name: "Close" }).click();
    }
    await owner.emulateMedia({ colorScheme: "light" });
    await owner.setViewportSize({ width: 1280, height: 800 });
  });

  it("sent nothing to any other origin and broke no CSP rule", () => {
    const ws = origin.replace(/^http/, "ws");
    assert.deepEqual(
      [...seen].filter((o) => o !== origin && o !== ws),
      [],
    );
    assert.deepEqual(cspViolations, []);
  });
});
