/**
 * The web client end to end: a real server process (black box) and Debian's Chromium. Two people
 * meet through an invite and chat; the gateway is cut and resumed; nothing leaves the instance.
 */
import assert from "node:assert/strict";
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import type { Browser, BrowserContext, Page } from "playwright-core";
import type { ServerProcess } from "../../../server/test/support/server-process.ts";
import { seriousViolations } from "./support/axe.ts";
import { browserSkipReason, launchBrowser } from "./support/browser.ts";
import { messageWith, register, send } from "./support/chat-actions.ts";
import { ensureClientBuilt } from "./support/client-build.ts";
import { startE2eServer } from "./support/e2e-server.ts";
import { GatewayTap } from "./support/gateway-tap.ts";
import { cspViolations, recordOrigins } from "./support/page-watch.ts";
import { until } from "./support/wait.ts";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const shotsDir = join(repoRoot, "test-results");
const skip = browserSkipReason();
const resumeWindowMs = 5000;

describe("web client in a real browser", { skip: skip ?? false }, () => {
  let server: ServerProcess;
  let browser: Browser;
  let dir: string;
  let origin: string;
  const seenOrigins = new Set<string>();
  let owner: Page;
  let member: Page;
  let ownerContext: BrowserContext;
  let memberContext: BrowserContext;
  const ownerTap = new GatewayTap();
  let inviteLink = "";

  before(async () => {
    ensureClientBuilt();
    mkdirSync(shotsDir, { recursive: true });
    ({ server, dir } = await startE2eServer({ resumeWindowMs }));
    origin = server.origin;
    browser = await launchBrowser();
    ownerContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    memberContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    recordOrigins(ownerContext, seenOrigins);
    recordOrigins(memberContext, seenOrigins);
    ownerContext.setDefaultTimeout(10_000);
    memberContext.setDefaultTimeout(10_000);
    owner = await ownerContext.newPage();
    member = await memberContext.newPage();
    await ownerTap.install(owner);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("the owner signs up and lands in an empty client", async () => {
    await owner.goto(`${origin}/`);
    await owner.waitForURL(/\/login/);
    await owner.getByRole("heading", { name: "Welcome back" }).waitFor();
    await owner.screenshot({ animations: "disabled", path: join(shotsDir, "login-desktop-light.png") });
    await owner.getByRole("link", { name: "Register" }).click();
    await register(owner, "alice@example.test", "Alice");
    await owner.getByRole("button", { name: "Create a community" }).waitFor();
  });

  it("creates a community, a channel and an invite through the UI", async () => {
    await owner.getByRole("button", { name: "Create a community" }).click();
    const createGuild = owner.getByRole("dialog", { name: "Create a community" });
    await createGuild.getByLabel("Community name").fill("Test Club");
    await createGuild.getByRole("button", { name: "Create" }).click();
    await owner.getByRole("textbox", { name: "Message #general" }).waitFor();
    await owner.getByRole("navigation", { name: "Channels" }).getByRole("heading", { name: "Test Club" }).waitFor();

    await owner.getByRole("button", { name: "Create channel" }).click();
    const createChannel = owner.getByRole("dialog", { name: "Create a channel" });
    await createChannel.getByLabel("Channel name").fill("random");
    await createChannel.getByRole("button", { name: "Create channel" }).click();
    await owner.getByRole("textbox", { name: "Message #random" }).waitFor();
    await owner.getByRole("link", { name: "general" }).click();
    await owner.getByRole("textbox", { name: "Message #general" }).waitFor();

    await owner.getByRole("button", { name: "Invite people" }).click();
    const invite = owner.getByRole("dialog", { name: /Invite friends to Test Club/ });
    const linkBox = invite.getByLabel("Invite link");
    await until("an invite link", async () => /\/invite\/\w+/.test(await linkBox.inputValue()));
    inviteLink = await linkBox.inputValue();
    assert.ok(inviteLink.startsWith(`${origin}/invite/`), inviteLink);
    await invite.getByRole("button", { name: "Copy" }).click();
    await invite.getByRole("button", { name: "Copied" }).waitFor();
    await invite.getByRole("button", { name: "Done" }).click();
  });

  it("a second person opens the invite, sees the preview, signs up and joins in one flow", async () => {
    await member.goto(inviteLink);
    await member.getByRole("heading", { name: "Test Club" }).waitFor();
    await member.getByText("Alice invited you to join").waitFor();
    await member.getByText(/^1 member/).waitFor();
    await member.screenshot({ animations: "disabled", path: join(shotsDir, "invite-desktop-light.png") });
    await register(member, "bob@example.test", "Bob");
    await member.getByRole("textbox", { name: "Message #general" }).waitFor();
    await owner.getByRole("complementary", { name: "Members" }).getByText("Bob").waitFor();
  });

  it("someone with an account logs in from the invite page and joins in one flow", async () => {
    await fetch(`${origin}/api/v1/auth/register`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "carol@example.test", password: "correct horse battery staple", global_name: "Carol", consent: true }),
    });
    const context = await browser.newContext();
    recordOrigins(context, seenOrigins);
    const page = await context.newPage();
    await page.goto(inviteLink);
    await page.getByRole("heading", { name: "Test Club" }).waitFor();
    await page.getByRole("button", { name: "Already have an account? Log in" }).click();
    await page.getByLabel("Email").fill("carol@example.test");
    await page.getByLabel("Password").fill("correct horse battery staple");
    await page.getByRole("button", { name: "Log in" }).click();
    await page.getByRole("textbox", { name: "Message #general" }).waitFor();
    await owner.getByRole("complementary", { name: "Members" }).getByText("Carol").waitFor();
    await context.close();
  });

  it("a member without Manage Channels does not see the channel controls", async () => {
    assert.equal(await member.getByRole("button", { name: "Create channel" }).count(), 0);
    assert.equal(await member.getByRole("button", { name: /Create a channel in/ }).count(), 0);
    assert.equal(await owner.getByRole("button", { name: "Create channel" }).count(), 1);
    assert.equal(await member.getByRole("button", { name: "Channel settings" }).count(), 0);
    assert.equal(await member.getByRole("button", { name: /^(Kick|Ban) / }).count(), 0);
    await owner.getByRole("button", { name: "Kick Bob" }).waitFor({ state: "attached" });
    await owner.getByRole("button", { name: "Ban Bob" }).waitFor({ state: "attached" });
  });

  it("the owner sets the channel's topic and slowmode; the member sees the topic live", async () => {
    await owner.getByRole("button", { name: "Channel settings" }).click();
    const settings = owner.getByRole("dialog", { name: "#general settings" });
    await settings.getByLabel("Topic").fill("Say hi and be kind");
    await settings.getByLabel("Slowmode").selectOption({ label: "Off" });
    await settings.getByRole("button", { name: "Save" }).click();
    await member.getByText("Say hi and be kind").waitFor();
  });

  it("both exchange messages, a reply, a reaction and an edit, live", async () => {
    await owner.getByRole("textbox", { name: "Message #general" }).pressSequentially("Hello");
    await member.getByText("Alice is typing…").waitFor();
    await send(owner, "general", "Hello **Bob**, welcome!");
    await until("the typing line ends with the message", async () => (await member.getByText("Alice is typing…").count()) === 0);
    await messageWith(member, "welcome!").waitFor();
    assert.equal(await messageWith(member, "welcome!").locator("strong", { hasText: "Bob" }).count(), 1);

    const greeting = messageWith(member, "welcome!");
    await greeting.hover();
    await greeting.getByRole("button", { name: "Reply" }).click();
    await member.getByText("Replying to").waitFor();
    await send(member, "general", "Thanks Alice!");
    const reply = messageWith(owner, "Thanks Alice!");
    await reply.waitFor();
    await reply.getByRole("button", { name: /@Alice/ }).waitFor(); // the quote of the original

    await reply.hover();
    await reply.getByRole("button", { name: "Add reaction" }).click();
    await reply.getByRole("button", { name: "React with 👍" }).click();
    await messageWith(member, "Thanks Alice!").getByRole("button", { name: "👍 1" }).waitFor();
    await messageWith(owner, "Thanks Alice!").getByRole("button", { name: "👍 1, you reacted" }).waitFor();

    const own = messageWith(member, "Thanks Alice!");
    await own.hover();
    await own.getByRole("button", { name: "Edit" }).click();
    const editBox = member.getByRole("textbox", { name: "Edit message" });
    await editBox.fill("Thanks a lot, Alice!");
    await editBox.press("Enter");
    await messageWith(owner, "Thanks a lot, Alice!").getByText("(edited)").waitFor();
  });

  it("completes an @mention from the member list and highlights it for the one mentioned", async () => {
    const box = member.getByRole("textbox", { name: "Message #general" });
    await box.pressSequentially("hey @Ali");
    await member.getByRole("option", { name: /Alice/ }).waitFor();
    await box.press("Enter");
    assert.match(await box.inputValue(), /^hey <@\d+> $/);
    await box.pressSequentially("look at this");
    await box.press("Enter");
    const mentioned = owner.getByRole("article", { name: /^Bob: hey/ });
    await mentioned.waitFor();
    await mentioned.locator(".mention-me", { hasText: "@Alice" }).waitFor();
    assert.match((await mentioned.getAttribute("class")) ?? "", /mentions-me/);
  });

  it("shows a member no edit or delete on someone else's message", async () => {
    const others = member.getByRole("article", { name: /^Alice: Hello/ });
    await others.hover();
    await others.getByRole("button", { name: "Reply" }).waitFor();
    assert.equal(await others.getByRole("button", { name: "Edit" }).count(), 0);
    assert.equal(await others.getByRole("button", { name: "Delete" }).count(), 0);
    // The owner (all permissions) may delete anyone's message, but edits only their own.
    const bobs = owner.getByRole("article", { name: /^Bob: Thanks/ });
    await bobs.hover();
    await bobs.getByRole("button", { name: "Delete" }).waitFor();
    assert.equal(await bobs.getByRole("button", { name: "Edit" }).count(), 0);
  });

  it("marks a failed send and sends it once on retry", async () => {
    const fail = (route: import("playwright-core").Route) =>
      route.request().method() === "POST" ? route.abort("connectionreset") : route.fallback();
    await member.route(/\/channels\/\d+\/messages$/, fail);
    await send(member, "general", "this one fails first");
    const failed = messageWith(member, "this one fails first");
    await failed.getByRole("alert").waitFor();
    await member.unroute(/\/channels\/\d+\/messages$/, fail);
    await failed.getByRole("button", { name: "Retry" }).click();
    await messageWith(owner, "this one fails first").waitFor();
    await until("the retry is confirmed", async () => (await failed.getByRole("alert").count()) === 0);
    assert.equal(await messageWith(member, "this one fails first").count(), 1);
    assert.equal(await messageWith(owner, "this one fails first").count(), 1);
  });

  it("deletes a message for everyone", async () => {
    await send(member, "general", "a typo to delete");
    const typo = messageWith(owner, "a typo to delete");
    await typo.waitFor();
    const mine = messageWith(member, "a typo to delete");
    await mine.hover();
    await mine.getByRole("button", { name: "Delete" }).click();
    await until("the message is gone for the owner", async () => (await typo.count()) === 0);
    assert.equal(await mine.count(), 0);
  });

  it("marks a channel with news unread until it is opened", async () => {
    await member.getByRole("link", { name: "random" }).click();
    await send(member, "random", "over here in random");
    const unread = owner.getByRole("link", { name: /random\W+unread/ });
    await unread.waitFor();
    await unread.click();
    await messageWith(owner, "over here in random").waitFor();
    await messageWith(owner, "over here in random").getByRole("separator", { name: "New messages" }).waitFor();
    await until("read once opened", async () => (await owner.getByRole("link", { name: /random\W+unread/ }).count()) === 0);
    await owner.getByRole("link", { name: "general" }).click();
    await member.getByRole("link", { name: "general" }).click();
    await member.getByRole("textbox", { name: "Message #general" }).waitFor();
    assert.equal(await owner.getByRole("link", { name: /random\W+unread/ }).count(), 0);
  });

  it("opens a direct message from the member list; the other side sees it arrive", async () => {
    const members = owner.getByRole("complementary", { name: "Members" });
    await members.getByText("Bob").hover();
    await members.getByRole("button", { name: "Message Bob" }).click();
    await send(owner, "@Bob", "psst, a direct message");
    await messageWith(owner, "psst, a direct message").waitFor();
    const dmButton = member.getByRole("button", { name: /^Direct messages, 1 unread/ });
    await dmButton.waitFor();
    await dmButton.click();
    await member.getByRole("navigation", { name: "Direct messages" }).getByRole("link", { name: /Alice/ }).click();
    await messageWith(member, "psst, a direct message").waitFor();
    await member.getByRole("textbox", { name: "Message @Alice" }).waitFor();
    await until("the DM is read", async () => (await member.getByRole("button", { name: /^Direct messages, 1 unread/ }).count()) === 0);
    for (const page of [owner, member]) {
      await page.getByRole("button", { name: /^Test Club/ }).click();
      await page.getByRole("link", { name: "general" }).click();
      await page.getByRole("textbox", { name: "Message #general" }).waitFor();
    }
  });

  it("sends an image as an attachment; the other side sees it, served by the instance", async () => {
    const png = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==", "base64");
    await member.getByLabel("Attach files").setInputFiles({ name: "dot.png", mimeType: "image/png", buffer: png });
    await member.getByRole("list", { name: "Files to send" }).getByText("dot.png").waitFor();
    await send(member, "general", "a tiny picture");
    const image = messageWith(owner, "a tiny picture").getByRole("img", { name: "dot.png" });
    await image.waitFor();
    await until("the image loaded", () =>
      image.evaluate((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0),
    );
    assert.ok(new URL((await image.getAttribute("src")) ?? "").pathname.startsWith("/media/"));
  });

  it("renders HTML in a message as text, never as markup", async () => {
    await send(owner, "general", "<img src=x onerror=alert(1)> and <script>alert(2)</script>");
    const shown = messageWith(member, "<img src=x onerror=alert(1)>");
    await shown.waitFor();
    assert.equal(await shown.locator("img, script").count(), 0);
    assert.equal(await member.getByRole("log", { name: "Messages" }).locator('img[src="x"], script').count(), 0);
  });

  it("keeps the history after a reload", async () => {
    await member.reload();
    await member.getByRole("article", { name: /^Alice: Hello/ }).waitFor();
    await messageWith(member, "Thanks a lot, Alice!").waitFor();
    assert.equal(await messageWith(member, "Thanks a lot, Alice!").getByText("(edited)").count(), 1);
  });

  it("shows reconnecting when the gateway drops, resumes, and shows a message sent meanwhile exactly once", async () => {
    await ownerTap.cut();
    await owner.getByRole("status").filter({ hasText: "Reconnecting…" }).waitFor();
    await send(member, "general", "sent while you were away");
    await messageWith(member, "sent while you were away").waitFor();
    await until("the member's copy is confirmed", async () => (await member.locator("article.local-sending").count()) === 0);
    ownerTap.blocked = false;
    await until("the owner resumed", () => ownerTap.dispatches.includes("RESUMED"), 20_000);
    assert.ok(ownerTap.clientOps.includes(6), "the client sent RESUME (op 6)");
    assert.ok(ownerTap.binaryFrames > 0, "the gateway spoke zstd-stream");
    await messageWith(owner, "sent while you were away").waitFor();
    await until("the banner is gone", async () => (await owner.getByText("Reconnecting…").count()) === 0);
    assert.equal(await messageWith(owner, "sent while you were away").count(), 1);
    await send(owner, "general", "back online");
    await messageWith(member, "back online").waitFor();
    assert.equal(await messageWith(owner, "back online").count(), 1);
  });

  it("after the session expired, identifies afresh and still shows what was missed, once", async () => {
    const readyBefore = ownerTap.dispatches.filter((t) => t === "READY").length;
    await ownerTap.cut();
    await owner.getByRole("status").filter({ hasText: "Reconnecting…" }).waitFor();
    await send(member, "general", "sent while your session expired");
    await until("the member's copy is confirmed", async () => (await member.locator("article.local-sending").count()) === 0);
    // Outlive the server's resume window (its timer drops the session), then let the client back in.
    await new Promise((resolve) => setTimeout(resolve, resumeWindowMs + 2000));
    ownerTap.blocked = false;
    await until("a fresh READY", () => ownerTap.dispatches.filter((t) => t === "READY").length > readyBefore, 20_000);
    await messageWith(owner, "sent while your session expired").waitFor();
    assert.equal(await messageWith(owner, "sent while your session expired").count(), 1);
    assert.equal(await messageWith(owner, "back online").count(), 1);
    await send(owner, "general", "fresh session works");
    await messageWith(member, "fresh session works").waitFor();
  });

  it("loads older history while scrolling up, keeping the view in place", async () => {
    const token = await owner.evaluate(() => JSON.parse(localStorage.getItem("fluxer.session") ?? "{}").token as string);
    const guildId = new URL(owner.url()).pathname.split("/")[2];
    const api = (method: string, path: string, body?: unknown) =>
      fetch(`${origin}/api/v1${path}`, {
        method,
        headers: { authorization: token, "content-type": "application/json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      }).then((r) => r.json());
    const channel = await api("POST", `/guilds/${guildId}/channels`, { name: "history", type: 0 });
    for (let i = 0; i < 120; i++) await api("POST", `/channels/${channel.id}/messages`, { content: `history line ${i}` });
    // A fresh page, so the channel's history comes only from REST pages (not the live events seen so far).
    await owner.reload();
    await owner.getByRole("link", { name: "history" }).click();
    const scroller = owner.locator('[role="log"][data-virtuoso-scroller], [role="log"] [data-virtuoso-scroller]').first();
    await messageWith(owner, "history line 119").waitFor();
    // At the top, the next older page is prepended above: the scroll position grows by its height,
    // so what was on screen stays on screen (no jump to the new top).
    const heightBefore = await scroller.evaluate((el) => el.scrollHeight);
    await scroller.evaluate((el) => {
      el.scrollTop = 0;
    });
    await until("an older page is prepended", async () => (await scroller.evaluate((el) => el.scrollHeight)) > heightBefore + 200);
    const { scrollTop, scrollHeight } = await scroller.evaluate((el) => ({ scrollTop: el.scrollTop, scrollHeight: el.scrollHeight }));
    const grown = scrollHeight - heightBefore;
    assert.ok(Math.abs(scrollTop - grown) < 120, `kept in place: scrolled ${scrollTop}px for ${grown}px prepended`);
    await until("the beginning of the channel", async () => {
      await scroller.evaluate((el) => {
        el.scrollTop = 0;
      });
      return (await owner.getByText("This is the beginning of the channel.").count()) > 0;
    });
    await owner.getByText("history line 0", { exact: true }).waitFor();
    const anchor = owner.getByText("history line 0", { exact: true });
    await anchor.scrollIntoViewIfNeeded();
    const before = await anchor.boundingBox();
    await send(owner, "history", "a new line at the bottom");
    await until("the new line is known", async () => (await owner.locator("article.local-sending").count()) === 0);
    const after = await anchor.boundingBox();
    assert.ok(before && after && Math.abs(before.y - after.y) < 2, "a new message does not move what a reader scrolled back to");
    await owner.getByRole("link", { name: "general" }).click();
  });

  it("takes screenshots of the main views, light and dark, desktop and phone", async () => {
    // The emoji font is fetched (from this instance) on first use: let it arrive before the shots.
    await member.evaluate(async () => {
      await document.fonts.load('16px "Noto Emoji"', "👍🔊");
      await document.fonts.ready;
    });
    for (const scheme of ["light", "dark"] as const) {
      await member.emulateMedia({ colorScheme: scheme });
      await member.setViewportSize({ width: 1280, height: 800 });
      await member.screenshot({ animations: "disabled", path: join(shotsDir, `channel-desktop-${scheme}.png`) });
      await member.setViewportSize({ width: 390, height: 844 });
      await member.getByRole("textbox", { name: "Message #general" }).waitFor();
      await member.screenshot({ animations: "disabled", path: join(shotsDir, `channel-phone-${scheme}.png`) });
      await member.getByRole("button", { name: "Channels" }).click();
      await member.getByRole("link", { name: "random" }).waitFor();
      await member.screenshot({ animations: "disabled", path: join(shotsDir, `drawer-phone-${scheme}.png`) });
      await member.getByRole("link", { name: "general" }).click();
    }
    await member.emulateMedia({ colorScheme: "light" });
    await member.setViewportSize({ width: 1280, height: 800 });
  });

  it("has no serious or critical accessibility violations on the login page, a channel view and the channel settings", async () => {
    assert.deepEqual(await seriousViolations(member), []);
    await owner.getByRole("button", { name: "Channel settings" }).click();
    const settings = owner.getByRole("dialog", { name: "#general settings" });
    await settings.waitFor();
    assert.deepEqual(await seriousViolations(owner), []);
    await settings.getByRole("button", { name: "Cancel" }).click();
    const guest = await browser.newContext();
    recordOrigins(guest, seenOrigins);
    const page = await guest.newPage();
    await page.goto(`${origin}/login`);
    await page.getByRole("heading", { name: "Welcome back" }).waitFor();
    assert.deepEqual(await seriousViolations(page), []);
    await guest.close();
  });

  it("sent no request to any origin but the instance's, and broke no CSP rule", () => {
    const wsOrigin = origin.replace(/^http/, "ws");
    assert.deepEqual(
      [...seenOrigins].filter((o) => o !== origin && o !== wsOrigin),
      [],
    );
    assert.deepEqual(cspViolations, []);
  });
});
