/** The emoji picker in a real browser: bundled data, search, keyboard, reactions and the composer. */
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import type { ServerProcess } from "../../../server/test/support/server-process.ts";
import { seriousViolations } from "./support/axe.ts";
import { browserSkipReason, launchBrowser } from "./support/browser.ts";
import { messageWith } from "./support/chat-actions.ts";
import { ensureClientBuilt } from "./support/client-build.ts";
import { startE2eServer } from "./support/e2e-server.ts";
import { communityOf, pageAs, registerPerson } from "./support/rest-world.ts";

const skip = browserSkipReason();

describe("emoji picker in a real browser", { skip: skip ?? false }, () => {
  let server: ServerProcess;
  let browser: Browser;
  let dir: string;
  let alice: Page;
  let bob: Page;
  const seen = new Set<string>();

  before(async () => {
    ensureClientBuilt();
    ({ server, dir } = await startE2eServer({ resumeWindowMs: 5000 }));
    const a = await registerPerson(server.origin, "alice@example.test", "Alice");
    const b = await registerPerson(server.origin, "bob@example.test", "Bob");
    const { guildId, channelId } = await communityOf(server.origin, a, "Emoji Club", [b]);
    browser = await launchBrowser();
    alice = await pageAs(browser, server.origin, a, `/channels/${guildId}/${channelId}`, seen);
    bob = await pageAs(browser, server.origin, b, `/channels/${guildId}/${channelId}`, seen);
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("inserts an emoji into the composer by keyboard alone: search, Down, arrows, Enter", async () => {
    const box = alice.getByRole("textbox", { name: "Message #general" });
    await box.fill("nice ");
    await alice.getByRole("button", { name: "Emoji", exact: true }).click();
    const picker = alice.getByRole("group", { name: "Insert an emoji" });
    await picker.getByLabel("Search emoji").fill("thumbs");
    await picker.getByRole("button", { name: "thumbs up" }).waitFor();
    assert.equal(await picker.getByRole("button", { name: "grinning face" }).count(), 0, "the search filters");
    assert.deepEqual(await seriousViolations(alice), []);
    await picker.getByLabel("Search emoji").press("ArrowDown");
    const focused = await alice.evaluate(() => document.activeElement?.getAttribute("aria-label"));
    assert.equal(focused, "thumbs up");
    await alice.keyboard.press("ArrowRight");
    const second = await alice.evaluate(() => document.activeElement?.getAttribute("aria-label"));
    assert.notEqual(second, "thumbs up");
    await alice.keyboard.press("ArrowLeft");
    await alice.keyboard.press("Enter");
    assert.equal(await box.inputValue(), "nice 👍");
    assert.equal(await picker.count(), 0, "picking closes the picker");
    await box.press("Enter");
    await messageWith(bob, "nice 👍").waitFor();
  });

  it("reacts with any emoji found by search; the other side sees the count", async () => {
    const message = messageWith(bob, "nice 👍");
    await message.hover();
    await message.getByRole("button", { name: "Add reaction" }).click();
    await message.getByRole("button", { name: "More emoji" }).click();
    const picker = bob.getByRole("group", { name: "Pick a reaction" });
    await picker.getByLabel("Search emoji").fill("party popper");
    await picker.getByRole("button", { name: "party popper" }).waitFor();
    await picker.getByLabel("Search emoji").press("Enter");
    await messageWith(alice, "nice 👍").getByRole("button", { name: "🎉 1" }).waitFor();
    await messageWith(bob, "nice 👍").getByRole("button", { name: "🎉 1, you reacted" }).waitFor();
  });

  it("Escape closes the picker", async () => {
    await alice.getByRole("button", { name: "Emoji", exact: true }).click();
    const picker = alice.getByRole("group", { name: "Insert an emoji" });
    await picker.getByLabel("Search emoji").press("Escape");
    assert.equal(await picker.count(), 0);
  });

  it("loaded the emoji data from the instance only", () => {
    const ws = server.origin.replace(/^http/, "ws");
    assert.deepEqual(
      [...seen].filter((o) => o !== server.origin && o !== ws),
      [],
    );
  });
});
