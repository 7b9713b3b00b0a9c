/**
 * Engines are not Node programs, so they cannot watch an IPC channel the way the chat server does.
 * On Linux, util-linux's `setpriv --pdeathsig` sets PR_SET_PDEATHSIG and then execs the engine
 * (same pid, no extra process): the kernel sends the signal when the host dies, even by SIGKILL.
 * Elsewhere the engine runs as is (see docs/ARCHITECTURE.md: a watchdog is still to come there).
 */
import { isExecutable } from "../engines/find-binary.ts";

const SETPRIV_CANDIDATES = ["/usr/bin/setpriv", "/bin/setpriv"];

export interface Command {
  command: string;
  args: string[];
}

export type ParentDeathGuard = (command: Command) => Command;

export function parentDeathGuard(platform: NodeJS.Platform = process.platform): { guard: ParentDeathGuard; kind: "pdeathsig" | "none" } {
  const setpriv = platform === "linux" ? SETPRIV_CANDIDATES.find(isExecutable) : undefined;
  if (!setpriv) return { guard: (command) => command, kind: "none" };
  return {
    guard: ({ command, args }) => ({ command: setpriv, args: ["--pdeathsig", "SIGTERM", "--", command, ...args] }),
    kind: "pdeathsig",
  };
}
