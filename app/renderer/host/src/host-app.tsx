/** The host page: the claim while the owner is unclaimed, the dashboard afterwards. */
import { ClaimScreen } from "./claim-screen.tsx";
import { Dashboard } from "./dashboard.tsx";
import { useHostState } from "./use-host-state.ts";

export function HostApp() {
  const { state, error, refresh } = useHostState();

  if (error?.code === "NO_SESSION")
    return (
      <main className="page narrow">
        <h1>Fluxer Appliance</h1>
        <p role="alert">
          This browser is not signed in to the host. Open the one-time setup link the host printed on its console (restart the host for a
          new one).
        </p>
      </main>
    );
  if (!state)
    return (
      <main className="page narrow">
        <h1>Fluxer Appliance</h1>
        <p role={error ? "alert" : "status"}>{error ? error.message : "Loading the host's state…"}</p>
      </main>
    );
  if (state.claimed === false) return <ClaimScreen onClaimed={refresh} />;
  return <Dashboard state={state} stale={error} refresh={refresh} />;
}
