import type { VendorHealth } from '../http/vendor-http.js';
import type { GatewayRuntime } from './runtime.js';
import { credentialSettings } from '../config.js';
import { VENDORS, type Vendor } from '../model/records.js';
import type { VendorSyncStatus } from '../sync/index.js';

export interface VendorReadiness {
  vendor: string;
  configured: boolean;
  /** False when the vendor hangs, its breaker is open, or every recent call was refused (401/403/404). */
  healthy?: boolean;
  /** Why it is not healthy, naming the setting to check where one is likely wrong. */
  reason?: string;
  breaker?: 'closed' | 'open' | 'half-open';
  recentCalls?: number;
  recentErrorRate?: number;
  lastError?: string;
  /** The vendor's background sync (absent with SYNC=off): ready waits for its first completed pass. */
  sync?: VendorSyncStatus;
}

/**
 * A 404 on a by-id read is an ordinary answer (the record does not exist), so a run of 404s says
 * "wrong base URL" only when there are a few of them and nothing else; a 401/403 is never ordinary.
 */
const MIN_CALLS_FOR_404 = 3;
/** Every call failing (refused, 5xx…) says "down" before the breaker's consecutive count does, from a few calls. */
const MIN_CALLS_ALL_FAILED = 3;

export interface ClusterReadiness {
  mode: 'single' | 'replicas';
  replicas: number;
  replicaIndex: number;
  /** Per rate-limited vendor: 'shared' across replicas, or 'fallback' to this replica's share (Redis away). */
  budgets: Record<string, 'shared' | 'fallback'>;
}

/**
 * /readyz: each vendor's health with the reason, and ready while at least one configured vendor is
 * healthy (opsgraph can still answer part of every query). Unhealthy: calls hang past their
 * per-call timeout, the breaker is open, or every call in the last minute answered 401/403/404.
 */
/**
 * /readyz: ready while at least one configured vendor is healthy (opsgraph can still answer part of
 * every query) and, with the sync on, once every configured vendor has completed its initial sync.
 */
export function readiness(runtime: GatewayRuntime): { ready: boolean; mode: string; vendors: VendorReadiness[]; cluster: ClusterReadiness } {
  const vendors: VendorReadiness[] = VENDORS.map((vendor) => {
    const vendorRuntime = runtime.vendors[vendor];
    if (!vendorRuntime) return { vendor, configured: false };
    const health = vendorRuntime.http.health();
    const reason = unhealthyReason(vendor, health, credentialSettings(vendor, runtime.config.vendors[vendor]));
    return {
      vendor,
      configured: true,
      healthy: reason === undefined,
      ...(reason === undefined ? {} : { reason }),
      breaker: health.breaker,
      recentCalls: health.recentCalls,
      recentErrorRate: health.recentErrorRate,
      ...(health.lastError ? { lastError: health.lastError } : {}),
      ...(runtime.sync.enabled ? { sync: runtime.sync.vendorState(vendor) } : {}),
    };
  });
  const configured = vendors.filter((v) => v.configured);
  const { cluster } = runtime;
  // Redis away is not "not ready": the replica keeps serving within its share, and says so here.
  return {
    // With the sync on, lists need each vendor's first complete copy: not ready before it.
    ready: configured.some((v) => v.healthy) && (!runtime.sync.enabled || runtime.sync.initialSyncDone()),
    mode: runtime.config.mode,
    vendors,
    cluster: { mode: cluster.mode, replicas: cluster.replicas, replicaIndex: cluster.replicaIndex, budgets: cluster.budgetModes() },
  };
}

/** Why a vendor is not healthy, or undefined when it is; `credentials` names the settings its calls use. */
export function unhealthyReason(vendor: Vendor, health: VendorHealth, credentials = `${vendor}_TOKEN`): string | undefined {
  if (health.hanging) {
    return `calls hang past the ${health.timeoutMs} ms per-call timeout (${health.recentTimeouts} in the last minute)${health.breaker === 'closed' ? '' : `; circuit breaker ${health.breaker}`}`;
  }
  if (health.breaker !== 'closed') return `circuit breaker ${health.breaker} after repeated failures${health.lastError ? `: ${health.lastError}` : ''}`;
  const { 401: s401, 403: s403, 404: s404 } = health.recentStatuses;
  const calls = health.recentCalls;
  if (calls === 0) return undefined;
  if (s401 + s403 + s404 !== calls) {
    return calls >= MIN_CALLS_ALL_FAILED && health.recentErrorRate === 1 ? `every call in the last minute failed (${calls})${health.lastError ? `: ${health.lastError}` : ''}` : undefined;
  }
  if (s404 === calls) return calls >= MIN_CALLS_FOR_404 ? `every call answered 404: is ${vendor}_BASE_URL right?` : undefined;
  if (s401 === calls) return `every call answered 401: is ${credentials} right?`;
  if (s403 === calls) return `every call answered 403: ${credentials.includes(' and ') ? 'do' : 'does'} ${credentials} have access?`;
  return `every call answered 401, 403 or 404: are ${vendor}_BASE_URL and ${credentials} right?`;
}
