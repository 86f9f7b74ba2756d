import type { Migration } from 'kysely';
import * as storeMeta from './0001_store_meta.js';
import * as syncedRecords from './0002_synced_records.js';
import * as syncLease from './0004_sync_lease.js';
import * as idempotency from './0003_idempotency.js';

/**
 * Every migration, in order. Names sort in the order they must run; a replica that finds a migration
 * in the store that is not in this list is older than the store and refuses to start (see migrate.ts).
 * Add new migrations at the end with the next number.
 */
export const migrations: Record<string, Migration> = {
  '0001_store_meta': storeMeta,
  '0002_synced_records': syncedRecords,
  '0003_idempotency': idempotency,
  '0004_sync_lease': syncLease,
};
