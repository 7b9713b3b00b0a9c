/** `app/main/headless.ts` as a real process on a given home, ready once it prints its status line. */
import { type ChildProcess, spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const repoRoot = fileURLToPath(new URL("../../../../", import.meta.url));

/** The `--json` status line (host.ts's HostStatus, as it reaches a reader of the console). */
export interface PrintedStatus {
  pid: number;
  chatUrl: string;
  controlUrl?: string;
  setupUrl: string;
  processes: { name: string; state: string; pid?: number; port?: number; reason?: string }[];
}

export interface RunningHost {
  child: ChildProcess;
  status: PrintedStatus;
  output: () => string;
}

/** `started` collects every child, so the suite's `after` can SIGKILL whatever a failure left. */
export async function startHeadless(home: string, started: ChildProcess[]): Promise<RunningHost> {
  const child = spawn(process.execPath, ["--import", "tsx", "app/main/headless.ts", "--home", home, "--json"], {
    cwd: repoRoot,
    stdio: ["ignore", "pipe", "pipe"],
    env: { PATH: process.env.PATH, HOME: home },
  });
  started.push(child);
  let output = "";
  child.stderr?.on("data", (chunk) => {
    output += chunk;
  });
  const status = await new Promise<RunningHost["status"]>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`host not ready in 60 s:\n${output}`)), 60_000);
    child.once("exit", (code) => reject(new Error(`host exited with ${code}:\n${output}`)));
    createInterface({ input: child.stdout! }).on("line", (line) => {
      output += `${line}\n`;
      if (!line.startsWith("{")) return;
      const message = JSON.parse(line);
      if (message.type !== "host-ready") return;
      clearTimeout(timer);
      resolve(message);
    });
  });
  return { child, status, output: () => output };
}
