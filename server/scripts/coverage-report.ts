// Summarises which in-scope spec operations the test run exercised and validated.
// Reads the id logs that recordCoverage() wrote into FLUXER_COVERAGE_DIR.
// Usage: npx tsx server/scripts/coverage-report.ts [--list]
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { inScopeOperations } from "../test/support/openapi.ts";

function coveredIds(dir: string | undefined): Set<string> {
  const ids = new Set<string>();
  if (!dir) return ids;
  let files: string[];
  try {
    files = readdirSync(dir);
  } catch {
    return ids;
  }
  for (const file of files) {
    for (const line of readFileSync(join(dir, file), "utf8").split("\n")) {
      const id = line.trim();
      if (id) ids.add(id);
    }
  }
  return ids;
}

const covered = coveredIds(process.env.FLUXER_COVERAGE_DIR);
const inScope = inScopeOperations();
const done = inScope.filter((op) => covered.has(op.operationId)).length;
const percent = inScope.length === 0 ? 0 : (100 * done) / inScope.length;
console.log(`openapi coverage: ${done}/${inScope.length} in-scope operations implemented and validated (${percent.toFixed(1)}%)`);

if (process.argv.includes("--list")) {
  // An operation with two tags is listed under its first, so each appears once.
  const missingByTag = new Map<string, string[]>();
  for (const op of inScope) {
    if (covered.has(op.operationId)) continue;
    const tag = op.tags[0] ?? "(untagged)";
    const entry = `${op.operationId} (${op.method} ${op.template})`;
    missingByTag.set(tag, [...(missingByTag.get(tag) ?? []), entry]);
  }
  for (const tag of [...missingByTag.keys()].sort()) {
    const entries = missingByTag.get(tag) ?? [];
    console.log(`\n${tag} (${entries.length} not covered):`);
    for (const entry of entries) console.log(`  ${entry}`);
  }
}
