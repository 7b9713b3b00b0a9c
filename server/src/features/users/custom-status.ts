/**
 * A custom status as a presence (op 3, IDENTIFY) carries it, checked with the same rules as the
 * settings' one before other clients see it: text up to 128 characters, an emoji name up to 64,
 * expires_at a date; unknown fields are dropped. An expired or empty status is no status.
 */
import type { CustomStatus } from "../../storage/records.ts";
import { customStatus } from "./user-settings.schemas.ts";

export type CustomStatusView = {
  text: string | null;
  expires_at: string | null;
  emoji_id: string | null;
  emoji_name: string | null;
  emoji_animated: boolean;
};

/** The domain record for a sent custom status, or null when it is malformed, empty or already expired. */
export function parseCustomStatus(value: unknown, now: number): CustomStatus | null {
  const parsed = customStatus.safeParse(value);
  if (!parsed.success) return null;
  const text = parsed.data.text?.trim() || null;
  // No custom emoji store exists here yet, so an emoji id can name nothing and is dropped (as in settings).
  const emojiName = parsed.data.emoji_name?.trim() || null;
  const expiresAt = parsed.data.expires_at ?? null;
  if (text === null && emojiName === null) return null;
  if (expiresAt !== null && expiresAt <= now) return null;
  return { text, expiresAt, emojiId: null, emojiName, emojiAnimated: false };
}

export function toCustomStatusView(status: CustomStatus): CustomStatusView {
  return {
    text: status.text,
    expires_at: status.expiresAt === null ? null : new Date(status.expiresAt).toISOString(),
    emoji_id: status.emojiId === null ? null : status.emojiId.toString(),
    emoji_name: status.emojiName,
    emoji_animated: status.emojiAnimated,
  };
}
