import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Redis } from 'ioredis';
import type { CallWindow } from '../../src/scale/call-window.js';
import { RedisCallWindow } from '../../src/scale/redis-call-window.js';
import { ShareWindow } from '../../src/scale/share-window.js';
import { connectRedis, openRedis, RedisUrlError } from '../../src/scale/redis-client.js';
import { startRedis, type TestRedis } from '../support/redis.js';

/** The most grants inside any span of `windowMs` (grant times sorted). */
function busiest(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while ((sorted[i] as number) - (sorted[j] as number) >= windowMs) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

/** Each window takes as fast as it is allowed until `until`; returns every grant time. Bounded by time. */
async function hammer(windows: CallWindow[], until: number, priority: 'interactive' | 'background' = 'interactive'): Promise<number[]> {
  const grants: number[] = [];
  await Promise.all(
    windows.map(async (w) => {
      while (Date.now() < until) {
        const grant = await w.take(priority);
        if (grant.granted) {
          grants.push(Date.now());
          grant.release?.();
        }
        else await new Promise((r) => setTimeout(r, Math.min(grant.retryInMs, Math.max(1, until - Date.now()))));
      }
    }),
  );
  return grants;
}

describe('a replica\'s share while Redis is away', () => {
  it('three replicas taking turns on the clock never exceed 2 calls in any 1-second span, and each keeps calling', () => {
    let now = 0;
    const shares = [0, 1, 2].map((i) => new ShareWindow(2, 1_000, 3, i, () => now));
    const grants: number[] = [];
    const perReplica = [0, 0, 0];
    // Every replica asks every millisecond for 30 simulated seconds.
    for (now = 0; now < 30_000; now++) {
      shares.forEach((share, i) => {
        if (share.takeNow().granted) {
          grants.push(now);
          perReplica[i]!++;
        }
      });
    }
    expect(busiest(grants, 1_000)).toBe(2);
    // (2 − ½) calls per second in all: 45 in 30 s, 15 each.
    expect(grants.length).toBe(45);
    expect(perReplica).toEqual([15, 15, 15]);
  });

  it('grants nothing for one window after Redis went away, so calls the shared window granted just before have left it', () => {
    let now = 10_000;
    const share = new ShareWindow(2, 1_000, 1, 0, () => now);
    share.quietUntil(now + 1_000);
    expect(share.takeNow()).toEqual({ granted: false, retryInMs: 1_000 });
    now += 999;
    expect(share.takeNow().granted).toBe(false);
    now += 1;
    // Replica 0 of 1 owns every slot: its first turn is the first open slot after the quiet window.
    let waited = 0;
    while (!share.takeNow().granted && waited < 1_000) {
      now++;
      waited++;
    }
    expect(waited).toBeLessThan(1_000);
  });

  it('says how long until its next turn', () => {
    let now = 0;
    const share = new ShareWindow(2, 1_000, 3, 1, () => now);
    // Slots are 666.7 ms; replica 1 owns slot 1 (666.7–1333.3 ms).
    expect(share.takeNow()).toEqual({ granted: false, retryInMs: 667 });
    now = 667;
    expect(share.takeNow()).toEqual({ granted: true });
    expect(share.takeNow()).toEqual({ granted: false, retryInMs: 2_667 - 667 });
  });
});

describe('shared call window in Redis (real redis-server)', () => {
  let redis: TestRedis;
  const clients: Redis[] = [];
  const client = () => {
    const c = connectRedis(redis.url, 'test');
    clients.push(c);
    return c;
  };
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    for (const c of clients) c.disconnect();
    await redis?.close();
  });

  it('three replicas hammering one vendor stay within the budget in every window span, and use all of it', async () => {
    const replicas = [0, 1, 2].map((i) => new RedisCallWindow({ redis: client(), vendor: 'distru-a', limit: 2, windowMs: 200, expectedReplicas: 3, replicaIndex: i }));
    await Promise.all(replicas.map((r) => (r as unknown as { options: { redis: Redis } }).options.redis.connect().catch(() => undefined)));
    const serverTimes: number[] = [];
    await Promise.all(
      replicas.map(async (w) => {
        const until = Date.now() + 1_000;
        while (Date.now() < until) {
          const grant = await w.take('interactive');
          if (grant.granted) {
            serverTimes.push(w.lastGrantAt as number);
            grant.release?.();
          }
          else await new Promise((r) => setTimeout(r, grant.retryInMs));
        }
      }),
    );
    const grants = serverTimes;
    // Measured on the Redis clock, which decides; the HTTP layer adds a safety margin for send jitter.
    expect(busiest(grants, 200)).toBeLessThanOrEqual(2);
    // 1 s at 2 per 200 ms is 10 calls; allow for the loop's wake-up lag.
    expect(grants.length).toBeGreaterThanOrEqual(7);
    expect(grants.length).toBeLessThanOrEqual(10);
    for (const r of replicas) expect(r.mode()).toBe('shared');
  });

  it('makes background work (the sync) wait while an interactive caller waits for a slot', async () => {
    const c = client();
    await c.connect();
    const w = new RedisCallWindow({ redis: c, vendor: 'distru-b', limit: 1, windowMs: 300, expectedReplicas: 1, replicaIndex: 0 });
    const first = await w.take('interactive');
    expect(first.granted).toBe(true);
    if (first.granted) first.release?.();
    const refused = await w.take('interactive');
    expect(refused.granted).toBe(false);
    // The slot frees after ~300 ms; the interactive caller left a hold, so background is refused even then,
    // until the interactive caller has had its slot.
    await new Promise((r) => setTimeout(r, 320));
    expect((await w.take('background')).granted).toBe(false);
    const second = await w.take('interactive');
    expect(second.granted).toBe(true);
    if (second.granted) second.release?.();
    await new Promise((r) => setTimeout(r, 320));
    expect((await w.take('background')).granted).toBe(true);
  });

  it('keeps serving on a local share when Redis goes away, says so, and rejoins the shared budget when it is back', async () => {
    const changes: string[] = [];
    const replicas = [0, 1, 2].map(
      (i) => new RedisCallWindow({ redis: client(), vendor: 'distru-c', limit: 2, windowMs: 200, expectedReplicas: 3, replicaIndex: i, onModeChange: (mode) => changes.push(`${i}:${mode}`) }),
    );
    await Promise.all(replicas.map((r) => (r as unknown as { options: { redis: Redis } }).options.redis.connect()));
    const before = await replicas[0]!.take('interactive');
    expect(before.granted).toBe(true);
    if (before.granted) before.release?.();
    await redis.stop();
    // One quiet window (200 ms) first, then turns: 1.3 s leaves room for several on a loaded machine.
    const during = await hammer(replicas, Date.now() + 1_500);
    for (const r of replicas) expect(r.mode()).toBe('fallback');
    expect(changes.sort()).toEqual(['0:fallback', '1:fallback', '2:fallback']);
    // Each replica keeps to 2/3 of the budget: together never more than 2 in any 200 ms span, never zero.
    expect(busiest(during, 200)).toBeLessThanOrEqual(2);
    expect(during.length).toBeGreaterThanOrEqual(3);
    await redis.start();
    const deadline = Date.now() + 5_000;
    while (replicas.some((r) => r.mode() !== 'shared') && Date.now() < deadline) {
      await hammer(replicas, Date.now() + 100);
    }
    for (const r of replicas) expect(r.mode()).toBe('shared');
  });
});

describe('REDIS_URL checks at start', () => {
  it('a malformed REDIS_URL stops the start naming the setting', async () => {
    await expect(openRedis('http://x', 't')).rejects.toThrow(new RedisUrlError('REDIS_URL: not a valid redis:// URL'));
    await expect(openRedis('not a url', 't')).rejects.toThrow('REDIS_URL: not a valid redis:// URL');
  });

  it('an unreachable REDIS_URL names the setting and never echoes a password', async () => {
    const error = await openRedis('redis://:hunter2@127.0.0.1:1', 't').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RedisUrlError);
    expect((error as Error).message).toBe('REDIS_URL: cannot connect to Redis at 127.0.0.1:1');
  });
});

/**
 * Keeps Redis busy for `ms` (a script runs alone): every other command waits, the connections stay
 * up. `running` resolves once the script has been sent, `done` when it has finished.
 */
function blockRedis(url: string, ms: number): { running: Promise<void>; done: Promise<unknown> } {
  const blocker = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0 });
  blocker.on('error', () => undefined);
  const script = `local s = redis.call('TIME') local start = s[1] * 1000000 + s[2]
    repeat local t = redis.call('TIME') until (t[1] * 1000000 + t[2]) - start > tonumber(ARGV[1]) * 1000 return 1`;
  const connected = blocker.connect();
  const done = connected.then(() => blocker.eval(script, 0, String(ms))).finally(() => blocker.disconnect());
  return { running: connected.then(() => new Promise((r) => setTimeout(r, 50))), done };
}

describe('a slow Redis is waited for, not left', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.close();
  });

  it('refuses for now, without falling back, and takes back the slot the late script recorded', async () => {
    const c = connectRedis(redis.url, 't');
    await c.connect();
    const changes: string[] = [];
    const w = new RedisCallWindow({ redis: c, vendor: 'distru-slow', limit: 2, windowMs: 1_000, expectedReplicas: 3, replicaIndex: 0, onModeChange: (mode) => changes.push(mode) });
    const blocked = blockRedis(redis.url, 1_500);
    await blocked.running;
    // The command times out after 500 ms while the connection is up: no local share (other
    // replicas may be using the whole shared budget), ask again shortly.
    expect(await w.take('interactive')).toEqual({ granted: false, retryInMs: 50 });
    expect(w.mode()).toBe('shared');
    expect(changes).toEqual([]);
    await blocked.done;
    // The late script did record a slot; the take-back ran after it on the same connection.
    expect(await c.zcard('opsgraph:budget:distru-slow')).toBe(0);
    const grant = await w.take('interactive');
    expect(grant.granted).toBe(true);
    c.disconnect();
  });

  it('falls back to its share once Redis has been silent for 3 s', async () => {
    const c = connectRedis(redis.url, 't');
    await c.connect();
    let now = Date.now();
    const w = new RedisCallWindow({ redis: c, vendor: 'distru-silent', limit: 2, windowMs: 1_000, expectedReplicas: 3, replicaIndex: 0, now: () => now });
    const blocked = blockRedis(redis.url, 2_500);
    await blocked.running;
    expect((await w.take('interactive')).granted).toBe(false);
    expect(w.mode()).toBe('shared');
    now += 3_000;
    // Still silent, now for 3 s by the replica's clock: its share, after one quiet window.
    expect(await w.take('interactive')).toEqual({ granted: false, retryInMs: 1_000 });
    expect(w.mode()).toBe('fallback');
    await blocked.done;
    c.disconnect();
  });
});

describe('a call in flight keeps its place in the shared window until it is answered', () => {
  let redis: TestRedis;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.close();
  });

  it('counts an unanswered call, and counts an answered one for a whole window after its answer', async () => {
    const c = connectRedis(redis.url, 't');
    await c.connect();
    const w = new RedisCallWindow({ redis: c, vendor: 'distru-d', limit: 1, windowMs: 150, expectedReplicas: 1, replicaIndex: 0 });
    const slow = await w.take('interactive');
    expect(slow.granted).toBe(true);
    // Longer than the window, but the vendor has not answered: still counted.
    await new Promise((r) => setTimeout(r, 200));
    expect((await w.take('interactive')).granted).toBe(false);
    if (slow.granted) slow.release?.();
    await new Promise((r) => setTimeout(r, 50));
    expect((await w.take('interactive')).granted).toBe(false);
    await new Promise((r) => setTimeout(r, 150));
    expect((await w.take('interactive')).granted).toBe(true);
    c.disconnect();
  });
});
