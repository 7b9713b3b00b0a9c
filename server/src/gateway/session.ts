/**
 * A gateway session: who it is, the sequence it has reached, and the dispatches it has sent that
 * the client has not acknowledged yet (kept so a RESUME can replay them). It outlives its socket
 * for the resume window; while detached it keeps buffering, up to the backlog bound.
 */
import type { User } from "../storage/records.ts";
import { dispatchFrame } from "./protocol.ts";

export interface BufferedDispatch {
  s: number;
  t: string;
  d: string; // JSON, shared with every other session that got the same event
}

/** Where a session's frames go while it has a socket. */
export interface SessionSink {
  sendDispatch(frame: string): void;
  /** The session's backlog passed its bound: close with 4013. */
  overflow(): void;
}

export interface ClientInfo {
  os: string;
  browser: string;
  device: string;
}

export class Session {
  readonly guildIds = new Set<bigint>();
  seq = 0;
  /** Highest seq the client has acknowledged with a heartbeat. */
  acked = 0;
  sink: SessionSink | null = null;
  expiry: NodeJS.Timeout | null = null;
  ended = false;
  private pending: BufferedDispatch[] = [];
  private head = 0; // index of the oldest unacknowledged entry in `pending`

  constructor(
    readonly id: string,
    readonly user: User,
    readonly client: ClientInfo,
    private readonly maxBacklog: number,
    private readonly ignored: ReadonlySet<string>,
    private readonly onDetachedOverflow: (session: Session) => void,
  ) {}

  get userId(): bigint {
    return this.user.id;
  }

  get backlog(): number {
    return this.pending.length - this.head;
  }

  wants(type: string): boolean {
    return !this.ignored.has(type);
  }

  /**
   * Sends (or buffers, while detached) one dispatch. `replayable: false` is for READY and RESUMED,
   * which a resume never repeats.
   */
  dispatch(t: string, dJson: string, replayable = true): void {
    if (this.ended) return;
    const s = ++this.seq;
    if (replayable) {
      this.pending.push({ s, t, d: dJson });
      if (this.backlog > this.maxBacklog) {
        if (this.sink) this.sink.overflow();
        else this.onDetachedOverflow(this);
        return;
      }
    }
    this.sink?.sendDispatch(dispatchFrame(t, s, dJson));
  }

  /** The client has everything up to `seq`: forget it. */
  ack(seq: number): void {
    if (seq <= this.acked) return;
    this.acked = Math.min(seq, this.seq);
    while (this.head < this.pending.length && (this.pending[this.head] as BufferedDispatch).s <= this.acked) this.head++;
    // Compact now and then rather than shifting on every ack.
    if (this.head > 1024 || this.head === this.pending.length) {
      this.pending = this.pending.slice(this.head);
      this.head = 0;
    }
  }

  /** The dispatches after `seq`, or null when the session cannot bring a client back from there. */
  after(seq: number): BufferedDispatch[] | null {
    if (!Number.isInteger(seq) || seq < 1 || seq > this.seq || seq < this.acked) return null;
    const out: BufferedDispatch[] = [];
    for (let i = this.head; i < this.pending.length; i++) {
      const entry = this.pending[i] as BufferedDispatch;
      if (entry.s > seq) out.push(entry);
    }
    return out;
  }

  end(): void {
    this.ended = true;
    this.sink = null;
    this.pending = [];
    this.head = 0;
    if (this.expiry) clearTimeout(this.expiry);
    this.expiry = null;
  }
}
