/**
 * A gateway session: who it is, the sequence it has reached, and the dispatches it has sent that
 * the client has not acknowledged yet (kept so a RESUME can replay them). It outlives its socket
 * for the resume window; while detached it keeps buffering, up to the backlog bound.
 *
 * Real clients acknowledge only with their heartbeat (every ~41 s), so a busy but healthy client
 * can pass the bound while attached: then the oldest entries are forgotten (a RESUME from before
 * them gets op 9) instead of closing a socket that reads fine. A socket that does not read is
 * closed with 4013 by its connection, on the bytes it has not taken.
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
  /** Closes the socket with 4013 (a connection that stopped reading). */
  overflow(): void;
  close(code: number, reason?: string): void;
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
  /**
   * The session token (its hash) the current socket authenticated with, so revoking that token
   * ends this session; null for a bot, whose sessions all end when its token is reset.
   */
  sessionHash: string | null = null;
  expiry: NodeJS.Timeout | null = null;
  ended = false;
  private pending: BufferedDispatch[] = [];
  private head = 0; // index of the oldest unacknowledged entry in `pending`
  /** Highest seq forgotten before it was acknowledged: a resume must start at or after it. */
  private forgotten = 0;

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
   * Sends (or buffers, while detached) one dispatch. `replayable: false` is for READY, which a
   * resume never repeats.
   */
  dispatch(t: string, dJson: string, replayable = true): void {
    if (this.ended) return;
    const s = ++this.seq;
    if (replayable) {
      this.pending.push({ s, t, d: dJson });
      if (this.backlog > this.maxBacklog) {
        if (!this.sink) {
          this.onDetachedOverflow(this); // nobody is reading: the session cannot be resumed whole
          return;
        }
        this.forget(this.backlog - this.maxBacklog);
      }
    }
    this.sink?.sendDispatch(dispatchFrame(t, s, dJson));
  }

  /** A dispatch that takes no sequence number of its own (RESUMED): it carries the current `s`. */
  notify(t: string, dJson: string): void {
    if (this.ended) return;
    this.sink?.sendDispatch(dispatchFrame(t, this.seq, dJson));
  }

  private forget(count: number): void {
    this.head += count;
    this.forgotten = (this.pending[this.head - 1] as BufferedDispatch).s;
    if (this.head > 1024) {
      this.pending = this.pending.slice(this.head);
      this.head = 0;
    }
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
    if (!Number.isInteger(seq) || seq < 1 || seq > this.seq || seq < this.acked || seq < this.forgotten) return null;
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
