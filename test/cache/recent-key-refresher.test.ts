import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RecentKeyRefresher } from '../../src/cache/recent-key-refresher.js';

/**
 * A TTL cache on the fake clock, as the Distru stock cache is (LIVE_STOCK_MAX_AGE_MS 4 s here): the
 * refresher re-reads what was asked within the window once it is 2 s old, checking every second.
 */
function setup(options: { windowMs?: number; maxKeys?: number; batchSize?: number; failing?: () => boolean; callsPerRefresh?: number; yieldTo?: () => boolean } = {}) {
  const MAX_AGE_MS = 4_000;
  const readAt = new Map<string, number>();
  const refreshes: string[][] = [];
  const refresher = new RecentKeyRefresher({
    windowMs: options.windowMs ?? 60_000,
    maxKeys: options.maxKeys ?? 100,
    batchSize: options.batchSize ?? 100,
    refreshAfterMs: MAX_AGE_MS / 2,
    tickMs: MAX_AGE_MS / 4,
    spacingMs: 1_000,
    ...(options.yieldTo ? { yieldTo: options.yieldTo } : {}),
    ageOf: (key) => {
      const at = readAt.get(key);
      return at === undefined || Date.now() - at >= MAX_AGE_MS ? undefined : Date.now() - at;
    },
    refresh: async (keys) => {
      refreshes.push([...keys]);
      if (options.failing?.()) throw new Error('vendor down');
      for (const key of keys) readAt.set(key, Date.now());
      return options.callsPerRefresh ?? 1;
    },
  });
  /** What a request does: reads what is not cached (an interactive call), and says what it asked for. */
  const ask = (keys: string[]): string[] => {
    refresher.noteAsked(keys);
    const missing = keys.filter((k) => {
      const at = readAt.get(k);
      return at === undefined || Date.now() - at >= MAX_AGE_MS;
    });
    for (const key of missing) readAt.set(key, Date.now());
    return missing;
  };
  return { refresher, refreshes, ask, MAX_AGE_MS };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('RecentKeyRefresher', () => {
  it('keeps recently asked keys fresh, so the same screen a minute later reads nothing itself', async () => {
    const { refresher, refreshes, ask } = setup();
    expect(ask(['p1', 'p2'])).toEqual(['p1', 'p2']);
    // Every 2 s the two are read again, in one call, before their 4 s run out.
    for (let second = 1; second <= 50; second++) {
      await vi.advanceTimersByTimeAsync(1_000);
      if (second % 10 === 0) expect(ask(['p1', 'p2'])).toEqual([]);
    }
    expect(refreshes.length).toBeGreaterThanOrEqual(50 / 3);
    expect(refreshes.length).toBeLessThanOrEqual(50 / 2);
    expect(refreshes.every((keys) => [...keys].sort().join() === 'p1,p2')).toBe(true);
    refresher.close();
  });

  it('stops refreshing a key once the window since it was last asked has passed, and then sets no timer', async () => {
    const { refresher, refreshes, ask } = setup({ windowMs: 10_000 });
    ask(['p1']);
    await vi.advanceTimersByTimeAsync(10_000);
    const made = refreshes.length;
    expect(made).toBeGreaterThan(0);
    await vi.advanceTimersByTimeAsync(30_000);
    expect(refreshes.length).toBeLessThanOrEqual(made + 1);
    expect(refresher.size).toBe(0);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('keeps only the most recently asked keys beyond maxKeys, and reads them batchSize at a time, the latest first, a second apart', async () => {
    const { refresher, refreshes, ask } = setup({ maxKeys: 5, batchSize: 2 });
    ask(['a', 'b', 'c']);
    ask(['d', 'e', 'f', 'g']);
    expect(refresher.size).toBe(5);
    await vi.advanceTimersByTimeAsync(2_000);
    expect(refreshes).toEqual([['g', 'f']]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(refreshes).toEqual([['g', 'f'], ['e', 'd']]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(refreshes).toEqual([['g', 'f'], ['e', 'd'], ['c']]);
    refresher.close();
  });

  it('re-reads the entries that expire first before those read later, whatever the order they were asked in', async () => {
    const { refresher, refreshes, ask } = setup({ batchSize: 2 });
    // Read over time (as 20 screens' stock is, page after page of the budget): 'old' first, 'late' last.
    refresher.noteAsked(['late', 'old', 'middle']);
    await vi.advanceTimersByTimeAsync(100);
    ask(['old']);
    await vi.advanceTimersByTimeAsync(300);
    ask(['middle']);
    await vi.advanceTimersByTimeAsync(300);
    ask(['late']);
    await vi.advanceTimersByTimeAsync(2_300);
    // At 3 s all three are due (2 s old or more): the oldest two in the first refresh.
    expect(refreshes[0]).toEqual(['old', 'middle']);
    refresher.close();
  });

  it('refreshes nothing while requests wait on the same reads, and catches up once they are served', async () => {
    let screensWaiting = true;
    const { refresher, refreshes, ask } = setup({ yieldTo: () => screensWaiting });
    ask(['p1', 'p2']);
    await vi.advanceTimersByTimeAsync(3_000);
    expect(refreshes).toEqual([]);
    screensWaiting = false;
    await vi.advanceTimersByTimeAsync(1_000);
    expect(refreshes).toEqual([['p2', 'p1']]);
    refresher.close();
  });

  it('averages at most one call a second however many calls a refresh takes (a batch of many pages)', async () => {
    const { refresher, refreshes, ask } = setup({ callsPerRefresh: 6 });
    ask(['p1']);
    await vi.advanceTimersByTimeAsync(60_000);
    // Due every 2 s, but each refresh took 6 calls: the next waits 6 s.
    expect(refreshes.length).toBeGreaterThanOrEqual(8);
    expect(refreshes.length * 6).toBeLessThanOrEqual(60 + 6);
    refresher.close();
  });

  it('ends a round at a failed refresh and tries again at the next one', async () => {
    let down = true;
    const { refresher, refreshes, ask } = setup({ batchSize: 1, failing: () => down });
    ask(['a', 'b']);
    await vi.advanceTimersByTimeAsync(2_000);
    // Each round stops at its first failure: 'a' is not tried after 'b' (asked later, so first) failed.
    expect(refreshes.length).toBeGreaterThan(0);
    expect(refreshes.every((keys) => keys.join() === 'b')).toBe(true);
    down = false;
    await vi.advanceTimersByTimeAsync(2_000);
    expect(refreshes.slice(-2)).toEqual([['b'], ['a']]);
    refresher.close();
  });

  it('refuses a setting that is not a positive number, naming it', () => {
    expect(() => new RecentKeyRefresher({ windowMs: 0, maxKeys: 1, batchSize: 1, refreshAfterMs: 1, tickMs: 1, spacingMs: 1, ageOf: () => undefined, refresh: async () => 1 })).toThrow('recentKeyRefresher.windowMs must be a positive number, got 0');
  });
});
