/**
 * Stored settings → live presence, as upstream's presence process does on USER_SETTINGS_UPDATE:
 * the settings' custom status replaces the presence's; status `invisible` makes every session
 * invisible, and a visible status lifts that (it does not override idle/dnd chosen over op 3,
 * which clients send themselves). Also the initial presence of an IDENTIFY.
 */
import type { DomainEvent } from "../bus/bus.port.ts";
import type { UserSettings } from "../storage/records.ts";
import type { Presence, Status, StoredPresence } from "./presence.ts";
import type { SessionRegistry } from "./session-registry.ts";
import { announceSessions } from "./sessions-replace.ts";

type SettingsPresence = { status: Status; custom_status: unknown };

const field = (data: unknown, name: string): unknown =>
  data && typeof data === "object" ? (data as Record<string, unknown>)[name] : undefined;

export function presenceAfterSettings(current: StoredPresence, settings: SettingsPresence): StoredPresence {
  const status = settings.status === "invisible" || current.status === "invisible" ? settings.status : current.status;
  return { ...current, status, custom_status: settings.custom_status ?? null };
}

/**
 * What a new session shows. Without a presence in IDENTIFY: the one the user's other sessions
 * already have, else the stored status. A client that says `online` while the stored status is
 * another one gets the stored one (the official app identifies as online before it has settings).
 */
export function initialPresence(
  asked: StoredPresence | null,
  previous: StoredPresence | null,
  stored: SettingsPresence | null,
): StoredPresence {
  if (!stored) return asked ?? previous ?? { status: "online", afk: false, mobile: false, custom_status: null };
  if (asked) {
    const status = asked.status === "online" && stored.status !== "online" ? stored.status : asked.status;
    return { ...asked, status, custom_status: stored.custom_status ?? asked.custom_status };
  }
  return previous ?? { status: stored.status, afk: false, mobile: false, custom_status: stored.custom_status };
}

/** The part of a settings view (or record turned into one) that presence cares about. */
export function settingsPresenceOf(view: { status: UserSettings["status"]; custom_status: unknown }): SettingsPresence {
  return { status: view.status, custom_status: view.custom_status };
}

export function createSettingsPresence(registry: SessionRegistry, presence: Presence, log: (message: string, error?: unknown) => void) {
  async function apply(userId: bigint, settings: SettingsPresence): Promise<void> {
    const sessions = [...registry.userSessions(userId)];
    if (sessions.length === 0) return; // not connected to this process: nothing live to change
    const current = (await presence.read([userId])).get(userId);
    if (!current) return;
    const next = presenceAfterSettings(current, settings);
    if (JSON.stringify(next) === JSON.stringify(current)) return;
    const guildIds = new Set(sessions.flatMap((s) => [...s.guildIds]));
    await presence.set(userId, next, guildIds);
    if (next.status !== current.status) await announceSessions(registry, presence, userId, null, next);
  }

  return (event: DomainEvent): void => {
    if (event.type !== "USER_SETTINGS_UPDATE" || event.audience.kind !== "users") return;
    const status = field(event.data, "status");
    if (typeof status !== "string") return;
    const settings = { status: status as Status, custom_status: field(event.data, "custom_status") ?? null };
    for (const userId of event.audience.userIds) {
      void apply(userId, settings).catch((error) => log("gateway: presence from settings failed", error));
    }
  };
}
