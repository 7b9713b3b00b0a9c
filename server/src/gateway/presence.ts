/**
 * Presence behind the key-value port, so every gateway process sees the same statuses.
 * A user's presence is one key; `invisible` is stored as such and shown to others as offline.
 * Changes reach the user's guilds as PRESENCE_UPDATE through the bus, like any other event.
 */
import type { EventBus } from "../bus/bus.port.ts";
import type { KeyValueStore } from "../kv/kv.port.ts";

export const STATUSES = ["online", "idle", "dnd", "invisible"] as const;
export type Status = (typeof STATUSES)[number];

export interface StoredPresence {
  status: Status;
  afk: boolean;
  mobile: boolean;
  custom_status: unknown;
}

/** What other users see: `{user:{id}, status, ...}`; guild_id is added per guild. */
export interface PresenceView {
  user: { id: string };
  status: "online" | "idle" | "dnd" | "offline";
  afk: boolean;
  mobile: boolean;
  custom_status: unknown;
  activities: never[];
}

const key = (userId: bigint) => `presence:${userId}`;

export function presenceView(userId: bigint, stored: StoredPresence | null): PresenceView {
  const visible = stored !== null && stored.status !== "invisible";
  return {
    user: { id: userId.toString() },
    status: visible ? (stored.status as PresenceView["status"]) : "offline",
    afk: visible ? stored.afk : false,
    mobile: visible ? stored.mobile : false,
    custom_status: visible ? (stored.custom_status ?? null) : null,
    activities: [],
  };
}

function parse(text: string | null): StoredPresence | null {
  if (text === null) return null;
  try {
    return JSON.parse(text) as StoredPresence;
  } catch {
    return null;
  }
}

export interface Presence {
  /** Stores the user's presence and tells their guilds when what others see changed. */
  set(userId: bigint, presence: StoredPresence, guildIds: Iterable<bigint>): Promise<void>;
  /** The user has no session left: offline for everyone. */
  clear(userId: bigint, guildIds: Iterable<bigint>): Promise<void>;
  /** Keeps a live user's key from expiring (the TTL only cleans up after a crashed process). */
  refresh(userId: bigint): Promise<void>;
  read(userIds: readonly bigint[]): Promise<Map<bigint, StoredPresence>>;
}

export function createPresence(kv: KeyValueStore, bus: EventBus, ttlMs: number): Presence {
  async function announce(userId: bigint, before: StoredPresence | null, after: StoredPresence | null, guildIds: Iterable<bigint>) {
    const was = presenceView(userId, before);
    const now = presenceView(userId, after);
    if (JSON.stringify(was) === JSON.stringify(now)) return;
    for (const guildId of guildIds) {
      bus.publish({ type: "PRESENCE_UPDATE", audience: { kind: "guild", guildId }, data: { ...now, guild_id: guildId.toString() } });
    }
  }

  return {
    async set(userId, presence, guildIds) {
      const before = parse(await kv.get(key(userId)));
      await kv.set(key(userId), JSON.stringify(presence), ttlMs);
      await announce(userId, before, presence, guildIds);
    },
    async clear(userId, guildIds) {
      const before = parse(await kv.get(key(userId)));
      await kv.delete(key(userId));
      await announce(userId, before, null, guildIds);
    },
    async refresh(userId) {
      const text = await kv.get(key(userId));
      if (text !== null) await kv.set(key(userId), text, ttlMs);
    },
    async read(userIds) {
      const out = new Map<bigint, StoredPresence>();
      const values = await kv.getMany(userIds.map(key));
      userIds.forEach((id, i) => {
        const stored = parse(values[i] ?? null);
        if (stored) out.set(id, stored);
      });
      return out;
    },
  };
}
