/**
 * Client frames on a zstd-stream connection: the current app sends its own frames as binary
 * frames of one zstd stream per connection, each flushed, so one streaming decompressor per
 * connection turns each into its JSON text. Output is bounded like the wire: decompression stops
 * as soon as it passes the frame cap, so a small frame can never make the server inflate megabytes.
 */
import { binding, type ZstdBinding } from "./frame-encoder.ts";

export type Decoded = { ok: true; text: string } | { ok: false; reason: "too_large" | "corrupt" };

export interface FrameDecoder {
  decode(bytes: Buffer): Decoded;
  close(): void;
}

/** Largest window a client may ask the decompressor to keep (8 MiB): zstd's own limit is 128 MiB. */
const WINDOW_LOG_MAX = 23;

export function zstdStreamDecoder(maxBytes: number): FrameDecoder {
  let dctx: InstanceType<ZstdBinding["DCtx"]> | null = null; // created on the first binary frame
  return {
    decode(bytes) {
      const z = binding();
      if (!dctx) {
        dctx = new z.DCtx();
        dctx.setParameter(z.DParameter.windowLogMax, WINDOW_LOG_MAX);
      }
      // One byte over the cap is enough to know the frame is too large.
      const out = Buffer.allocUnsafe(maxBytes + 1);
      let written = 0;
      let src = bytes;
      try {
        for (;;) {
          const [, produced, consumed] = dctx.decompressStream(out.subarray(written), src);
          written += produced;
          src = src.subarray(consumed);
          if (written > maxBytes) return { ok: false, reason: "too_large" };
          // Input used up and room left in the output: everything flushed so far is out.
          if (src.length === 0 && written < out.length) break;
          if (produced === 0 && consumed === 0) return { ok: false, reason: "corrupt" };
        }
      } catch {
        return { ok: false, reason: "corrupt" };
      }
      return { ok: true, text: out.toString("utf8", 0, written) };
    },
    close() {
      dctx = null; // freed by its finalizer
    },
  };
}
