/** The server as a real child process (`server/src/main.ts`), for tests that need real sockets or real crashes. */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import type { ConfigInput } from "../../src/config.ts";

export interface ServerProcess {
  child: ChildProcess;
  origin: string;
  stop(signal?: NodeJS.Signals): Promise<void>;
}

const repoRoot = new URL("../../../", import.meta.url);

/** Starts the server with a config file in `dir` and resolves once it reports ready. */
export async function startServerProcess(dir: string, config: ConfigInput): Promise<ServerProcess> {
  const file = join(dir, "config.json");
  writeFileSync(file, JSON.stringify(config));
  const child = spawn(process.execPath, ["--import", "tsx", "server/src/main.ts", "--config", file], {
    cwd: repoRoot,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr?.on("data", (chunk) => {
    stderr += chunk;
  });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not report ready in 30 s: ${stderr}`)), 30_000);
    child.once("exit", (code) => reject(new Error(`server exited with ${code}: ${stderr}`)));
    createInterface({ input: child.stdout! }).on("line", (line) => {
      if (!line.startsWith("{")) return;
      const message = JSON.parse(line);
      if (message.type === "ready") {
        clearTimeout(timer);
        resolve(message.port);
      }
    });
  });
  return {
    child,
    origin: `http://127.0.0.1:${port}`,
    stop(signal: NodeJS.Signals = "SIGTERM") {
      if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
      return new Promise((resolve) => {
        child.once("exit", () => resolve());
        child.kill(signal);
      });
    },
  };
}

/** Runs the server with a config that must make it fail to start; returns how it exited. */
export function runServerToFailure(dir: string, config: ConfigInput, timeoutMs = 30_000) {
  const file = join(dir, "config.json");
  writeFileSync(file, JSON.stringify(config));
  const run = spawnSync(process.execPath, ["--import", "tsx", "server/src/main.ts", "--config", file], {
    cwd: repoRoot,
    encoding: "utf8",
    timeout: timeoutMs,
  });
  return { code: run.status, signal: run.signal, stdout: run.stdout, stderr: run.stderr };
}
