/**
 * How frames leave a connection: JSON text, or one zstd stream per connection in binary frames,
 * each frame flushed so the client can decode it on arrival.
 */
import { createRequire } from "node:module";

export interface FrameEncoder {
  readonly binary: boolean;
  encode(text: string): string | Buffer;
  close(): void;
}

export const plainEncoder: FrameEncoder = {
  binary: false,
  encode: (text) => text,
  close() {},
};

export type ZstdBinding = typeof import("zstd-napi/binding.js");
let zstd: ZstdBinding | undefined;
let scratch: Buffer | undefined;

// Loaded on first use: the native module is only needed by clients that ask for compression.
export function binding(): ZstdBinding {
  zstd ??= createRequire(import.meta.url)("zstd-napi/binding.js") as ZstdBinding;
  scratch ??= Buffer.allocUnsafe(zstd.cStreamOutSize());
  return zstd;
}

export function zstdStreamEncoder(): FrameEncoder {
  const z = binding();
  let cctx: InstanceType<ZstdBinding["CCtx"]> | null = new z.CCtx();
  // A small window and tables keep each connection's context around 200 KB; chat frames are small.
  cctx.setParameter(z.CParameter.compressionLevel, 1);
  cctx.setParameter(z.CParameter.windowLog, 16);
  cctx.setParameter(z.CParameter.hashLog, 14);
  cctx.setParameter(z.CParameter.chainLog, 14);
  return {
    binary: true,
    encode(text) {
      if (!cctx) throw new Error("encoder closed");
      const out = scratch as Buffer;
      let src: Buffer = Buffer.from(text, "utf8");
      const parts: Buffer[] = [];
      for (;;) {
        const [remaining, produced, consumed] = cctx.compressStream2(out, src, z.EndDirective.flush);
        if (produced > 0) parts.push(Buffer.from(out.subarray(0, produced)));
        src = src.subarray(consumed);
        if (remaining === 0 && src.length === 0) break;
      }
      return parts.length === 1 ? (parts[0] as Buffer) : Buffer.concat(parts);
    },
    close() {
      cctx = null; // freed by its finalizer
    },
  };
}
