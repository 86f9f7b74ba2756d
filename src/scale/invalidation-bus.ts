import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { z } from 'zod';

/**
 * After a write, every replica must stop serving what the write changed from its in-process caches.
 * The writing replica's own caches were already updated by the write (each vendor's afterWrite), so
 * it only publishes; the others receive the message on a Redis pub/sub channel and apply it within
 * milliseconds. A replica alone (no REDIS_URL) has nobody to tell. The shared store (PostgreSQL)
 * needs no message: every replica reads the same rows.
 */
export interface Invalidation {
  /** The vendor whose data changed (VendorName in upper case, e.g. 'DISTRU'). */
  vendor: string;
  /** What changed, in the vendor runtime's words (e.g. 'stock', 'orders'); empty = everything. */
  topics: string[];
}

export type InvalidationHandler = (invalidation: Invalidation) => void;

export interface InvalidationBus {
  /** Tells the other replicas (this one applied the write to its own caches already). */
  publish(invalidation: Invalidation): Promise<void>;
  subscribe(handler: InvalidationHandler): void;
  close(): Promise<void>;
}

export class LocalInvalidationBus implements InvalidationBus {
  protected readonly handlers: InvalidationHandler[] = [];

  /** Alone: no other replica to tell. */
  async publish(_invalidation: Invalidation): Promise<void> {}

  subscribe(handler: InvalidationHandler): void {
    this.handlers.push(handler);
  }

  protected deliver(invalidation: Invalidation): void {
    for (const handler of this.handlers) handler(invalidation);
  }

  async close(): Promise<void> {}
}

const CHANNEL = 'opsgraph:invalidate';
const messageSchema = z.object({ origin: z.string(), vendor: z.string().min(1).max(40), topics: z.array(z.string().max(80)).max(100) });

export class RedisInvalidationBus extends LocalInvalidationBus {
  private readonly origin = randomUUID();

  /** `publisher` is the replica's command connection; `subscriber` a second one (a subscribed connection can only listen). */
  constructor(
    private readonly publisher: Redis,
    private readonly subscriber: Redis,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {
    super();
    subscriber.on('message', (channel: string, raw: string) => {
      if (channel !== CHANNEL) return;
      let parsed: z.infer<typeof messageSchema>;
      try {
        parsed = messageSchema.parse(JSON.parse(raw));
      } catch (error) {
        this.onError(error);
        return;
      }
      if (parsed.origin === this.origin) return; // this replica made the write
      this.deliver({ vendor: parsed.vendor, topics: parsed.topics });
    });
  }

  async start(): Promise<void> {
    if (this.subscriber.status === 'wait') await this.subscriber.connect();
    await this.subscriber.subscribe(CHANNEL);
  }

  override async publish(invalidation: Invalidation): Promise<void> {
    try {
      await this.publisher.publish(CHANNEL, JSON.stringify({ origin: this.origin, ...invalidation }));
    } catch (error) {
      // Redis away: other replicas keep their caches until those expire (bounded by the freshness
      // settings); the write itself has succeeded and is in the shared store.
      this.onError(error);
    }
  }

  override async close(): Promise<void> {
    this.subscriber.disconnect();
  }
}
