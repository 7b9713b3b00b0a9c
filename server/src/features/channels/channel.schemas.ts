/** Request shapes of the channel routes (ChannelCreateRequest, ChannelUpdateRequest, positions, overwrites). */
import { z } from "zod";
import { permissionBits, snowflake } from "../../http/validation.ts";

const overwriteType = z.union([z.literal(0), z.literal(1)]);

export const overwriteInput = z.object({
  id: snowflake,
  type: overwriteType,
  allow: permissionBits.optional(),
  deny: permissionBits.optional(),
});

const overwriteList = z.array(overwriteInput).max(500);
const name = z.string().trim().min(1).max(100);
const topic = z.string().max(1024);
const url = z.url({ protocol: /^https?$/ }).max(2048);
const rateLimit = z.number().int().min(0).max(21_600);
const bitrate = z.number().int().min(8_000).max(320_000);
const userLimit = z.number().int().min(0).max(99);

export const channelCreateBody = z.object({
  type: z.union([z.literal(0), z.literal(2), z.literal(4), z.literal(998)]).default(0),
  name,
  topic: topic.nullish(),
  url: url.nullish(),
  parent_id: snowflake.nullish(),
  bitrate: bitrate.nullish(),
  user_limit: userLimit.nullish(),
  rate_limit_per_user: rateLimit.nullish(),
  nsfw: z.boolean().optional(),
  position: z.number().int().min(0).optional(),
  permission_overwrites: overwriteList.optional(),
});

export type ChannelCreateInput = z.infer<typeof channelCreateBody>;

/** Null on a field that cannot be cleared means "leave it", as clients send whole forms. */
export const channelUpdateBody = z.object({
  type: z.number().int().optional(),
  name: name.nullish(),
  topic: topic.nullish(),
  url: url.nullish(),
  nsfw: z.boolean().nullish(),
  rate_limit_per_user: rateLimit.nullish(),
  position: z.number().int().min(0).nullish(),
  parent_id: snowflake.nullish(),
  bitrate: bitrate.nullish(),
  user_limit: userLimit.nullish(),
  rtc_region: z.string().max(64).nullish(),
  permission_overwrites: overwriteList.nullish(),
});

export type ChannelUpdateInput = z.infer<typeof channelUpdateBody>;

export const positionsBody = z
  .array(
    z.object({
      id: snowflake,
      position: z.number().int().min(0).nullish(),
      parent_id: snowflake.nullish(),
      preceding_sibling_id: snowflake.nullish(),
      lock_permissions: z.boolean().nullish(),
    }),
  )
  .min(1)
  .max(500);

export type PositionsInput = z.infer<typeof positionsBody>;

export const overwriteBody = z.object({
  type: overwriteType,
  allow: permissionBits.optional(),
  deny: permissionBits.optional(),
});
