import type { Logger } from 'pino';
import type { Redis } from 'ioredis';
import { SlidingWindowScheduler, type RateLimiter } from '../http/rate-limiter.js';
import type { VendorHttpOptions } from '../http/options.js';
import { LocalInvalidationBus, RedisInvalidationBus, type InvalidationBus } from './invalidation-bus.js';
import { RedisCallWindow } from './redis-call-window.js';
import { connectRedis, openRedis } from './redis-client.js';
import { SharedBudgetLimiter } from './shared-budget-limiter.js';

/**
 * What a replica shares with the others. Alone (no REDIS_URL): nothing — each vendor's HTTP layer
 * keeps its own budget and invalidations stay in the process. With REDIS_URL: budgets are one sliding
 * window per vendor in Redis, and invalidations after a write reach every replica.
 */
export interface Cluster {
  /** 'single': this process alone; 'replicas': budgets and invalidations shared through Redis. */
  mode: 'single' | 'replicas';
  replicas: number;
  /** This replica's turn among `replicas` while Redis is away (assigned from Redis at start). */
  replicaIndex: number;
  /** The rate limiter for a vendor's HTTP layer, or undefined to let it build its own (single mode). */
  limiterFor(vendor: string, rateLimit: VendorHttpOptions['rateLimit']): RateLimiter | undefined;
  bus: InvalidationBus;
  /** Per rate-limited vendor: 'shared' (in Redis) or 'fallback' (Redis away: this replica's share). */
  budgetModes(): Record<string, 'shared' | 'fallback'>;
  close(): Promise<void>;
}

export interface ClusterSettings {
  redisUrl: string | null;
  replicas: number;
}

export async function openCluster(settings: ClusterSettings, log?: Logger): Promise<Cluster> {
  if (!settings.redisUrl) {
    return { mode: 'single', replicas: 1, replicaIndex: 0, limiterFor: () => undefined, bus: new LocalInvalidationBus(), budgetModes: () => ({}), close: async () => undefined };
  }
  const redis: Redis = await openRedis(settings.redisUrl, 'opsgraph');
  const subscriber = connectRedis(settings.redisUrl, 'opsgraph-invalidations');
  const bus = new RedisInvalidationBus(redis, subscriber, (error) => log?.warn({ err: error instanceof Error ? error.message : String(error) }, 'invalidation not shared with the other replicas'));
  await bus.start();
  // Turns while Redis is away go round the replicas in the order they started.
  const replicaIndex = (Number(await redis.incr('opsgraph:replica-seq')) - 1) % settings.replicas;
  const windows = new Map<string, RedisCallWindow>();
  return {
    mode: 'replicas',
    replicas: settings.replicas,
    replicaIndex,
    limiterFor(vendor, rateLimit) {
      if (!rateLimit) return undefined;
      const window = new RedisCallWindow({
        redis,
        vendor,
        limit: rateLimit.maxCalls,
        windowMs: rateLimit.windowMs + (rateLimit.guardMs ?? 0),
        expectedReplicas: settings.replicas,
        replicaIndex,
        onModeChange: (mode, reason) =>
          mode === 'fallback'
            ? log?.warn({ vendor, replicas: settings.replicas, reason }, 'Redis unreachable: this replica keeps to its share of the vendor budget')
            : log?.info({ vendor }, 'Redis reachable again: the vendor budget is shared by every replica'),
      });
      windows.set(vendor, window);
      return new SharedBudgetLimiter(new SlidingWindowScheduler(rateLimit), window);
    },
    bus,
    budgetModes: () => Object.fromEntries([...windows].map(([vendor, window]) => [vendor, window.mode()])),
    async close() {
      await bus.close();
      redis.disconnect();
    },
  };
}
