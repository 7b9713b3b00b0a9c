/**
 * Defaults sized from the machine (every value can be overridden in the settings): the chat
 * server's heap and libuv thread pool, Valkey's memory cap.
 */
import { availableParallelism, totalmem } from "node:os";

export interface MachineFacts {
  totalMemoryBytes: number;
  cores: number;
}

export interface Sizing {
  /** `--max-old-space-size` for the chat server, in MiB. */
  serverHeapMb: number;
  /** `UV_THREADPOOL_SIZE`: argon2 hashing and file I/O run there. */
  uvThreadpoolSize: number;
  /** Valkey's `maxmemory`, in MiB. */
  valkeyMaxMemoryMb: number;
}

const MIB = 1024 * 1024;
const clamp = (value: number, min: number, max: number) => Math.min(max, Math.max(min, Math.round(value)));

export function machineFacts(): MachineFacts {
  return { totalMemoryBytes: totalmem(), cores: availableParallelism() };
}

export function sizeFor({ totalMemoryBytes, cores }: MachineFacts): Sizing {
  const totalMb = totalMemoryBytes / MIB;
  return {
    // A quarter of the machine: the host shares it with the engines and the owner's own programs.
    serverHeapMb: clamp(totalMb / 4, 256, 4096),
    uvThreadpoolSize: clamp(cores * 2, 4, 32),
    // Valkey only caches (rate limits, presence): a small share is plenty.
    valkeyMaxMemoryMb: clamp(totalMb / 32, 32, 1024),
  };
}
