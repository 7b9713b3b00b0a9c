/** The real server as a child process for the browser tests, serving the built client. */
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ServerProcess, startServerProcess } from "../../../../server/test/support/server-process.ts";
import { clientDir } from "./client-build.ts";
import { freePort } from "./free-port.ts";

export async function startE2eServer(options: { resumeWindowMs: number }): Promise<{ server: ServerProcess; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), "fluxer-e2e-"));
  // A fixed port, so the origin the server advertises (CSP, discovery) is the one the browser uses.
  const port = await freePort();
  const server = await startServerProcess(dir, {
    env: "test",
    database: { sqlite_path: join(dir, "fluxer.db") },
    storage: { data_dir: join(dir, "files") },
    services: { server: { host: "127.0.0.1", port } },
    web: { client_dir: clientDir },
    dev: { disable_rate_limits: true, password_hash_cost: "fast" },
    // Short, so one test can outlive it and see the client start a fresh session.
    gateway: { resume_window_ms: options.resumeWindowMs },
  });
  return { server, dir };
}
