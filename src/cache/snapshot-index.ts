import type { CallScope } from '../http/types.js';
import type { VendorName } from '../errors.js';
import { errorCode, vendorError } from '../errors.js';
import type { SourceScope } from './scope.js';
import { UNCOUNTED, type CacheMetrics } from '../observability/metrics.js';
import { SingleFlight } from './single-flight.js';
import { SHARED_RELOAD_DEADLINE_MS, sharedReloadCall, waitingCaller } from './waiting-caller.js';

/** How fresh an index must be, and how stale it may be served when its vendor is failing. */
export interface Freshness {
  /** Older than this, the next lookup refreshes it first. */
  maxAgeMs: number;
  /** When a refresh fails, a copy up to this old is served (and reported as stale); 0 = never. */
  staleMaxMs: number;
}

export interface SnapshotIndexOptions<V> {
  /** e.g. "isolocity.partsByIdentification": names the index in stale notes and metrics. */
  name: string;
  vendor: VendorName;
  freshness: Freshness;
  /** Bound on entries held; a vendor relation larger than this is refused, never silently cut. */
  maxEntries: number;
  /** Reads the whole relation from the vendor (all pages) as key/value pairs. */
  load(scope: CallScope): Promise<Iterable<readonly [string, V]>>;
  /** Budget of one reload, which runs on its own (see SingleFlight). Default SHARED_RELOAD_DEADLINE_MS. */
  reloadDeadlineMs?: number;
  /** Where lookups are counted (the gateway's metrics); absent, they are not counted. */
  metrics?: CacheMetrics;
}

/**
 * A cross-request index over a relation the vendor cannot filter (ISOlocity parts by
 * identification, inspections by part, Distru products by SKU…): one full read, then lookups by key
 * from memory until it is older than `maxAgeMs`. With SYNC=on the runtimes read such relations from
 * the synced store instead (src/sync/store-lookups.ts); this serves SYNC=off, and live-stock
 * snapshots (ISOlocity inventory, Pharus FG summary) either way. Refreshes are single-flight: concurrent requests
 * that find it stale wait for one reload instead of each reading the vendor, and a request that
 * goes away stops waiting without cancelling the reload the others wait for.
 *
 * The copy is a whole snapshot, so it is held in a plain Map bounded by `maxEntries` rather than
 * an LRU: evicting part of a snapshot would turn "evicted" into a wrong "the vendor has none", and
 * lru-cache preallocates `max` slots (tens of ms per reload at 500k). Partial, per-key caches
 * (stock of one product, NCRs of one lot) are LRUs with a TTL in the vendor runtimes.
 */
export class SnapshotIndex<V extends {}> {
  private entries = new Map<string, V>();
  private loadedAt: number | null = null;
  private readonly flight: SingleFlight<void>;
  private readonly metrics: CacheMetrics;
  private generation = 0;

  constructor(private readonly options: SnapshotIndexOptions<V>) {
    this.metrics = options.metrics ?? UNCOUNTED;
    this.flight = new SingleFlight({ deadlineMs: options.reloadDeadlineMs ?? SHARED_RELOAD_DEADLINE_MS, whenAbandoned: 'continue' });
  }

  get name(): string {
    return this.options.name;
  }

  /** Age of the current copy in ms, or null before the first load. */
  ageMs(now = Date.now()): number | null {
    return this.loadedAt === null ? null : now - this.loadedAt;
  }

  async get(key: string, scope: SourceScope): Promise<V | undefined> {
    await this.ensureFresh(scope);
    return this.entries.get(key);
  }

  async getMany(keys: readonly string[], scope: SourceScope): Promise<(V | undefined)[]> {
    await this.ensureFresh(scope);
    return keys.map((k) => this.entries.get(k));
  }

  /** Forget the copy: the next lookup reads the vendor (after a write that changed the relation). */
  invalidate(): void {
    this.generation++;
    this.loadedAt = null;
  }

  /** Put one entry in place after a write, without a full reload. */
  set(key: string, value: V): void {
    if (this.entries.size < this.options.maxEntries || this.entries.has(key)) this.entries.set(key, value);
    else this.invalidate();
  }

  private async ensureFresh(scope: SourceScope): Promise<void> {
    const age = this.ageMs();
    if (age !== null && age <= this.options.freshness.maxAgeMs) {
      this.metrics.cacheLookup(this.options.name, 'hit');
      return;
    }
    this.metrics.cacheLookup(this.options.name, 'miss');
    try {
      await this.flight.run('reload', (work) => this.reload(sharedReloadCall(scope.call, work)), waitingCaller(scope.call, this.options.vendor, `index ${this.options.name}`));
    } catch (error) {
      // Serve the older copy only within the stated bound, and say so in the response.
      const staleAge = this.ageMs();
      if (staleAge !== null && staleAge <= this.options.freshness.staleMaxMs) {
        this.metrics.cacheLookup(this.options.name, 'stale');
        scope.noteStale({ vendor: this.options.vendor, source: this.options.name, ageMs: staleAge, reason: errorCode(error) ?? 'ERROR' });
        return;
      }
      throw error;
    }
  }

  private async reload(call: CallScope): Promise<void> {
    const generation = this.generation;
    const pairs = await this.options.load(call);
    const next = new Map<string, V>();
    for (const [k, v] of pairs) {
      next.set(k, v);
      if (next.size > this.options.maxEntries) {
        throw vendorError(this.options.vendor, 'INDEX_LIMIT_EXCEEDED', `index ${this.options.name} holds more than MAX_INDEX_ENTRIES (${this.options.maxEntries}) entries; raise MAX_INDEX_ENTRIES`);
      }
    }
    // An invalidation during the load means the data read may predate a write: keep it out.
    if (generation === this.generation) {
      this.entries = next;
      this.loadedAt = Date.now();
    }
  }
}
