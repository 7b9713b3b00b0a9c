/**
 * A long channel in a real browser: thousands of messages (made through REST), scrolled back
 * through page by page. The virtualised list keeps the DOM small and the view in place; a reply
 * to a message far back jumps to it, loading the history around it (`around`).
 */
import assert from "node:assert/strict";
import { rmSync } from "node:fs";
import { after, before, describe, it } from "node:test";
import type { Browser, Page } from "playwright-core";
import type { ServerProcess } from "../../../server/test/support/server-process.ts";
import { browserSkipReason, launchBrowser } from "./support/browser.ts";
import { messages, messageWith } from "./support/chat-actions.ts";
import { ensureClientBuilt } from "./support/client-build.ts";
import { startE2eServer } from "./support/e2e-server.ts";
import { apiFor, communityOf, type Person, pageAs, registerPerson } from "./support/rest-world.ts";
import { until } from "./support/wait.ts";

const skip = browserSkipReason();
/** How many messages the channel holds (FLUXER_E2E_MESSAGES overrides, for a quicker local run). */
const total = Number(process.env.FLUXER_E2E_MESSAGES ?? 10_000);
/** Requests in flight while filling the channel. */
const parallel = 8;

describe(`a channel with ${total} messages in a real browser`, { skip: skip ?? false }, () => {
  let server: ServerProcess;
  let browser: Browser;
  let dir: string;
  let page: Page;
  let alice: Person;
  let channelId: string;
  const ids: string[] = [];

  before(async () => {
    ensureClientBuilt();
    ({ server, dir } = await startE2eServer({ resumeWindowMs: 5000 }));
    alice = await registerPerson(server.origin, "alice@example.test", "Alice");
    const world = await communityOf(server.origin, alice, "Big Club", []);
    channelId = world.channelId;
    const api = apiFor(server.origin, alice.token);
    let next = 0;
    // Sequence numbers in the text, so order is checkable; ids are kept to reply to an old one.
    const worker = async () => {
      for (let i = next++; i < total; i = next++) {
        const sent = await api<{ id: string }>("POST", `/channels/${channelId}/messages`, { content: `line ${i}` });
        ids[i] = sent.id;
      }
    };
    await Promise.all(Array.from({ length: parallel }, worker));
    // One reply at the bottom to a message thousands back.
    await api("POST", `/channels/${channelId}/messages`, { content: "replying to an old one", message_reference: { message_id: ids[5] } });
    browser = await launchBrowser();
    page = await pageAs(browser, server.origin, alice, `/channels/${world.guildId}/${channelId}`, new Set());
  });

  after(async () => {
    await browser?.close();
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const scroller = () => page.locator("[data-virtuoso-scroller]").first();

  it("opens at the newest message with a small DOM", async () => {
    await messageWith(page, "replying to an old one").waitFor();
    assert.ok((await messages(page).count()) < 60, "only what is near the viewport is rendered");
  });

  it("scrolls back through several pages, and the DOM stays small", async () => {
    // Each page goes above what was the oldest message; the rendered window moves up with it and
    // never grows (the no-jump pixel check is in chat.e2e.test.ts, on a shorter channel).
    const oldestLoaded = async () => {
      // The message's own text, not a reply's quote of another.
      const texts = await messages(page).locator(".message-content").allInnerTexts();
      return Math.min(...texts.map((t) => Number(/line (\d+)/.exec(t)?.[1] ?? Number.POSITIVE_INFINITY)));
    };
    let oldest = await oldestLoaded();
    for (let round = 0; round < 6 && oldest > 0; round++) {
      // Scrolled to the top in steps, as a reader would (a jump straight to 0 while a page lands is no reading).
      await until(`older page ${round + 1} (oldest shown: line ${oldest})`, async () => {
        await scroller().evaluate((el) => el.scrollBy(0, -800));
        return (await oldestLoaded()) < oldest;
      });
      oldest = await oldestLoaded();
      assert.ok((await messages(page).count()) < 80, `round ${round}: the DOM stays small`);
    }
    assert.ok(oldest < total - 2 * 50, `pages back: line ${oldest}`);
    // Messages on screen run oldest first, each once (ids are sent in parallel, so ids, not texts, order them).
    const shown = (await messages(page).evaluateAll((els) => els.map((el) => el.getAttribute("data-message-id") ?? ""))).map(BigInt);
    assert.ok(shown.length > 5);
    assert.deepEqual(
      shown,
      [...new Set(shown)].sort((a, b) => (a < b ? -1 : 1)),
    );
  });

  it("jumps from a reply to its original thousands of messages back, loading the history around it", async () => {
    await page.reload();
    const reply = messageWith(page, "replying to an old one");
    await reply.waitFor();
    await reply.getByRole("button", { name: /@Alice/ }).click();
    const original = page.locator(`[data-message-id="${ids[5]}"]`);
    await original.waitFor();
    assert.match((await original.getAttribute("class")) ?? "", /highlighted/);
    assert.ok(await original.isVisible());
    assert.ok((await messages(page).count()) < 80);
    // Scrolling down from there loads newer pages (the gap to the present is filled page by page).
    const heightBefore = await scroller().evaluate((el) => el.scrollHeight);
    await scroller().evaluate((el) => {
      el.scrollTop = el.scrollHeight;
    });
    await until("a newer page", async () => (await scroller().evaluate((el) => el.scrollHeight)) > heightBefore + 200);
  });
});
