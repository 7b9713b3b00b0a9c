// The chat server as a real child process serving TLS, for the certificate tests (sources via tsx).
import { type ChildProcess, spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import { request } from "node:https";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";

const repoRoot = fileURLToPath(new URL("../../../../", import.meta.url));

export interface TlsChatServer {
  port: number;
  child: ChildProcess;
  stop(): Promise<void>;
}

export interface TlsFilesConfig {
  cert_path: string;
  key_path: string;
  http_redirect_port?: number;
  acme_challenge_dir?: string;
}

/** Starts the server on 127.0.0.1 with `tls` and data in `dir`; resolves once it reports ready. */
export async function startTlsChatServer(dir: string, tls: TlsFilesConfig, domain: Record<string, unknown> = {}): Promise<TlsChatServer> {
  const file = join(dir, "server-config.json");
  const config = {
    env: "test",
    domain,
    database: { sqlite_path: join(dir, "fluxer.db") },
    storage: { data_dir: join(dir, "files") },
    services: { server: { host: "127.0.0.1", port: 0, tls } },
    log: { level: "warn" },
    dev: { password_hash_cost: "fast" },
  };
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
    const timer = setTimeout(() => reject(new Error(`server not ready in 30 s: ${stderr}`)), 30_000);
    child.once("exit", (code) => reject(new Error(`server exited with ${code}: ${stderr}`)));
    createInterface({ input: child.stdout! }).on("line", (line) => {
      if (!line.startsWith("{")) return;
      const message = JSON.parse(line);
      if (message.type !== "ready") return;
      clearTimeout(timer);
      resolve(message.port);
    });
  });
  return {
    port,
    child,
    stop: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

/** GET over https trusting only `ca`; resolves with the status and body. */
export function httpsGet(url: string, ca: string, servername?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(url, { ca, servername, timeout: 10_000 }, (response) => {
      const chunks: Buffer[] = [];
      response.on("data", (chunk: Buffer) => chunks.push(chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
    });
    outgoing.on("timeout", () => outgoing.destroy(new Error(`timeout: ${url}`)));
    outgoing.on("error", reject);
    outgoing.end();
  });
}
