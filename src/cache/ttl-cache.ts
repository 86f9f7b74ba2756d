import { LRUCache } from 'lru-cache';

/**
 * A per-key cache whose entries expire after `ttlMs` (live stock of one product, NCRs of one lot),
 * holding at most `maxEntries`; none at all when `ttlMs` is 0 (lru-cache reads a ttl of 0 as
 * "forever"). Bounded by `maxSize` counting each entry as 1, not by `max`: with `max` lru-cache
 * preallocates every slot up front, about 21 MB per cache at MAX_INDEX_ENTRIES' 500,000, and three
 * such caches were 63 of the gateway's 125 MB of live heap at the budget bench's scale 100.
 */
export function ttlCache<V extends NonNullable<unknown>>(ttlMs: number, maxEntries: number): LRUCache<string, V> | null {
  return ttlMs > 0 ? new LRUCache<string, V>({ maxSize: maxEntries, sizeCalculation: () => 1, ttl: ttlMs }) : null;
}
