import { describe, expect, it } from 'vitest';
import { ttlCache } from '../../src/cache/ttl-cache.js';

describe('ttlCache', () => {
  it('holds at most its bound of entries, dropping the least recently used', () => {
    const cache = ttlCache<string>(60_000, 3);
    if (!cache) throw new Error('expected a cache');
    for (const key of ['a', 'b', 'c']) cache.set(key, key.toUpperCase());
    expect(cache.get('a')).toBe('A');
    cache.set('d', 'D');
    expect([...cache.keys()].sort()).toEqual(['a', 'c', 'd']);
    expect(cache.size).toBe(3);
  });

  it('forgets an entry once its time is up', async () => {
    const cache = ttlCache<string>(30, 10);
    cache?.set('a', 'A');
    expect(cache?.get('a')).toBe('A');
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(cache?.get('a')).toBeUndefined();
  });

  it('is no cache at all when entries may not be kept', () => {
    expect(ttlCache<string>(0, 10)).toBeNull();
  });
});
