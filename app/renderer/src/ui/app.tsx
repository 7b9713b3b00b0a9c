/** The top of the client: discovery, the REST client, the session, and which view the URL names. */
import { useEffect, useMemo, useState } from "react";
import { discover } from "../api/discovery.ts";
import { createRest } from "../api/rest.ts";
import type { WellKnown } from "../api/types.ts";
import { sessionStore, signOut } from "../state/session.ts";
import { useStore } from "../state/store.ts";
import { AuthPage } from "./auth/auth-page.tsx";
import { RestContext } from "./context.ts";
import { InvitePage } from "./invite/invite-page.tsx";
import { navigate, useRoute } from "./router.ts";
import { ChatShell } from "./shell/chat-shell.tsx";

export function App() {
  const [instance, setInstance] = useState<WellKnown | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    discover().then(setInstance, () => setFailed(true));
  }, []);
  const rest = useMemo(
    () => (instance ? createRest(instance.endpoints.api, () => sessionStore.get()?.token ?? null, signOut) : null),
    [instance],
  );
  if (failed) return <p className="splash">This instance could not be reached. Reload the page to try again.</p>;
  if (!instance || !rest) return <p className="splash">Loading…</p>;
  return (
    <RestContext.Provider value={rest}>
      <Routes instance={instance} />
    </RestContext.Provider>
  );
}

function Routes({ instance }: { instance: WellKnown }) {
  const route = useRoute();
  const session = useStore(sessionStore, (s) => s);
  const needsSession = route.name === "channels" || route.name === "home";
  const redirect = !session && needsSession ? `/login?next=${encodeURIComponent(location.pathname)}` : null;
  const signedInOnAuth = session && (route.name === "login" || route.name === "register") ? (route.next ?? "/channels") : null;
  const target = redirect ?? signedInOnAuth ?? (session && route.name === "home" ? "/channels" : null);
  useEffect(() => {
    if (target) navigate(target, { replace: true });
  }, [target]);
  if (target) return null;

  switch (route.name) {
    case "login":
    case "register":
      return <AuthPage mode={route.name} next={route.next} registrationOpen={instance.registration?.mode !== "closed"} />;
    case "invite":
      return <InvitePage code={route.code} />;
    case "channels":
      return session ? <ChatShell session={session} gatewayUrl={instance.endpoints.gateway} route={route} /> : null;
    default:
      return null;
  }
}
