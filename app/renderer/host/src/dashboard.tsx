/** The owner's view of the running instance: processes, figures, the chat address, settings. */
import type { ApiError, HostStateView } from "./host-api.ts";
import { InviteCard } from "./invite-card.tsx";
import { ProcessCard } from "./process-card.tsx";
import { SettingsForm } from "./settings-form.tsx";

interface Props {
  state: HostStateView;
  stale: ApiError | null;
  refresh: () => Promise<void>;
}

export function Dashboard({ state, stale, refresh }: Props) {
  const figures = state.figures;
  return (
    <main className="page">
      <header className="top">
        <h1>Fluxer Appliance</h1>
        <p className="chat-address">
          Chat address: <code>{state.chatUrl}</code>{" "}
          <a className="button primary" href={state.chatUrl} target="_blank" rel="noopener noreferrer">
            Open chat
          </a>
        </p>
      </header>
      {stale && (
        <p className="banner" role="alert">
          {stale.message} (showing the last known state)
        </p>
      )}
      {state.claimed === null && (
        <p className="banner" role="status">
          The chat server is not answering; figures and the claim wait for it.
        </p>
      )}

      <section aria-labelledby="figures-title" className="card">
        <h2 id="figures-title">Community</h2>
        {figures ? (
          <dl className="figures">
            <Figure label="Online now" value={figures.gateway.sessions} />
            <Figure label="Members" value={figures.users} />
            <Figure label="Communities" value={figures.guilds} />
            <Figure label="Messages" value={figures.messages} />
          </dl>
        ) : (
          <p>No figures while the chat server is not running.</p>
        )}
      </section>

      {state.claimed && <InviteCard />}

      <section aria-labelledby="processes-title">
        <h2 id="processes-title">Processes</h2>
        <ul className="processes">
          {state.processes.map((process) => (
            <ProcessCard key={process.name} process={process} refresh={refresh} />
          ))}
        </ul>
      </section>

      <SettingsForm />
    </main>
  );
}

function Figure({ label, value }: { label: string; value: number }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd>{value.toLocaleString()}</dd>
    </div>
  );
}
