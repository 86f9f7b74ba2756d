import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { VendorName } from '../errors.js';
import type { BreakerState } from '../http/circuit-breaker.js';
import type { AttemptReport } from '../http/observer.js';

/**
 * The process's Prometheus registry and every opsgraph metric, behind small functions the rest of
 * the code calls (the HTTP layer through its observer, caches, the idempotency store, the sync).
 * One registry per process, as Prometheus scrapes a process: several gateways started in one
 * process (tests) add to the same counters.
 *
 * Labels are bounded: vendor (4), route PATTERN (the endpoint tables), status (HTTP status or
 * timeout/network/aborted), cache name, mutation name, error code. Never an id or a value.
 */
export const metricsRegistry = new Registry();
collectDefaultMetrics({ register: metricsRegistry, prefix: 'opsgraph_' });

const vendorDuration = new Histogram({
  name: 'opsgraph_vendor_request_duration_seconds',
  help: 'Duration of each HTTP attempt to a vendor, by route pattern and status (HTTP status, or timeout/network/aborted)',
  labelNames: ['vendor', 'route', 'status'] as const,
  buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 15, 30],
  registers: [metricsRegistry],
});

const vendorRetries = new Counter({
  name: 'opsgraph_vendor_retries_total',
  help: 'Retries of vendor calls, by the error code that caused them',
  labelNames: ['vendor', 'route', 'reason'] as const,
  registers: [metricsRegistry],
});

const BREAKER_VALUE: Record<BreakerState, number> = { closed: 0, 'half-open': 1, open: 2 };
/** Read at scrape time (the open → half-open step is a matter of time, not of an event). */
const breakerReaders = new Map<VendorName, () => BreakerState>();
new Gauge({
  name: 'opsgraph_vendor_circuit_breaker_state',
  help: 'Circuit breaker state per vendor: 0 closed, 1 half-open, 2 open',
  labelNames: ['vendor'] as const,
  registers: [metricsRegistry],
  collect() {
    this.reset();
    for (const [vendor, read] of breakerReaders) this.set({ vendor }, BREAKER_VALUE[read()]);
  },
});

const rateLimitQueue = new Gauge({
  name: 'opsgraph_vendor_rate_limit_queue_depth',
  help: 'Callers waiting for a client-side rate-limit token, per vendor',
  labelNames: ['vendor'] as const,
  registers: [metricsRegistry],
});

const rateLimitWait = new Histogram({
  name: 'opsgraph_vendor_rate_limit_wait_seconds',
  help: 'Time a vendor call waited for a client-side rate-limit token',
  labelNames: ['vendor'] as const,
  buckets: [0.001, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10],
  registers: [metricsRegistry],
});

const cacheLookups = new Counter({
  name: 'opsgraph_cache_lookups_total',
  help: 'Lookups in cross-request caches and indexes: hit (fresh copy), miss (read the vendor), stale (vendor failed, older copy served)',
  labelNames: ['cache', 'result'] as const,
  registers: [metricsRegistry],
});

const idempotencyReplays = new Counter({
  name: 'opsgraph_idempotency_replays_total',
  help: 'Mutations answered from the idempotency store instead of writing again',
  labelNames: ['mutation'] as const,
  registers: [metricsRegistry],
});

const syncLag = new Gauge({
  name: 'opsgraph_sync_lag_seconds',
  help: 'How far behind the vendor the synchronised copy is, per vendor',
  labelNames: ['vendor'] as const,
  registers: [metricsRegistry],
});

export type CacheResult = 'hit' | 'miss' | 'stale';

/** The calls the rest of opsgraph makes; each is cheap and never throws. */
export const metrics = {
  vendorAttempt(report: AttemptReport): void {
    vendorDuration.observe({ vendor: report.vendor, route: report.route, status: String(report.status) }, report.durationMs / 1000);
  },
  vendorRetry(vendor: VendorName, route: string, reason: string): void {
    vendorRetries.inc({ vendor, route, reason });
  },
  /** Reports `read()` as the vendor's breaker state at every scrape; returns the function that stops it. */
  watchBreaker(vendor: VendorName, read: () => BreakerState): () => void {
    breakerReaders.set(vendor, read);
    return () => {
      if (breakerReaders.get(vendor) === read) breakerReaders.delete(vendor);
    };
  },
  rateLimitQueueDepth(vendor: VendorName, depth: number): void {
    rateLimitQueue.set({ vendor }, depth);
  },
  rateLimitWait(vendor: VendorName, waitMs: number): void {
    rateLimitWait.observe({ vendor }, waitMs / 1000);
  },
  cacheLookup(cache: string, result: CacheResult): void {
    cacheLookups.inc({ cache, result });
  },
  idempotencyReplay(mutation: string): void {
    idempotencyReplays.inc({ mutation });
  },
  /** For the sync: how old the newest change applied from `vendor` is, in seconds. */
  syncLag(vendor: VendorName, seconds: number): void {
    syncLag.set({ vendor }, seconds);
  },
};
