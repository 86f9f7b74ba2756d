import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { VendorName } from '../errors.js';
import type { BreakerState } from '../http/circuit-breaker.js';
import type { AttemptReport } from '../http/observer.js';

/**
 * Every opsgraph metric, per gateway: each started gateway owns a GatewayMetrics (its own
 * prom-client Registry, also given to the Yoga Prometheus plugin), so that two gateways in one
 * process (replicas in a test, a benchmark's baseline beside the gateway) never add to each other's
 * counters and `/metrics` shows only its own gateway's series. The process metrics
 * (`opsgraph_process_*`, `opsgraph_nodejs_*`) describe the process, so they are collected once per
 * process (collectDefaultMetrics starts an event-loop monitor and a GC observer each time it is
 * called) and served beside each gateway's own.
 *
 * Labels are bounded: vendor (4), route PATTERN (the endpoint tables), status (HTTP status or
 * timeout/network/aborted), cache name, mutation name, error code. Never an id or a value.
 */

export type CacheResult = 'hit' | 'miss' | 'stale';
/** What a mutation sent again under a known idempotency key came to (see opsgraph_idempotency_replays_total). */
export type IdempotencyOutcome = 'replayed' | 'reconciled' | 'outcome_unknown';

/** Where a cross-request cache or index reports its lookups (opsgraph_cache_lookups_total). */
export interface CacheMetrics {
  cacheLookup(cache: string, result: CacheResult): void;
}
/** Where the idempotency store reports what a key sent again came to (opsgraph_idempotency_replays_total). */
export interface IdempotencyMetrics {
  idempotencyOutcome(mutation: string, outcome: IdempotencyOutcome): void;
}
/** For a cache or store built outside a gateway (a unit test of one vendor runtime): counts nothing. */
export const UNCOUNTED: CacheMetrics & IdempotencyMetrics = { cacheLookup: () => undefined, idempotencyOutcome: () => undefined };

/** What a scrape reads from each vendor's HTTP layer (VendorHttp): states that change with time, not events. */
export interface WatchedVendor {
  health(): { breaker: BreakerState; writeBreaker: BreakerState };
  readonly rateLimitQueued: number;
}

const BREAKER_VALUE: Record<BreakerState, number> = { closed: 0, 'half-open': 1, open: 2 };

let processRegistry: Registry | null = null;
/** The process's own metrics (CPU, memory, event loop, GC), one set per process. */
function processMetrics(): Registry {
  if (!processRegistry) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry, prefix: 'opsgraph_' });
  }
  return processRegistry;
}

/** One gateway's metrics; the calls the rest of opsgraph makes are cheap and never throw. */
export class GatewayMetrics implements CacheMetrics, IdempotencyMetrics {
  /** This gateway's series only (the Yoga Prometheus plugin registers its GraphQL metrics here too). */
  readonly registry = new Registry();
  /** Read at scrape time (the open → half-open step is a matter of time, not of an event). */
  private readonly watched = new Map<VendorName, WatchedVendor>();

  private readonly vendorDuration = new Histogram({
    name: 'opsgraph_vendor_request_duration_seconds',
    help: 'Duration of each HTTP attempt to a vendor, by route pattern and status (HTTP status, or timeout/network/aborted)',
    labelNames: ['vendor', 'route', 'status'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30],
    registers: [this.registry],
  });

  private readonly vendorRetries = new Counter({
    name: 'opsgraph_vendor_retries_total',
    help: 'Retries of vendor calls, by the error code that caused them',
    labelNames: ['vendor', 'route', 'reason'] as const,
    registers: [this.registry],
  });

  private readonly rateLimitWaits = new Histogram({
    name: 'opsgraph_vendor_rate_limit_wait_seconds',
    help: 'Time a vendor call waited for a client-side rate-limit token',
    labelNames: ['vendor'] as const,
    buckets: [0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10],
    registers: [this.registry],
  });

  private readonly cacheLookups = new Counter({
    name: 'opsgraph_cache_lookups_total',
    help: 'Lookups in cross-request caches and indexes: hit (fresh copy), miss (read the vendor), stale (vendor failed, older copy served)',
    labelNames: ['cache', 'result'] as const,
    registers: [this.registry],
  });

  private readonly idempotencyOutcomes = new Counter({
    name: 'opsgraph_idempotency_replays_total',
    help: 'Mutations sent again with a known idempotency key, by outcome: replayed (answered from the store, no write), reconciled (an unknown outcome looked up at the vendor), outcome_unknown (still unknown: OUTCOME_UNKNOWN answered)',
    labelNames: ['mutation', 'outcome'] as const,
    registers: [this.registry],
  });

  private readonly syncLag = new Gauge({
    name: 'opsgraph_sync_lag_seconds',
    help: 'How far behind the vendor the synchronised copy is, per vendor',
    labelNames: ['vendor'] as const,
    registers: [this.registry],
  });

  constructor() {
    const watched = this.watched;
    new Gauge({
      name: 'opsgraph_vendor_circuit_breaker_state',
      help: 'Circuit breaker state per vendor and breaker (read: GET calls, write: every other method): 0 closed, 1 half-open, 2 open',
      labelNames: ['vendor', 'breaker'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [vendor, http] of watched) {
          const health = http.health();
          this.set({ vendor, breaker: 'read' }, BREAKER_VALUE[health.breaker]);
          this.set({ vendor, breaker: 'write' }, BREAKER_VALUE[health.writeBreaker]);
        }
      },
    });
    new Gauge({
      name: 'opsgraph_vendor_rate_limit_queue_depth',
      help: "Callers waiting for the vendor's client-side rate limit (its SlidingWindowScheduler; with REDIS_URL also those waiting for the shared window)",
      labelNames: ['vendor'] as const,
      registers: [this.registry],
      collect() {
        this.reset();
        for (const [vendor, http] of watched) this.set({ vendor }, http.rateLimitQueued);
      },
    });
  }

  vendorAttempt(report: AttemptReport): void {
    this.vendorDuration.observe({ vendor: report.vendor, route: report.route, status: String(report.status) }, report.durationMs / 1000);
  }

  vendorRetry(vendor: VendorName, route: string, reason: string): void {
    this.vendorRetries.inc({ vendor, route, reason });
  }

  /** Reports the vendor's breaker states and rate-limit queue at every scrape; returns the function that stops it. */
  watchVendor(vendor: VendorName, http: WatchedVendor): () => void {
    this.watched.set(vendor, http);
    return () => {
      if (this.watched.get(vendor) === http) this.watched.delete(vendor);
    };
  }

  rateLimitWait(vendor: VendorName, waitMs: number): void {
    this.rateLimitWaits.observe({ vendor }, waitMs / 1000);
  }

  cacheLookup(cache: string, result: CacheResult): void {
    this.cacheLookups.inc({ cache, result });
  }

  idempotencyOutcome(mutation: string, outcome: IdempotencyOutcome): void {
    this.idempotencyOutcomes.inc({ mutation, outcome });
  }

  /**
   * The sync engine's one call: after each pass over `vendor`, how old the newest vendor change it
   * has applied is (or how long since its last successful pass), in seconds.
   */
  recordSyncLag(vendor: VendorName, seconds: number): void {
    if (Number.isFinite(seconds) && seconds >= 0) this.syncLag.set({ vendor }, seconds);
  }

  /** The Prometheus text a scrape gets: this gateway's series and the process's. */
  async scrape(): Promise<{ contentType: string; body: string }> {
    const both = Registry.merge([processMetrics(), this.registry]);
    return { contentType: both.contentType, body: await both.metrics() };
  }
}
