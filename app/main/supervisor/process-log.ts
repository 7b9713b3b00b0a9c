/** One rotating log file per supervised process: `<logs>/<name>.log`, rotated by size. */
import type { Readable } from "node:stream";
import { createStream, type RotatingFileStream } from "rotating-file-stream";

export interface ProcessLog {
  file: string;
  /** A line from the supervisor itself (start, exit, restart), marked so it stands out from the child's output. */
  note(line: string): void;
  attach(stream: Readable | null | undefined): void;
  close(): Promise<void>;
}

export interface LogRotation {
  size: string;
  maxFiles: number;
}

export const DEFAULT_ROTATION: LogRotation = { size: "10M", maxFiles: 5 };

export function openProcessLog(dir: string, name: string, rotation: LogRotation = DEFAULT_ROTATION): ProcessLog {
  const fileName = `${name}.log`;
  const stream: RotatingFileStream = createStream(fileName, { path: dir, size: rotation.size, maxFiles: rotation.maxFiles, mode: 0o600 });
  // A full disk or a rotation error must never take the host down.
  stream.on("error", () => {});
  let closed = false;
  return {
    file: `${dir}/${fileName}`,
    note(line) {
      if (!closed) stream.write(`[host ${new Date().toISOString()}] ${line}\n`);
    },
    attach(source) {
      source?.on("data", (chunk: Buffer) => {
        if (!closed) stream.write(chunk);
      });
    },
    close() {
      if (closed) return Promise.resolve();
      closed = true;
      return new Promise((resolve) => {
        stream.once("close", () => resolve());
        stream.end();
      });
    },
  };
}
