import type { GatewayRuntime } from './runtime.js';
import { VENDORS } from '../model/records.js';
import type { VendorSyncStatus } from '../sync/index.js';

export interface VendorReadiness {
  vendor: string;
  configured: boolean;
  breaker?: 'closed' | 'open' | 'half-open';
  recentCalls?: number;
  recentErrorRate?: number;
  lastError?: string;
  /** The vendor's background sync (absent with SYNC=off): ready waits for its first completed pass. */
  sync?: VendorSyncStatus;
}

/**
 * /readyz: ready while at least one configured vendor's breaker is not open (opsgraph can still
 * answer part of every query) and, with the sync on, once every configured vendor has completed its
 * initial sync; with each vendor's state so an operator sees which one is down or still syncing.
 */
export interface ClusterReadiness {
  mode: 'single' | 'replicas';
  replicas: number;
  replicaIndex: number;
  /** Per rate-limited vendor: 'shared' across replicas, or 'fallback' to this replica's share (Redis away). */
  budgets: Record<string, 'shared' | 'fallback'>;
}

export function readiness(runtime: GatewayRuntime): { ready: boolean; mode: string; vendors: VendorReadiness[]; cluster: ClusterReadiness } {
  const vendors: VendorReadiness[] = VENDORS.map((vendor) => {
    const vendorRuntime = runtime.vendors[vendor];
    if (!vendorRuntime) return { vendor, configured: false };
    const health = vendorRuntime.http.health();
    return {
      vendor,
      configured: true,
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
    ready: configured.some((v) => v.breaker !== 'open') && (!runtime.sync.enabled || runtime.sync.initialSyncDone()),
    mode: runtime.config.mode,
    vendors,
    cluster: { mode: cluster.mode, replicas: cluster.replicas, replicaIndex: cluster.replicaIndex, budgets: cluster.budgetModes() },
  };
}
