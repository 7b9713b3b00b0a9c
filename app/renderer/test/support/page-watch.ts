/** What the pages of a test did that they should not: requests to other origins, CSP violations, dialogs. */
import type { BrowserContext, Page } from "playwright-core";

/** Every request and socket a context opens, so the test can prove none left the instance. */
export function recordOrigins(context: BrowserContext, seen: Set<string>) {
  context.on("request", (request) => seen.add(new URL(request.url()).origin));
  context.on("page", (page) => watchPage(page, seen));
}

export const cspViolations: string[] = [];
export function watchPage(page: Page, seen: Set<string>) {
  page.on("websocket", (socket) => seen.add(new URL(socket.url()).origin));
  page.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
  });
  page.on("dialog", (dialog) => {
    cspViolations.push(`unexpected dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
}
