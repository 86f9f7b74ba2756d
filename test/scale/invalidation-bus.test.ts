import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectRedis } from '../../src/scale/redis-client.js';
import { RedisInvalidationBus, type Invalidation } from '../../src/scale/invalidation-bus.js';
import { startRedis, type TestRedis } from '../support/redis.js';

describe('invalidations between replicas over Redis (real redis-server)', () => {
  let redis: TestRedis;
  const buses: RedisInvalidationBus[] = [];
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    for (const b of buses) await b.close();
    await redis?.close();
  });

  async function replica(): Promise<{ bus: RedisInvalidationBus; seen: Invalidation[] }> {
    const publisher = connectRedis(redis.url, 'pub');
    await publisher.connect();
    const subscriber = connectRedis(redis.url, 'sub');
    const bus = new RedisInvalidationBus(publisher, subscriber);
    await bus.start();
    buses.push(bus);
    const seen: Invalidation[] = [];
    bus.subscribe((i) => seen.push(i));
    return { bus, seen };
  }

  it('tells every other replica about a write within a second, once each, and not the writer (its caches are current)', async () => {
    const [a, b, c] = [await replica(), await replica(), await replica()];
    await a.bus.publish({ vendor: 'HAPIHUB', topics: ['stock'] });
    const started = Date.now();
    while ((b.seen.length === 0 || c.seen.length === 0) && Date.now() - started < 1_000) await new Promise((r) => setTimeout(r, 5));
    expect(b.seen).toEqual([{ vendor: 'HAPIHUB', topics: ['stock'] }]);
    expect(c.seen).toEqual([{ vendor: 'HAPIHUB', topics: ['stock'] }]);
    expect(a.seen).toEqual([]);
  });

  it('ignores a malformed message instead of failing the replica', async () => {
    const d = await replica();
    const raw = connectRedis(redis.url, 'raw');
    await raw.connect();
    await raw.publish('opsgraph:invalidate', '{"not":"an invalidation"}');
    await raw.publish('opsgraph:invalidate', JSON.stringify({ origin: 'x', vendor: 'DISTRU', topics: [] }));
    const started = Date.now();
    while (d.seen.length === 0 && Date.now() - started < 1_000) await new Promise((r) => setTimeout(r, 5));
    expect(d.seen).toEqual([{ vendor: 'DISTRU', topics: [] }]);
    raw.disconnect();
  });
});
