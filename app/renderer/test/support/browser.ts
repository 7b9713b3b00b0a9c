/**
 * Debian's Chromium driven by playwright-core, with outside name lookups blocked. When Chromium
 * is missing the suite is skipped loudly (and fails under REQUIRE_ENGINES=1).
 */
import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

export const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/** Why the browser suite cannot run here, or null when it can. */
export function browserSkipReason(): string | null {
  if (existsSync(chromiumPath)) return null;
  const reason = `Chromium not found at ${chromiumPath} (run scripts/install-engines.sh)`;
  if (process.env.REQUIRE_ENGINES === "1") throw new Error(`REQUIRE_ENGINES=1 and ${reason}`);
  process.stderr.write(`\n!!! SKIPPED: web client end-to-end tests: ${reason}\n\n`);
  return reason;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
    ],
    // playwright refuses --user-data-dir here: launch() always starts from a fresh temporary profile.
  });
}
