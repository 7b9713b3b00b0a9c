/**
 * When a parent (the appliance host) forked this server with an IPC channel: `{type: "shutdown"}`
 * asks for a graceful stop, and the channel closing means the parent is gone (crashed or killed),
 * so the server stops too instead of living on as an orphan.
 */
const ORPHAN_EXIT_AFTER_MS = 10_000;

export function linkToParent(stop: (reason: string) => void): void {
  if (!process.send) return; // started alone: no parent to follow
  process.on("message", (message: unknown) => {
    if (message && typeof message === "object" && (message as { type?: unknown }).type === "shutdown") stop("shutdown requested by parent");
  });
  const orphaned = () => {
    stop("parent process gone");
    // A graceful close that hangs (a stuck socket) must not keep an orphan alive.
    setTimeout(() => process.exit(1), ORPHAN_EXIT_AFTER_MS).unref();
  };
  // The parent may have died while this server was still starting.
  if (!process.connected) orphaned();
  else process.once("disconnect", orphaned);
}
