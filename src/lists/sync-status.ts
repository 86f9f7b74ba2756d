import type { Kysely } from 'kysely';
import { opsError } from '../errors.js';
import type { Vendor } from '../model/records.js';
import type { StoreSchema } from '../store/schema.js';
import { readSyncStates, type SyncedRelation, type SyncStateName, type SyncStateRow } from '../sync/record-store.js';

/**
 * Where each (vendor, relation) sync stands, read from the store's `sync_state` (what the sync engine
 * persists after every page), so every replica answers the same and a restart knows at once. A
 * relation without a row has not begun its first sync: 'initial', progress 0.
 */
export interface RelationSync {
  vendor: Vendor;
  relation: SyncedRelation;
  state: SyncStateName;
  /** 0..1: rows stored over the vendor's announced total where it gives one; 1 once current. */
  progress: number;
  rows: number;
  lastSyncedAt: number | null;
}

export async function relationSyncs(db: Kysely<StoreSchema>, pairs: readonly { vendor: Vendor; relation: SyncedRelation }[]): Promise<RelationSync[]> {
  if (pairs.length === 0) return [];
  const states = await readSyncStates(db);
  return pairs.map(({ vendor, relation }) => statusOf(vendor, relation, states.find((s) => s.vendor === vendor && s.relation === relation)));
}

function statusOf(vendor: Vendor, relation: SyncedRelation, row: SyncStateRow | undefined): RelationSync {
  if (!row) return { vendor, relation, state: 'initial', progress: 0, rows: 0, lastSyncedAt: null };
  // A relation that completed a pass once serves its copy even while failing or re-reading.
  const state: SyncStateName = row.state === 'initial' && row.lastSyncedAt !== null ? 'current' : row.state;
  const progress = state !== 'initial' ? 1 : row.expectedRows ? Math.min(0.99, row.rows / row.expectedRows) : 0;
  return { vendor, relation, state, progress: Math.round(progress * 1000) / 1000, rows: row.rows, lastSyncedAt: row.lastSyncedAt };
}

/**
 * Before a relation's first sync completes, its list answers SYNC_IN_PROGRESS with the progress of
 * each vendor still syncing (`extensions.progress.<vendor>`), never a partial list or a timeout.
 */
export function assertSynced(list: string, syncs: readonly RelationSync[], syncEnabled = true): void {
  const pending = syncs.filter((s) => s.state === 'initial');
  if (pending.length === 0) return;
  const progress = Object.fromEntries(pending.map((s) => [s.vendor.toLowerCase(), { progress: s.progress, rows: s.rows }]));
  const shown = pending.map((s) => `${s.vendor.toLowerCase()} ${Math.round(s.progress * 100)}%`).join(', ');
  const why = syncEnabled ? `the first sync is still under way (${shown}); retry in a few seconds` : `no sync has completed (${shown}) and this gateway's sync is off (SYNC=off): another replica must sync, or set SYNC=on`;
  throw opsError(`${list}: ${why}`, { code: 'SYNC_IN_PROGRESS', progress, retryAfterSeconds: 5 });
}
