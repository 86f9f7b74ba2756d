import type { GatewayConfig } from '../config.js';
import type { Crosswalk } from '../catalog/crosswalk.js';
import type { Vendor } from '../model/records.js';
import type { VendorRuntime } from '../vendors/types.js';
import type { IdempotencyStore } from '../mutations/idempotency.js';
import type { Store } from '../store/index.js';
import type { Cluster } from '../scale/cluster.js';
import type { SyncEngine } from '../sync/index.js';

/** What lives for the whole process: configuration, the crosswalk, and each vendor's runtime. */
export interface GatewayRuntime {
  config: GatewayConfig;
  crosswalk: Crosswalk;
  vendors: Partial<Record<Vendor, VendorRuntime>>;
  /** Remembers mutation outcomes by idempotency key for `config.idempotencyWindowMs`. */
  idempotency: IdempotencyStore;
  /** opsgraph's own database (embedded SQLite, or PostgreSQL with DATABASE_URL). */
  store: Store;
  /** What this replica shares with the others (budgets, invalidations); 'single' when alone. */
  cluster: Cluster;
  /** The background sync of vendor lists into the store (src/sync); `enabled` false with SYNC=off. */
  sync: SyncEngine;
}
