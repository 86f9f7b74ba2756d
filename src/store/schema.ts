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

/** One mutation's idempotency key (migration 0003; src/mutations/idempotency-store.ts). */
export interface IdempotencyRecordTable {
  /** `<mutation>:<key>`: keys are scoped by mutation. */
  id: string;
  mutation: string;
  /** sha256 of the canonical input without the key: the same key with another input is refused. */
  input_hash: string;
  state: 'pending' | 'succeeded' | 'refused' | 'unknown';
  /** Bumped by every claim: updates compare it, so two owners never complete one record. */
  version: number;
  /** JSON of the write's result (`succeeded`); null while the read-back after a write is owed. */
  result: string | null;
  /** JSON `{ message, extensions }` of the final error (`refused`). */
  error: string | null;
  /** Epoch ms. PostgreSQL's bigint arrives as a string: read with Number(). */
  created_at: number | string;
  updated_at: number | string;
  /** Until when a `pending` owner is trusted to be working; after it, the outcome counts as unknown. */
  lease_until: number | string;
  expires_at: number | string;
}

/**
 * One vendor record in the synced copy (migration 0002; src/sync/record-store.ts). Text columns are
 * never null ('' when unknown) so keyset comparisons need no null handling.
 */
export interface SyncedRecordTable {
  vendor: string;
  relation: string;
  key: string;
  /** The relation's own time, `YYYY-MM-DDTHH:MM:SS.ffffffZ`, or ''. */
  sort_at: string;
  number: string;
  status: string;
  customer: string;
  parent_key: string;
  vendor_updated_at: string;
  /** Epoch ms we last wrote the row. PostgreSQL's bigint arrives as a string: read with Number(). */
  synced_at: number | string;
  /** JSON of the unified record (or the vendor record where no unified type exists). */
  data: string;
}

/** A multi-valued filter attribute of a synced record (an order's SKU codes and lot numbers). */
export interface SyncedRecordTagTable {
  vendor: string;
  relation: string;
  key: string;
  kind: string;
  value: string;
}

/** Each synced relation's progress and increment mark (migration 0002). */
export interface SyncStateTable {
  vendor: string;
  relation: string;
  state: string;
  high_water: string | null;
  resume_cursor: string | null;
  rows: number | string;
  expected_rows: number | string | null;
  last_synced_at: number | string | null;
  last_error: string | null;
  next_run_at: number | string;
}

export interface StoreSchema {
  store_meta: StoreMetaTable;
  synced_record: SyncedRecordTable;
  synced_record_tag: SyncedRecordTagTable;
  sync_state: SyncStateTable;
  sync_lease: SyncLeaseTable;
  idempotency_record: IdempotencyRecordTable;
}
