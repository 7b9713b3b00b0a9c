/**
 * Rich embeds: the request shape bots send (Discord's limits), the stored record, and the response
 * shape. No media proxy exists yet, so image and icon URLs are passed through as given (http(s) only).
 */
import { z } from "zod";
import type { Embed } from "../../storage/records.ts";

const webUrl = z.url({ protocol: /^https?$/ }).max(2048);
const text = (max: number) => z.string().max(max);

const media = z.object({ url: webUrl, description: z.string().max(1024).nullish() }).nullish();

export const embedRequest = z.object({
  title: text(256).nullish(),
  description: text(4096).nullish(),
  url: webUrl.nullish(),
  color: z.number().int().min(0).max(0xffffff).nullish(),
  timestamp: z.union([z.iso.datetime({ offset: true }), z.number().int().min(0).max(8.64e15)]).nullish(),
  author: z.object({ name: text(256), url: webUrl.nullish(), icon_url: webUrl.nullish() }).nullish(),
  footer: z.object({ text: text(2048), icon_url: webUrl.nullish() }).nullish(),
  image: media,
  thumbnail: media,
  fields: z
    .array(z.object({ name: text(256).min(1), value: text(1024).min(1), inline: z.boolean().optional() }))
    .max(25)
    .nullish(),
});

export type EmbedRequest = z.infer<typeof embedRequest>;

/** Discord's cap on the visible text of all embeds of one message together. */
export const MAX_EMBED_TEXT = 6000;

export function embedTextLength(embed: Embed): number {
  const fields = embed.fields?.reduce((sum, f) => sum + f.name.length + f.value.length, 0) ?? 0;
  return (
    (embed.title?.length ?? 0) +
    (embed.description?.length ?? 0) +
    (embed.author?.name.length ?? 0) +
    (embed.footer?.text.length ?? 0) +
    fields
  );
}

const defined = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, inner]) => inner !== undefined && inner !== null)) as T;

/** Keeps only what was given, with timestamps normalised to ISO text. */
export function toEmbedRecord(request: EmbedRequest): Embed {
  const timestamp = request.timestamp ?? undefined;
  return defined<Embed>({
    title: request.title ?? undefined,
    description: request.description ?? undefined,
    url: request.url ?? undefined,
    color: request.color ?? undefined,
    timestamp: timestamp === undefined ? undefined : new Date(timestamp).toISOString(),
    author: request.author
      ? defined({ name: request.author.name, url: request.author.url ?? undefined, icon_url: request.author.icon_url ?? undefined })
      : undefined,
    footer: request.footer ? defined({ text: request.footer.text, icon_url: request.footer.icon_url ?? undefined }) : undefined,
    image: request.image ? defined({ url: request.image.url, description: request.image.description ?? undefined }) : undefined,
    thumbnail: request.thumbnail
      ? defined({ url: request.thumbnail.url, description: request.thumbnail.description ?? undefined })
      : undefined,
    fields: request.fields?.map((f) => ({ name: f.name, value: f.value, inline: f.inline ?? false })),
  });
}

const mediaView = (item: { url: string; description?: string }) => ({
  url: item.url,
  proxy_url: null,
  description: item.description ?? null,
  flags: 0,
});

export function toEmbedView(embed: Embed) {
  return {
    type: "rich",
    ...(embed.title !== undefined ? { title: embed.title } : {}),
    ...(embed.description !== undefined ? { description: embed.description } : {}),
    ...(embed.url !== undefined ? { url: embed.url } : {}),
    ...(embed.color !== undefined ? { color: embed.color } : {}),
    ...(embed.timestamp !== undefined ? { timestamp: embed.timestamp } : {}),
    ...(embed.author
      ? { author: { name: embed.author.name, url: embed.author.url ?? null, icon_url: embed.author.icon_url ?? null } }
      : {}),
    ...(embed.footer ? { footer: { text: embed.footer.text, icon_url: embed.footer.icon_url ?? null } } : {}),
    ...(embed.image ? { image: mediaView(embed.image) } : {}),
    ...(embed.thumbnail ? { thumbnail: mediaView(embed.thumbnail) } : {}),
    ...(embed.fields ? { fields: embed.fields } : {}),
  };
}
