/** The control API's backend over the host's supervisor, settings file and the server's admin API. */
import type { AdminClient } from "../chat-server/admin-client.ts";
import type { Settings } from "../settings/settings.schema.ts";
import { writeSettings } from "../settings/settings-file.ts";
import { applySettingsPatch, publicSettings } from "../settings/settings-patch.ts";
import { machineFacts, sizeFor } from "../sizing.ts";
import type { Supervisor } from "../supervisor/supervisor.ts";
import type { ControlBackend, HostState, SettingsChange } from "./control-backend.ts";
import { lastLines } from "./log-tail.ts";
import { createProcessStats } from "./process-stats.ts";

const LOG_LINES = 20;

export interface HostBackendInputs {
  supervisor(): Supervisor;
  chatUrl(): string;
  admin: AdminClient;
  settingsFile: string;
  settings: { get(): Settings; set(settings: Settings): void };
}

/** Where each part of the settings takes effect (the chat server re-reads its sizing at every start). */
const APPLIES_AT = { server: "the chat server's next restart", engines: "the host's next start" };

/**
 * The settings as the host UI shows them, with the values sized for this machine that apply where
 * the owner overrides nothing (sized at each call, as each start of a unit sizes them).
 */
function settingsView(settings: Settings) {
  const sized = sizeFor(machineFacts());
  return {
    ...publicSettings(settings),
    sized: {
      server: { heap_mb: sized.serverHeapMb, uv_threadpool_size: sized.uvThreadpoolSize },
      engines: { valkey: { max_memory_mb: sized.valkeyMaxMemoryMb } },
    },
  };
}

const unavailable = (error: Error) => ({
  status: 503,
  body: { code: "SERVER_UNAVAILABLE", message: `the chat server does not answer: ${error.message}` },
});

export function createHostBackend({ supervisor, chatUrl, admin, settingsFile, settings }: HostBackendInputs): ControlBackend {
  const sample = createProcessStats();
  let patching: Promise<unknown> = Promise.resolve();
  const unitNamed = (name: string) => supervisor().units.find((unit) => unit.name === name);

  return {
    async state(): Promise<HostState> {
      const now = Date.now();
      const processes = supervisor()
        .status()
        .map((status) => ({
          ...status,
          ...(status.state === "running" ? { uptimeMs: now - status.since, stats: sample(status.pid) } : {}),
          lastLines: lastLines(status.logFile, LOG_LINES),
        }));
      const server = processes.find((unit) => unit.name === "server");
      const answer = server?.state === "running" ? await admin.figures().catch(() => undefined) : undefined;
      const figures = answer?.status === 200 ? (answer.body as { claimed?: unknown }) : undefined;
      return {
        chatUrl: chatUrl(),
        claimed: typeof figures?.claimed === "boolean" ? figures.claimed : null,
        figures: figures ?? null,
        processes,
      };
    },

    claim: (input) => admin.claim(input).catch(unavailable),

    async invite() {
      const answer = await admin.invite().catch(unavailable);
      if (answer.status !== 200) return answer;
      const { code } = answer.body as { code: string };
      return { status: 200, body: { code, url: new URL(`/invite/${code}`, chatUrl()).toString() } };
    },

    async restart(name) {
      const unit = unitNamed(name);
      if (!unit) return undefined;
      await unit.stop();
      return unit.start();
    },

    async stop(name) {
      return unitNamed(name)?.stop();
    },

    settings: () => settingsView(settings.get()),

    patchSettings(patch) {
      // One change at a time: each is applied to what the one before it wrote.
      const change = patching.then(async (): Promise<SettingsChange> => {
        const result = applySettingsPatch(settings.get(), patch);
        if (!result.ok) return result;
        await writeSettings(settingsFile, result.settings);
        settings.set(result.settings);
        return { ok: true, settings: settingsView(result.settings), appliesAt: APPLIES_AT };
      });
      patching = change.catch(() => undefined);
      return change;
    },
  };
}
