import type { SourceScope } from '../../cache/scope.js';
import { SingleFlight } from '../../cache/single-flight.js';
import { SHARED_RELOAD_DEADLINE_MS, sharedReloadCall, waitingCaller } from '../../cache/waiting-caller.js';
import { errorCode, vendorError } from '../../errors.js';
import type { VendorRuntimeOptions } from '../types.js';
import { HapihubClient } from './client.js';
import type { HapihubTransaction } from './schemas.js';
import { UNCOUNTED, type CacheMetrics } from '../../observability/metrics.js';
import { StockFold } from './stock-fold.js';

/**
 * The cross-request fold of HAPIHub's transactions (DESIGN.md: "HAPIHub stock — fold transactions
 * into levels, refresh incrementally"). The first read folds every transaction; later refreshes
 * read only `createdAt[$gte]=<latest seen>` and fold them in; every `referenceMaxAgeMs` the whole
 * fold is rebuilt, because patches of old transactions and back-dated creations are invisible to a
 * `createdAt` read. Refreshes are single-flight (SingleFlight: a request that goes away does not
 * cancel one). Costs: 0 calls while the copy is fresh enough for
 * the caller, 1 call (per page of news) for an incremental refresh, one call per page of all
 * transactions for a rebuild.
 */
export class HapihubStockIndex {
  private fold: StockFold | null = null;
  /** When the read that produced the current copy began (a copy is as old as its read). */
  private refreshedAt: number | null = null;
  private rebuiltAt: number | null = null;
  private readonly flight = new SingleFlight<void>({ deadlineMs: SHARED_RELOAD_DEADLINE_MS, whenAbandoned: 'continue' });
  private generation = 0;
  private writtenDuringRefresh: HapihubTransaction[] = [];

  private readonly metrics: CacheMetrics;

  constructor(private readonly options: VendorRuntimeOptions) {
    this.metrics = options.metrics ?? UNCOUNTED;
  }

  /**
   * The fold, read no earlier than `maxAgeMs` before this call. When HAPIHub fails, `allowStale`
   * callers (the catalog) get a copy within `staleMaxMs`, noted on the scope; live stock never is
   * served older than its bound (`allowStale` false). A refresh already under way counts if it
   * began late enough.
   */
  async current(maxAgeMs: number, scope: SourceScope, allowStale: boolean): Promise<StockFold> {
    const notBefore = Date.now() - maxAgeMs;
    // An invalidation while a refresh is reading sends us round again.
    for (let round = 0; round < 3; round++) {
      if (this.fold && this.refreshedAt !== null && this.refreshedAt >= notBefore) {
        this.metrics.cacheLookup('hapihub.stockFold', 'hit');
        return this.fold;
      }
      this.metrics.cacheLookup('hapihub.stockFold', 'miss');
      try {
        await this.flight.run('refresh', (work) => this.refresh({ ...scope, call: sharedReloadCall(scope.call, work) }), waitingCaller(scope.call, 'hapihub', 'hapihub.stockFold'));
      } catch (error) {
        const staleAge = this.refreshedAt === null ? null : Date.now() - this.refreshedAt;
        if (allowStale && this.fold && staleAge !== null && staleAge <= this.options.freshness.staleMaxMs) {
          this.metrics.cacheLookup('hapihub.stockFold', 'stale');
          scope.noteStale({ vendor: 'hapihub', source: 'hapihub.stockFold', ageMs: staleAge, reason: errorCode(error) ?? 'ERROR' });
          return this.fold;
        }
        throw error;
      }
    }
    if (this.fold) return this.fold;
    throw vendorError('hapihub', 'VENDOR_UNAVAILABLE', 'the stock fold kept being invalidated while it was read; try again');
  }

  /** Forget the fold: the next read rebuilds it from every transaction. */
  invalidate(): void {
    this.generation++;
    this.fold = null;
    this.refreshedAt = null;
    this.rebuiltAt = null;
  }

  /**
   * Folds a transaction opsgraph has just written (created or patched), as HAPIHub answered it, so
   * that stock read after the write shows it without another read. A refresh under way may have
   * read before the write: it takes the transaction too when it lands.
   */
  applyWritten(transaction: HapihubTransaction): void {
    this.fold?.apply(transaction, false);
    if (this.flight.has('refresh')) this.writtenDuringRefresh.push(transaction);
  }

  private async refresh(scope: SourceScope): Promise<void> {
    const generation = this.generation;
    const startedAt = Date.now();
    const { maxIndexEntries, referenceMaxAgeMs } = this.options.freshness;
    const rebuild = this.fold === null || this.fold.lastCreatedAt === null || this.rebuiltAt === null || startedAt - this.rebuiltAt > referenceMaxAgeMs;
    const fold = rebuild ? new StockFold() : (this.fold as StockFold);
    const since = rebuild ? null : fold.lastCreatedAt;
    let overflow = false;
    try {
      await new HapihubClient(this.options.http, scope).findAll(since === null ? [] : [['createdAt[$gte]', String(since)]], (records) => {
        for (const record of records) fold.apply(record);
        overflow = fold.size > maxIndexEntries;
        return !overflow;
      });
    } catch (error) {
      this.writtenDuringRefresh.length = 0;
      throw error;
    }
    const written = this.writtenDuringRefresh.splice(0);
    if (overflow) {
      if (generation === this.generation) this.invalidate();
      throw vendorError('hapihub', 'VENDOR_UNAVAILABLE', `the stock fold needs more than MAX_INDEX_ENTRIES (${maxIndexEntries}) entries; raise MAX_INDEX_ENTRIES`);
    }
    // An invalidation during the read means what was read may predate a write: keep it out.
    if (generation !== this.generation) return;
    for (const transaction of written) fold.apply(transaction, false);
    this.fold = fold;
    this.refreshedAt = startedAt;
    if (rebuild) this.rebuiltAt = startedAt;
  }
}
