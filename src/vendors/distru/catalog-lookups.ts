import type { SourceScope } from '../../cache/scope.js';
import { SnapshotIndex, type Freshness } from '../../cache/snapshot-index.js';
import type { CallScope } from '../../http/types.js';
import type { VendorSkuRecord } from '../../model/records.js';
import type { CacheMetrics } from '../../observability/metrics.js';
import type { StoreLookups } from '../../sync/store-lookups.js';
import type { DistruClient } from './client.js';
import { toSkuRecord } from './mapping.js';

/** Distru products by SKU code and location names by id, for stock, order lines and writes. */
export interface DistruCatalogLookups {
  /** The product of each SKU code as Distru spells it, or null. */
  productsByCode(codes: readonly string[], scope: SourceScope): Promise<(VendorSkuRecord | null)[]>;
  /** The name of each location id, or null. */
  locationNames(ids: readonly string[], scope: SourceScope): Promise<(string | null)[]>;
  /** SYNC=off: forget the indexes' copies (tests; a write we cannot target). */
  invalidate(): void;
}

export interface DistruCatalogOptions {
  clientFor(call: CallScope): DistruClient;
  reference: Freshness;
  maxEntries: number;
  lookups?: StoreLookups;
  /** Where the SYNC=off indexes count their lookups (the gateway's metrics). */
  metrics?: CacheMetrics;
}

/**
 * Distru's products have no SKU filter (only date ranges, seed 002) and locations no id filter, so
 * both are read whole, once, by the sync (src/sync/relations/distru.ts: `skus`, incrementally by
 * `updated_datetime`, and `locations`) and looked up in the synced store with 0 calls. With SYNC=off
 * the same lookups come from two SnapshotIndexes (a whole read per REFERENCE_MAX_AGE_MS, single-flight).
 */
export function distruCatalogLookups(options: DistruCatalogOptions): DistruCatalogLookups {
  const { reference, maxEntries, lookups, metrics } = options;
  if (lookups) {
    return {
      async productsByCode(codes, scope) {
        const found = await lookups.byNumber<VendorSkuRecord>('DISTRU', 'skus', codes, scope);
        // Two products with one SKU code: the last by id, as a whole read would have kept.
        return codes.map((code) => found.get(code)?.at(-1) ?? null);
      },
      async locationNames(ids, scope) {
        // Names only: a location not synced yet (or new since the last pass) is shown without one.
        const found = await lookups.storedByKey<{ name?: string | null }>('DISTRU', 'locations', ids, scope);
        return ids.map((id) => found.get(id)?.name ?? null);
      },
      invalidate: () => undefined,
    };
  }

  const products = new SnapshotIndex<VendorSkuRecord>({
    name: 'distru.productsBySku',
    vendor: 'distru',
    ...(metrics ? { metrics } : {}),
    freshness: reference,
    maxEntries,
    load: async (call) => (await options.clientFor(call).allProducts()).flatMap((p) => (p.sku ? [[p.sku, toSkuRecord({ ...p, sku: p.sku })] as const] : [])),
  });
  const locations = new SnapshotIndex<string>({
    name: 'distru.locations',
    vendor: 'distru',
    ...(metrics ? { metrics } : {}),
    freshness: reference,
    maxEntries,
    load: async (call) => (await options.clientFor(call).allLocations()).flatMap((l) => (l.name ? [[l.id, l.name] as const] : [])),
  });
  return {
    productsByCode: async (codes, scope) => (await products.getMany(codes, scope)).map((p) => p ?? null),
    locationNames: async (ids, scope) => (ids.length === 0 ? [] : (await locations.getMany(ids, scope)).map((n) => n ?? null)),
    invalidate() {
      products.invalidate();
      locations.invalidate();
    },
  };
}
