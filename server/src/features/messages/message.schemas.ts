/** Edge shapes of the message routes (zod), as the spec's request schemas describe them. */
import { z } from "zod";
import type { Config } from "../../config.ts";
import { queryInt, snowflake } from "../../http/validation.ts";
import { embedRequest } from "./embeds.ts";

export const channelParams = z.object({ channel_id: snowflake });
export const messageParams = z.object({ channel_id: snowflake, message_id: snowflake });
export const emojiParams = z.object({ channel_id: snowflake, message_id: snowflake, emoji: z.string().min(1).max(256) });
export const emojiUserParams = emojiParams.extend({ target_id: snowflake });

const flags = z.number().int().min(0).max(2147483647);

const allowedMentions = z.object({
  parse: z
    .array(z.enum(["users", "roles", "everyone"]))
    .max(3)
    .optional(),
  users: z.array(snowflake).max(100).optional(),
  roles: z.array(snowflake).max(100).optional(),
  replied_user: z.boolean().optional(),
});

const attachmentMeta = z.object({
  id: z.union([z.number().int().min(0), z.string().regex(/^\d{1,10}$/)]),
  filename: z.string().max(1024).optional(),
  title: z.string().max(1024).nullish(),
  description: z.string().max(4096).nullish(),
  flags: flags.optional(),
});

export function messageSchemas(config: Config) {
  const content = z.string().max(config.limits.max_message_length).nullish();
  return {
    send: z.object({
      content,
      // Discord takes a string or an integer and echoes it back as a string.
      nonce: z
        .union([z.string().max(25), z.number().int()])
        .transform((value) => String(value))
        .nullish(),
      tts: z.boolean().optional(),
      flags: flags.optional(),
      message_reference: z
        .object({
          message_id: snowflake,
          channel_id: snowflake.optional(),
          guild_id: snowflake.optional(),
          type: z.number().int().min(0).max(1).optional(),
          fail_if_not_exists: z.boolean().optional(),
        })
        .nullish(),
      allowed_mentions: allowedMentions.nullish(),
      attachments: z.array(attachmentMeta).max(config.limits.max_attachments_per_message).optional(),
      embeds: z.array(embedRequest).max(10).nullish(),
      sticker_ids: z.array(snowflake).max(3).nullish(),
    }),
    edit: z.object({
      content,
      embeds: z.array(embedRequest).max(10).nullish(),
      flags: flags.optional(),
      allowed_mentions: allowedMentions.nullish(),
    }),
  };
}

export const historyQuery = z.object({
  limit: queryInt(1, 100, 50),
  before: snowflake.optional(),
  after: snowflake.optional(),
  around: snowflake.optional(),
});

export const bulkDeleteBody = z.object({
  messages: z.array(snowflake).max(100).optional(),
  message_ids: z.array(snowflake).max(100).optional(),
});

export const reactionUsersQuery = z.object({ limit: queryInt(1, 100, 25), after: snowflake.optional() });

export const pinsQuery = z.object({
  limit: queryInt(1, 50, 50),
  before: z
    .string()
    .transform((text, ctx) => {
      const ms = Date.parse(text);
      if (Number.isNaN(ms)) {
        ctx.addIssue({ code: "custom", message: "Not an ISO 8601 timestamp" });
        return z.NEVER;
      }
      return ms;
    })
    .optional(),
});

export const ackBody = z.object({ mention_count: z.number().int().min(0).max(2147483647).optional(), manual: z.boolean().optional() });

export const ackBulkBody = z.object({
  read_states: z
    .array(z.object({ channel_id: snowflake, message_id: snowflake }))
    .min(1)
    .max(100),
});
