/** Edge validation: zod schemas in, Fluxer's INVALID_FORM_BODY (one item per bad field) out. */
import { z } from "zod";
import { invalidForm } from "../errors.ts";
import { parseSnowflake } from "../ids.ts";

export function parseWith<T>(schema: z.ZodType<T>, value: unknown, where: "body" | "query" | "params"): T {
  // With the input on each issue, a wrong type (BASE_TYPE_INVALID) is told apart from a missing field.
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return result.data;
  const seen = new Set<string>();
  const errors = [];
  for (const issue of result.error.issues) {
    const path = issue.path.length > 0 ? issue.path.join(".") : where;
    if (seen.has(path)) continue; // one item per bad field
    seen.add(path);
    errors.push({ path, code: issueCode(issue), message: issue.message });
  }
  throw invalidForm(errors);
}

function issueCode(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case "too_big":
      return "BASE_TYPE_MAX_LENGTH";
    case "too_small":
      return issue.origin === "string" || issue.origin === "array" ? "BASE_TYPE_MIN_LENGTH" : "NUMBER_TYPE_MIN";
    case "invalid_type":
      return issue.input === undefined ? "BASE_TYPE_REQUIRED" : "BASE_TYPE_INVALID";
    case "unrecognized_keys":
      return "UNKNOWN_FIELD";
    default:
      return "BASE_TYPE_INVALID";
  }
}

/** A snowflake on the wire (decimal string, or a safe integer), as a bigint. */
export const snowflake = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const id = parseSnowflake(value);
  if (id === null) {
    ctx.addIssue({ code: "custom", message: "Value is not a snowflake" });
    return z.NEVER;
  }
  return id;
});

/** A permission bitfield as a decimal string (or number), as a bigint. */
export const permissionBits = z.union([z.string(), z.number()]).transform((value, ctx) => {
  const text = String(value);
  if (!/^\d{1,20}$/.test(text)) {
    ctx.addIssue({ code: "custom", message: "Permissions must be a non-negative integer string" });
    return z.NEVER;
  }
  return BigInt(text);
});

/** Query integers arrive as strings. */
export const queryInt = (min: number, max: number, fallback: number) => z.coerce.number().int().min(min).max(max).default(fallback);
