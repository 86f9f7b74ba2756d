import type { SourceScope } from '../../cache/scope.js';
import { SingleFlight } from '../../cache/single-flight.js';
import { SHARED_RELOAD_DEADLINE_MS, sharedCall, waitingCaller } from '../../cache/waiting-caller.js';
import type { Freshness } from '../../cache/snapshot-index.js';
import { errorCode, vendorError } from '../../errors.js';
import type { CallScope } from '../../http/types.js';
import type { VendorSkuRecord } from '../../model/records.js';
import { toSkuRecord } from './mapping.js';
import { UNCOUNTED, type CacheMetrics } from '../../observability/metrics.js';
import type { DistruProduct } from './schemas.js';

export interface ProductIndexOptions {
  freshness: Freshness;
  maxEntries: number;
  /** Every product (`since` null), or those updated at or after `since` (Distru's `updated_datetime=<since>,`). */
  load(since: string | null, call: CallScope): Promise<DistruProduct[]>;
  /** A full read every this many refreshes, so that deleted products and vacated codes leave the index. */
  fullReadEvery: number;
  /** Where lookups are counted (the gateway's metrics); absent, they are not counted. */
  metrics?: CacheMetrics;
}

/**
 * Distru products by SKU code. Distru's product list filters only by dates, so the index reads it
 * whole once and then, when older than `maxAgeMs`, only the products updated since the newest
 * `updated_datetime` it holds (usually one call), with a full read every `fullReadEvery` refreshes.
 * Refreshes are single-flight (SingleFlight: a request that goes away does not cancel one); when one fails, a copy within `staleMaxMs` is served and noted.
 * A whole catalogue, so plain Maps bounded by `maxEntries` (as SnapshotIndex): an LRU would
 * preallocate its bound at every full read and could evict a code into a false "no such product".
 */
export class ProductIndex {
  private bySku = new Map<string, VendorSkuRecord>();
  /** The code each product id is indexed under, to drop a code a product no longer has. */
  private skuOfId = new Map<string, string>();
  private newest: string | null = null;
  private loadedAt: number | null = null;
  private refreshesSinceFull = 0;
  private readonly flight = new SingleFlight<void>({ deadlineMs: SHARED_RELOAD_DEADLINE_MS, whenAbandoned: 'continue' });
  private generation = 0;

  private readonly metrics: CacheMetrics;

  constructor(private readonly options: ProductIndexOptions) {
    this.metrics = options.metrics ?? UNCOUNTED;
  }

  /** Age of the current copy in ms, or null before the first load. */
  ageMs(now = Date.now()): number | null {
    return this.loadedAt === null ? null : now - this.loadedAt;
  }

  /** The product of each code, or null. Cost: 0 calls when fresh; else one refresh (see class comment). */
  async getMany(codes: readonly string[], scope: SourceScope): Promise<(VendorSkuRecord | null)[]> {
    await this.ensureFresh(scope);
    return codes.map((code) => this.bySku.get(code) ?? null);
  }

  /** Forget everything: the next lookup reads every product again. */
  invalidate(): void {
    this.generation++;
    this.loadedAt = null;
    this.newest = null;
  }

  private async ensureFresh(scope: SourceScope): Promise<void> {
    const age = this.ageMs();
    if (age !== null && age <= this.options.freshness.maxAgeMs) {
      this.metrics.cacheLookup('distru.productsBySku', 'hit');
      return;
    }
    this.metrics.cacheLookup('distru.productsBySku', 'miss');
    try {
      await this.flight.run('refresh', (work) => this.refresh(sharedCall(scope.call, work)), waitingCaller(scope.call, 'distru', 'index distru.productsBySku'));
    } catch (error) {
      const staleAge = this.ageMs();
      if (staleAge !== null && staleAge <= this.options.freshness.staleMaxMs) {
        this.metrics.cacheLookup('distru.productsBySku', 'stale');
        scope.noteStale({ vendor: 'distru', source: 'distru.productsBySku', ageMs: staleAge, reason: errorCode(error) ?? 'ERROR' });
        return;
      }
      throw error;
    }
  }

  private async refresh(call: CallScope): Promise<void> {
    const generation = this.generation;
    const full = this.newest === null || this.refreshesSinceFull >= this.options.fullReadEvery;
    const products = await this.options.load(full ? null : this.newest, call);
    // An invalidation during the load means the data read may predate a write: keep it out.
    if (generation !== this.generation) return;
    if (full) {
      this.bySku = new Map();
      this.skuOfId = new Map();
      this.newest = null;
      this.refreshesSinceFull = 0;
    } else {
      this.refreshesSinceFull++;
    }
    for (const product of products) this.put(product);
    this.loadedAt = Date.now();
  }

  private put(product: DistruProduct): void {
    const previous = this.skuOfId.get(product.id);
    if (previous !== undefined && previous !== product.sku) this.bySku.delete(previous);
    const updated = product.updated_datetime ?? null;
    // Distru's datetimes are UTC with a fixed number of digits, so text order is time order.
    if (updated !== null && (this.newest === null || updated > this.newest)) this.newest = updated;
    if (!product.sku) {
      this.skuOfId.delete(product.id);
      return;
    }
    this.bySku.set(product.sku, toSkuRecord({ ...product, sku: product.sku }));
    this.skuOfId.set(product.id, product.sku);
    if (this.skuOfId.size > this.options.maxEntries) {
      throw vendorError('distru', 'INDEX_LIMIT_EXCEEDED', `index distru.productsBySku holds more than MAX_INDEX_ENTRIES (${this.options.maxEntries}) products; raise MAX_INDEX_ENTRIES`);
    }
  }
}
