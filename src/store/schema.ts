/**
 * The tables of opsgraph's own store, as Kysely sees them. One interface per table, added by the
 * migration that creates it (src/store/migrations/). The same schema runs on SQLite (embedded default)
 * and PostgreSQL (DATABASE_URL), so column types stay within what both dialects share: text, integer
 * (bigint where counts may pass 2^31), and JSON kept as text.
 */
export interface StoreMetaTable {
  /** A key about the store itself, e.g. 'created_at'. */
  key: string;
  value: string;
}

/** The replica that syncs a vendor, and the fencing token of its lease (src/scale/sync-lease.ts). */
export interface SyncLeaseTable {
  vendor: string;
  token: string | number | bigint;
  holder: string;
  backend_pid: number | null;
  /** Epoch ms of the holder's last renewal. */
  heartbeat_at: string | number | bigint;
}

export interface StoreSchema {
  store_meta: StoreMetaTable;
  sync_lease: SyncLeaseTable;
}
