/**
 * The appliance as a new owner meets it: the headless host as a real process on a fresh home, its
 * printed setup link opened in Chromium, the claim, the dashboard with every engine's state, then
 * the chat client from the dashboard's link and a first message as the owner. Nothing leaves
 * loopback.
 */
import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, before, describe, it } from "node:test";
import { fileURLToPath } from "node:url";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { findEngineBinary } from "../../main/engines/find-binary.ts";
import { type RunningHost, startHeadless } from "../../main/test/support/headless-process.ts";
import { seriousViolations } from "./support/axe.ts";
import { browserSkipReason, launchBrowser } from "./support/browser.ts";
import { messageWith, send } from "./support/chat-actions.ts";
import { ensureClientBuilt } from "./support/client-build.ts";
import { cspViolations, recordOrigins } from "./support/page-watch.ts";

const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));
const shotsDir = join(repoRoot, "test-results");
const skip = browserSkipReason();
const owner = { email: "owner@example.test", password: "correct horse battery", name: "Olive", community: "Garden Club" };

// As app/main/engines/valkey.engine.ts looks for them (importing it would pull the host into this project).
const VALKEY_BINARIES = ["valkey-server", "redis-server"];

/** Valkey is expected to run where a binary exists; REQUIRE_ENGINES=1 insists that one does. */
function expectedValkeyState(): "running" | "missing" {
  if (findEngineBinary(VALKEY_BINARIES, { bundledDir: "/nonexistent" })) return "running";
  if (process.env.REQUIRE_ENGINES === "1") throw new Error("REQUIRE_ENGINES=1 but neither valkey-server nor redis-server is installed");
  process.stderr.write("\n!!! host e2e: no Valkey binary, the dashboard must say it is missing\n\n");
  return "missing";
}

describe("the host page through the headless host, in a real browser", { skip: skip ?? false }, () => {
  const home = mkdtempSync(join(tmpdir(), "fluxer-host-e2e-"));
  const started: ChildProcess[] = [];
  const seenOrigins = new Set<string>();
  const assetCaching: string[] = [];
  let host: RunningHost;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let chat: Page;
  let invite = "";

  before(async () => {
    ensureClientBuilt();
    mkdirSync(shotsDir, { recursive: true });
    host = await startHeadless(home, started);
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(15_000);
    recordOrigins(context, seenOrigins);
    context.on("response", (response) => {
      if (new URL(response.url()).pathname.startsWith("/assets/")) assetCaching.push(response.headers()["cache-control"] ?? "");
    });
    page = await context.newPage();
  });

  after(async () => {
    await browser?.close();
    const child = host?.child;
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
    }
    for (const other of started) if (other.exitCode === null) other.kill("SIGKILL");
    rmSync(home, { recursive: true, force: true });
  });

  it("the printed setup link opens the claim screen, which shows the API's errors", async () => {
    assert.match(host.output(), /Open this link to set up your community \(it works once\): http:\/\/127\.0\.0\.1:\d+\/setup\?token=/);
    await page.goto(host.status.setupUrl);
    await page.getByRole("heading", { name: "Set up your community" }).waitFor();
    assert.equal(new URL(page.url()).pathname, "/", "the token leaves the address bar");
    assert.deepEqual(await seriousViolations(page), []);

    await page.getByLabel("Owner email").fill(owner.email);
    await page.getByLabel("Password").fill("short");
    await page.getByLabel("Display name").fill(owner.name);
    await page.getByLabel("Community name").fill(owner.community);
    await page.getByRole("button", { name: "Claim and create the community" }).click();
    await page.getByRole("alert").filter({ hasText: "Some fields need another look." }).waitFor();
    assert.equal(await page.getByLabel("Password").getAttribute("aria-invalid"), "true");
    await page.screenshot({ animations: "disabled", path: join(shotsDir, "host-claim-error.png") });
  });

  it("claims the owner and names the community, then shows the dashboard with every engine's state", async () => {
    await page.getByLabel("Password").fill(owner.password);
    await page.getByRole("button", { name: "Claim and create the community" }).click();
    await page.getByRole("heading", { name: "Processes" }).waitFor();

    const server = page.getByRole("listitem", { name: "Chat server" });
    await server.locator(".state", { hasText: /^running$/ }).waitFor();
    await server.getByText(`127.0.0.1:${new URL(host.status.chatUrl).port}`, { exact: true }).waitFor();
    const valkey = page.getByRole("listitem", { name: "Valkey" });
    await valkey.locator(".state", { hasText: new RegExp(`^${expectedValkeyState()}$`) }).waitFor();
    await page.getByRole("region", { name: "Community" }).getByText("Members").waitFor();
    assert.equal(
      await page.getByRole("region", { name: "Community" }).locator("dd").nth(1).textContent(),
      "1",
      "the owner is the one member",
    );

    const inviteLink = await page.getByLabel("Invite link", { exact: true }).inputValue();
    assert.match(inviteLink, new RegExp(`^${host.status.chatUrl}invite/\\w+$`));
    const darkModules = await page.getByRole("img", { name: "QR code of the invite link" }).evaluate((canvas: HTMLCanvasElement) => {
      const { data } = canvas.getContext("2d")!.getImageData(0, 0, canvas.width, canvas.height);
      let dark = 0;
      for (let i = 0; i < data.length; i += 4) if (data[i]! < 128) dark++;
      return dark;
    });
    assert.ok(darkModules > 1000, `the QR code is drawn (${darkModules} dark pixels)`);
    invite = inviteLink;

    await server.getByText(/Last log lines/).click();
    await server.locator("pre").filter({ hasText: /\S/ }).waitFor();
    assert.deepEqual(await seriousViolations(page), []);
    assert.ok(assetCaching.length > 0 && assetCaching.every((value) => /immutable/.test(value)), assetCaching.join(", "));
    await page.screenshot({ animations: "disabled", fullPage: true, path: join(shotsDir, "host-dashboard-desktop-light.png") });
    await page.emulateMedia({ colorScheme: "dark" });
    await page.setViewportSize({ width: 390, height: 844 });
    await page.screenshot({ animations: "disabled", fullPage: true, path: join(shotsDir, "host-dashboard-phone-dark.png") });
    await page.emulateMedia({ colorScheme: "light" });
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it("refuses a bad setting with the reason at the field", async () => {
    const heap = page.getByLabel("Chat server heap (MB)");
    assert.match((await heap.getAttribute("placeholder")) ?? "", /^\d+ \(sized\)$/, "the sized value shows");
    await heap.fill("12");
    await page.getByRole("button", { name: "Save settings" }).click();
    await page.getByRole("alert").filter({ hasText: "the change was refused" }).waitFor();
    assert.equal(await heap.getAttribute("aria-invalid"), "true");
    await heap.fill("");
    await page.getByRole("button", { name: "Save settings" }).click();
    await page
      .getByRole("status")
      .filter({ hasText: /^Saved\./ })
      .waitFor();
  });

  it("opens the chat client from the dashboard and sends a message as the owner", async () => {
    const opened = context.waitForEvent("page");
    await page.getByRole("link", { name: "Open chat" }).click();
    chat = await opened;
    await chat.waitForURL(/\/login/);
    await chat.getByLabel("Email").fill(owner.email);
    await chat.getByLabel("Password").fill(owner.password);
    await chat.getByRole("button", { name: "Log in" }).click();
    await chat.getByRole("navigation", { name: "Communities" }).getByRole("button", { name: owner.community }).click();
    await chat.getByRole("textbox", { name: "Message #general" }).waitFor();
    await send(chat, "general", "First message from the owner");
    await messageWith(chat, "First message from the owner").waitFor();
    await chat.screenshot({ animations: "disabled", path: join(shotsDir, "host-chat-first-message.png") });

    // The dashboard's invite works in the chat client: a newcomer sees the community's preview.
    const newcomer = await context.browser()!.newContext();
    recordOrigins(newcomer, seenOrigins);
    const preview = await newcomer.newPage();
    await preview.goto(invite);
    await preview.getByRole("heading", { name: owner.community }).waitFor();
    await newcomer.close();

    // The dashboard's next poll counts it.
    await page.bringToFront();
    await page
      .getByRole("region", { name: "Community" })
      .locator("div", { has: page.getByText("Messages", { exact: true }) })
      .locator("dd", { hasText: /^[1-9]/ })
      .waitFor();
  });

  it("sent nothing beyond loopback and broke no CSP", () => {
    const foreign = [...seenOrigins].filter((origin) => new URL(origin).hostname !== "127.0.0.1");
    assert.deepEqual(foreign, []);
    assert.ok(seenOrigins.size >= 2, `both the host page and the chat client were used: ${[...seenOrigins].join(", ")}`);
    assert.deepEqual(cspViolations, []);
  });
});
