/**
 * Reads, creates and saves the settings file. Writes go to a temporary file that is renamed over
 * the old one (write-file-atomic), so a crash mid-write never leaves half a file; the file is
 * owner-only since it holds the generated secrets.
 */
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import writeFileAtomic from "write-file-atomic";
import { type Settings, settingsSchema } from "./settings.schema.ts";

export class SettingsError extends Error {}

const generatedSecret = () => randomBytes(32).toString("base64url");

export function newSettings(machine: string, now = new Date()): Settings {
  return settingsSchema.parse({
    version: 1,
    instance: { machine, created_at: now.toISOString() },
    secrets: { valkey_password: generatedSecret(), admin_key: generatedSecret() },
  });
}

/** The settings in `file`, or `undefined` when there is none yet. A broken file is an error, never silently replaced. */
export function readSettings(file: string): Settings | undefined {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw new SettingsError(`settings: cannot read ${file}: ${(error as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new SettingsError(`settings: ${file} is not valid JSON: ${(error as Error).message}`);
  }
  const result = settingsSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new SettingsError(`settings: ${file}: ${issue?.path.join(".") || "(root)"}: ${issue?.message ?? "invalid"}`);
  }
  return result.data;
}

export async function writeSettings(file: string, settings: Settings): Promise<void> {
  const valid = settingsSchema.parse(settings);
  await writeFileAtomic(file, `${JSON.stringify(valid, null, 2)}\n`, { mode: 0o600 });
}

/** Loads the settings, creating them (with fresh secrets) on first start. */
export async function loadOrCreateSettings(file: string, machine: () => string): Promise<{ settings: Settings; created: boolean }> {
  const existing = readSettings(file);
  if (existing) return { settings: existing, created: false };
  const settings = newSettings(machine());
  await writeSettings(file, settings);
  return { settings, created: true };
}
