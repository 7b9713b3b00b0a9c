/**
 * A real S3-compatible server for tests: s3rver (an npm devDependency, so always installable) on
 * 127.0.0.1 and a free port, its objects in a temporary folder, one bucket made at start.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export interface RunningS3 {
  endpoint: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  stop(): Promise<void>;
}

export async function startS3(bucket = "fluxer-test"): Promise<RunningS3> {
  // Imported here, so a suite that never starts S3 never loads it.
  const { default: S3rver } = await import("s3rver");
  const directory = mkdtempSync(join(tmpdir(), "fluxer-s3rver-"));
  const server = new S3rver({ address: "127.0.0.1", port: 0, directory, silent: true, configureBuckets: [{ name: bucket }] });
  const address = await server.run();
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    bucket,
    // s3rver's fixed credentials.
    accessKeyId: "S3RVER",
    secretAccessKey: "S3RVER",
    async stop() {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
