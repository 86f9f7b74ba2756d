import type { Vendor } from '../model/records.js';

/** The sync's settings (src/config.ts reads and checks them; README "Settings" documents them). */
export interface SyncSettings {
  /** SYNC=off disables the background sync (lists then have no store to read). */
  enabled: boolean;
  /** SYNC_INTERVAL_MS: how often relations with a vendor increment filter read what changed. */
  intervalMs: number;
  /** <VENDOR>_SYNC_REREAD_MS: how often relations without one are re-read whole. */
  rereadMs: Record<Vendor, number>;
  /** SYNC_FULL_REREAD_MS: how often incrementally synced relations are still read whole (drops deleted records). */
  fullRereadMs: number;
  /** A failed pass is retried after retryBaseMs, doubling per failure up to retryMaxMs. */
  retryBaseMs: number;
  retryMaxMs: number;
  /** One progress log line per vendor this often while a pass runs. */
  logEveryMs: number;
  /** The longest a vendor loop sleeps before looking at its lease and schedule again. */
  maxSleepMs: number;
  /** SYNC_LEASE_MS: with DATABASE_URL, how long a silent sync leader keeps a vendor. */
  leaseMs: number;
  /** SYNC_YIELD_MAX_MS: the longest a page waits for GraphQL requests in flight to end (0: never waits). */
  yieldMaxMs: number;
  /**
   * DISTRU_LIVE_MAX_AGE_MS: per vendor, how old the store's copy may be before a single-object read
   * (`order(id:)`) catches it up with one shared incremental call (src/sync/catch-up.ts). A vendor
   * without an entry keeps its single-object reads as live calls by id.
   */
  catchUpMaxAgeMs: Partial<Record<Vendor, number>>;
}

export const DEFAULT_SYNC_SETTINGS: SyncSettings = {
  enabled: true,
  intervalMs: 30_000,
  // Distru's budget is 2 calls a second: its whole re-reads (batches, locations) run hourly.
  // HAPIHub's one such relation is its stock, folded whole from the stored transactions (about 5 s
  // of one core at 41,000 transactions) and otherwise moved by each page of them: daily.
  rereadMs: { DISTRU: 3_600_000, PHARUS: 300_000, ISOLOCITY: 300_000, HAPIHUB: 86_400_000 },
  fullRereadMs: 86_400_000,
  retryBaseMs: 2_000,
  retryMaxMs: 300_000,
  logEveryMs: 5_000,
  maxSleepMs: 1_000,
  leaseMs: 15_000,
  // Under steady load the sync still reads a page a second; between requests it runs at once.
  yieldMaxMs: 1_000,
  // At most one catch-up per relation every 2 s: under steady load, orders and invoices together
  // cost at most 1 of Distru's 2 calls a second, leaving the other to stock and the sync.
  catchUpMaxAgeMs: { DISTRU: 2_000 },
};
