// Finds a real engine for a host test, or skips (REQUIRE_ENGINES=1 turns the skip into a failure).
import type { TestContext } from "node:test";
import { findEngineBinary } from "../../engines/find-binary.ts";

export function engineOrSkip(names: readonly string[], t: TestContext): boolean {
  if (findEngineBinary(names, { bundledDir: "/nonexistent" })) return true;
  const message = `${names.join(" / ")} not installed (run scripts/install-engines.sh)`;
  if (process.env.REQUIRE_ENGINES === "1") throw new Error(`REQUIRE_ENGINES=1 but ${message}`);
  console.log(`SKIPPED: ${message}`);
  t.skip(message);
  return false;
}
