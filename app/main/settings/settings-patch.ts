/**
 * What the host UI may change in the settings, and how a change is applied: only the overridable
 * values (never secrets, the identity or the chat port), `null` to go back to the sized default.
 * A patch is checked whole against the schema before anything is written.
 */
import { z } from "zod";
import { type Settings, settingsSchema } from "./settings.schema.ts";

const override = (schema: z.ZodNumber) => schema.nullable();

export const settingsPatchSchema = z
  .object({
    server: z
      .object({
        heap_mb: override(z.number().int().min(64)),
        uv_threadpool_size: override(z.number().int().min(1).max(1024)),
      })
      .partial()
      .strict(),
    engines: z
      .object({
        valkey: z
          .object({
            enabled: z.boolean(),
            max_memory_mb: override(z.number().int().min(8)),
            persistence: z.enum(["cache", "persistent"]),
          })
          .partial()
          .strict(),
      })
      .partial()
      .strict(),
  })
  .partial()
  .strict();

export type SettingsPatch = z.infer<typeof settingsPatchSchema>;

export interface PatchProblem {
  path: string;
  message: string;
}

export type PatchResult = { ok: true; settings: Settings } | { ok: false; problems: PatchProblem[] };

export function applySettingsPatch(current: Settings, raw: unknown): PatchResult {
  const parsed = settingsPatchSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, problems: problemsOf(parsed.error) };
  const merged = mergeWithNulls(current, parsed.data) as Settings;
  const checked = settingsSchema.safeParse(merged);
  if (!checked.success) return { ok: false, problems: problemsOf(checked.error) };
  return { ok: true, settings: checked.data };
}

/** The settings as the host UI sees them: no secrets, no machine identity. */
export function publicSettings(settings: Settings) {
  const { secrets: _secrets, instance, ...rest } = settings;
  return { ...rest, instance: { created_at: instance.created_at } };
}

function problemsOf(error: z.ZodError): PatchProblem[] {
  return error.issues.map((issue) => ({ path: issue.path.join(".") || "(root)", message: issue.message }));
}

function mergeWithNulls(base: unknown, patch: unknown): unknown {
  if (!isObject(base) || !isObject(patch)) return patch;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergeWithNulls(out[key], value);
  }
  return out;
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === "object" && value !== null && !Array.isArray(value);
