// What the system says about processes and their sockets (Linux /proc), for host tests.
import { readdirSync, readFileSync, readlinkSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";

/** Gone, or a zombie nobody has reaped yet (it no longer runs or holds sockets). */
export function processGone(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
  } catch {
    return true;
  }
}

export async function waitUntilGone(pids: number[], timeoutMs = 20_000): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (pids.every(processGone)) return [];
    await sleep(100);
  }
  return pids.filter((pid) => !processGone(pid));
}

export interface ListeningSocket {
  pid: number;
  address: string;
  port: number;
}

/** Every TCP socket in LISTEN state that one of `pids` holds, from /proc/net/tcp{,6}. */
export function listeningSockets(pids: number[]): ListeningSocket[] {
  const listening = new Map<string, { address: string; port: number }>();
  for (const [file, v6] of [
    ["/proc/net/tcp", false],
    ["/proc/net/tcp6", true],
  ] as const) {
    let text = "";
    try {
      text = readFileSync(file, "utf8");
    } catch {
      continue;
    }
    for (const line of text.split("\n").slice(1)) {
      const fields = line.trim().split(/\s+/);
      if (fields.length < 10 || fields[3] !== "0A") continue; // 0A = LISTEN
      const [hexAddress, hexPort] = (fields[1] ?? "").split(":");
      listening.set(fields[9]!, { address: decodeAddress(hexAddress ?? "", v6), port: Number.parseInt(hexPort ?? "0", 16) });
    }
  }
  const sockets: ListeningSocket[] = [];
  for (const pid of pids) {
    let fds: string[] = [];
    try {
      fds = readdirSync(`/proc/${pid}/fd`);
    } catch {
      continue;
    }
    for (const fd of fds) {
      let target = "";
      try {
        target = readlinkSync(`/proc/${pid}/fd/${fd}`);
      } catch {
        continue;
      }
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1];
      const socket = inode ? listening.get(inode) : undefined;
      if (socket) sockets.push({ pid, ...socket });
    }
  }
  return sockets;
}

// /proc/net/tcp prints addresses as host-order hex words (little-endian here).
function decodeAddress(hex: string, v6: boolean): string {
  const bytes = Buffer.from(hex, "hex");
  if (!v6) return [...bytes].reverse().join(".");
  const words: string[] = [];
  for (let i = 0; i < 16; i += 4) {
    const word = bytes.subarray(i, i + 4).reverse();
    words.push(word.subarray(0, 2).toString("hex"), word.subarray(2, 4).toString("hex"));
  }
  return words.join(":");
}
