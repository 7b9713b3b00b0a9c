/**
 * Gateway frames under `compress=zstd-stream`: one zstd stream per connection, each binary frame
 * a flushed piece of it that decodes to exactly one JSON payload.
 */
import { Decompress } from "fzstd";

export class ZstdStreamDecoder {
  private pieces: Uint8Array[] = [];
  private readonly stream = new Decompress((chunk) => this.pieces.push(chunk));
  private readonly text = new TextDecoder();

  decode(frame: ArrayBuffer): string {
    this.pieces = [];
    this.stream.push(new Uint8Array(frame));
    if (this.pieces.length === 1) return this.text.decode(this.pieces[0]);
    const total = this.pieces.reduce((sum, piece) => sum + piece.length, 0);
    const joined = new Uint8Array(total);
    let offset = 0;
    for (const piece of this.pieces) {
      joined.set(piece, offset);
      offset += piece.length;
    }
    return this.text.decode(joined);
  }
}
