/**
 * A real S3-compatible server for tests: s3rver (an npm devDependency, so always installable) on
 * 127.0.0.1 and a free port, its objects in a temporary folder, one bucket made at start.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ConfigInput } from "../../src/config.ts";

export interface RunningS3 {
  endpoint: string;
  port: number;
  directory: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** The `s3` config section that points the app at this server. */
  config(keyPrefix?: string): NonNullable<ConfigInput["s3"]>;
  /** Stops answering; `keepFiles` keeps the objects for a restart with the same port and folder. */
  stop(options?: { keepFiles?: boolean }): Promise<void>;
}

export interface S3Options {
  bucket?: string;
  /** A restart: the same port and folder as a stopped server. */
  port?: number;
  directory?: string;
}

export async function startS3(options: S3Options = {}): Promise<RunningS3> {
  // Imported here, so a suite that never starts S3 never loads it.
  const { default: S3rver } = await import("s3rver");
  const bucket = options.bucket ?? "fluxer-test";
  const directory = options.directory ?? mkdtempSync(join(tmpdir(), "fluxer-s3rver-"));
  const server = new S3rver({
    address: "127.0.0.1",
    port: options.port ?? 0,
    directory,
    silent: true,
    configureBuckets: [{ name: bucket }],
  });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  // s3rver's fixed credentials.
  const accessKeyId = "S3RVER";
  const secretAccessKey = "S3RVER";
  return {
    endpoint,
    port,
    directory,
    bucket,
    accessKeyId,
    secretAccessKey,
    config: (keyPrefix = "") => ({
      bucket,
      endpoint,
      region: "us-east-1",
      access_key_id: accessKeyId,
      secret_access_key: secretAccessKey,
      force_path_style: true,
      key_prefix: keyPrefix,
    }),
    async stop(stopOptions = {}) {
      // Clients keep connections open (keep-alive); the server stops now, not when they let go.
      const closing = server.close();
      server.httpServer?.closeAllConnections();
      await closing;
      if (!stopOptions.keepFiles) rmSync(directory, { recursive: true, force: true });
    },
  };
}
