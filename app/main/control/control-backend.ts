/** What the control API asks of the host; `host.ts` implements it over the supervisor and settings. */
import type { AdminAnswer } from "../chat-server/admin-client.ts";
import type { PatchProblem } from "../settings/settings-patch.ts";
import type { UnitStatus } from "../supervisor/unit.ts";
import type { ProcessStats } from "./process-stats.ts";

export interface ProcessState extends UnitStatus {
  /** Milliseconds since it became ready; only while running. */
  uptimeMs?: number;
  stats?: ProcessStats;
  lastLines: string[];
}

export interface HostState {
  chatUrl: string;
  /** Whether the owner is claimed; null while the server cannot tell (not running). */
  claimed: boolean | null;
  /** The server's figures (users, guilds, messages, gateway), when it answers. */
  figures: unknown;
  processes: ProcessState[];
}

export type SettingsChange = { ok: true; settings: unknown; appliesAt: Record<string, string> } | { ok: false; problems: PatchProblem[] };

export interface ControlBackend {
  state(): Promise<HostState>;
  claim(input: unknown): Promise<AdminAnswer>;
  /** The owner's invite as `{ code, url }` on the chat address, or the server's refusal. */
  invite(): Promise<AdminAnswer>;
  /** Undefined when there is no process of that name. */
  restart(name: string): Promise<UnitStatus | undefined>;
  stop(name: string): Promise<UnitStatus | undefined>;
  settings(): unknown;
  patchSettings(patch: unknown): Promise<SettingsChange>;
}
