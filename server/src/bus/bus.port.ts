/**
 * The bus port: services publish domain events; the gateway (in this process or another) subscribes.
 * In-process by default; NATS when API and gateway run as separate processes.
 */

/**
 * Who may see an event: a guild's members (optionally only those who can view a channel, and only
 * those who hold `permission`: in the channel when `channelId` is set, else in the guild), or listed users.
 */
export type Audience = { kind: "guild"; guildId: bigint; channelId?: bigint; permission?: bigint } | { kind: "users"; userIds: bigint[] };

export interface DomainEvent {
  /** Gateway dispatch name, e.g. MESSAGE_CREATE. */
  type: string;
  audience: Audience;
  /** The dispatch payload, already in wire shape (JSON-safe). */
  data: unknown;
}

export interface EventBus {
  publish(event: DomainEvent): void;
  subscribe(handler: (event: DomainEvent) => void): () => void;
  /** Resolves when the bus's server answers right now (readiness); rejects with why not. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
