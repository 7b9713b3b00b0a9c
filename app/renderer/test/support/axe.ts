/** axe-core in the page, reporting the serious and critical violations by rule id. */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";

const axeSource = readFileSync(fileURLToPath(new URL("../../../../node_modules/axe-core/axe.min.js", import.meta.url)), "utf8");

export async function seriousViolations(page: Page): Promise<string[]> {
  // page.evaluate runs outside the page's CSP, so axe needs no inline script.
  const violations: { id: string; impact: string; help: string; nodes: unknown[] }[] = await page.evaluate(
    `(async () => { ${axeSource}; const r = await axe.run(document, { resultTypes: ["violations"] }); return r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target) })); })()`,
  );
  const bad = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  if (bad.length) process.stderr.write(`axe: ${JSON.stringify(bad, null, 1)}\n`);
  return bad.map((v) => v.id);
}
