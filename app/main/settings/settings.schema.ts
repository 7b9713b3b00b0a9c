/**
 * The host's one settings file. Generated values (secrets, ports) are filled in on first start
 * and kept, so a restart on the same home resumes with the same instance.
 */
import { z } from "zod";

const port = z.number().int().min(1).max(65535);
const secret = z.string().min(24);

export const settingsSchema = z.object({
  version: z.literal(1),
  instance: z.object({
    /** The hashed machine identity at creation (see identity.ts); never shown. */
    machine: z.string().regex(/^[0-9a-f]{64}$/),
    created_at: z.iso.datetime(),
  }),
  secrets: z.object({
    valkey_password: secret,
    /** For the server's admin API (claim, dashboard figures): only the host holds it. */
    admin_key: secret,
  }),
  server: z
    .object({
      /** Loopback port of the chat server, picked free on first start. */
      port: port.optional(),
      heap_mb: z.number().int().min(64).optional().describe("Overrides the sized --max-old-space-size."),
      uv_threadpool_size: z.number().int().min(1).max(1024).optional(),
    })
    .prefault({}),
  engines: z
    .object({
      valkey: z
        .object({
          enabled: z.boolean().default(true),
          max_memory_mb: z.number().int().min(8).optional().describe("Overrides the sized maxmemory."),
          /** `cache`: no snapshots (it only holds rate limits, presence, caches); `persistent`: RDB + AOF. */
          persistence: z.enum(["cache", "persistent"]).default("cache"),
        })
        .prefault({}),
    })
    .prefault({}),
});

export type Settings = z.infer<typeof settingsSchema>;
