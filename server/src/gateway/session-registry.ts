/** Every live session of this process, indexed by id, user and guild for fan-out. */
import type { Session } from "./session.ts";

const EMPTY: ReadonlySet<Session> = new Set();

export class SessionRegistry {
  readonly byId = new Map<string, Session>();
  private readonly byUser = new Map<bigint, Set<Session>>();
  private readonly byGuild = new Map<bigint, Set<Session>>();

  constructor(private readonly onGuildEmpty: (guildId: bigint) => void) {}

  add(session: Session): void {
    this.byId.set(session.id, session);
    const own = this.byUser.get(session.userId) ?? new Set<Session>();
    this.byUser.set(session.userId, own);
    own.add(session);
  }

  remove(session: Session): void {
    this.byId.delete(session.id);
    const own = this.byUser.get(session.userId);
    own?.delete(session);
    if (own?.size === 0) this.byUser.delete(session.userId);
    for (const guildId of [...session.guildIds]) this.unsubscribe(session, guildId);
  }

  subscribe(session: Session, guildId: bigint): void {
    session.guildIds.add(guildId);
    const members = this.byGuild.get(guildId) ?? new Set<Session>();
    this.byGuild.set(guildId, members);
    members.add(session);
  }

  unsubscribe(session: Session, guildId: bigint): void {
    session.guildIds.delete(guildId);
    const members = this.byGuild.get(guildId);
    if (!members) return;
    members.delete(session);
    if (members.size === 0) {
      this.byGuild.delete(guildId);
      this.onGuildEmpty(guildId);
    }
  }

  guildSessions(guildId: bigint): ReadonlySet<Session> {
    return this.byGuild.get(guildId) ?? EMPTY;
  }

  userSessions(userId: bigint): ReadonlySet<Session> {
    return this.byUser.get(userId) ?? EMPTY;
  }

  get size(): number {
    return this.byId.size;
  }
}
