/** Says when the gateway is down and being re-established, so stale views are not mistaken for quiet ones. */
import { useChat } from "../context.ts";

export function ConnectionBanner() {
  const status = useChat((s) => s.status);
  if (status !== "reconnecting" && status !== "closed") return null;
  return (
    <div className="connection-banner" role="status" data-status={status}>
      {status === "reconnecting" ? "Reconnecting…" : "Disconnected. Reload the page to reconnect."}
    </div>
  );
}
