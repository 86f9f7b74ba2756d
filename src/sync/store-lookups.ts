import type { Kysely } from 'kysely';
import type { SourceScope } from '../cache/scope.js';
import { noteStoreRead } from '../lists/freshness.js';
import { assertSynced, type RelationSync } from '../lists/sync-status.js';
import type { Vendor } from '../model/records.js';
import type { StoreSchema } from '../store/schema.js';
import type { RelationStatus } from './engine.js';
import { queryRows, rowsByKey, rowsByNumber, rowsByParent, rowsByTag, type QueriedRow, type RowQuery, type SyncedRelation, type TagKind } from './record-store.js';

/** What the lookups need of the sync engine (src/sync/engine.ts). */
export interface SyncProgress {
  state(vendor: Vendor, relation: SyncedRelation): RelationStatus;
  requestPass(vendor: Vendor, relation?: SyncedRelation): void;
}

/**
 * The vendor runtimes' cross-request lookups (parts by identification, inspections of a part,
 * products by SKU code, HAPIHub stock…) answered from the synced store, with SYNC=on. One
 * mechanism for every vendor: the sync engine reads each relation once (src/sync/relations), and
 * these are store queries with 0 vendor calls.
 *
 * A lookup whose answer depends on the whole relation (a code the store lacks means "the vendor has
 * none") needs the relation's first pass to have completed: before that it answers SYNC_IN_PROGRESS
 * with the progress, as lists do, never a partial answer or a second read of the list. Lookups by
 * the vendor's own id can take what is stored (`storedByKey`) and read a miss live (bounded: one
 * call per id). Every store answer notes the relation's freshness on the request (`extensions.freshness`).
 */
export class StoreLookups {
  /** When each relation was last nudged by a miss (see `requestPassOnMiss`). */
  private readonly nudgedAt = new Map<string, number>();
  private engine: SyncProgress | null = null;

  constructor(private readonly db: Kysely<StoreSchema>) {}

  /** The engine whose progress says which relations are synced (made after the vendor runtimes, from their clients). */
  attach(engine: SyncProgress): void {
    this.engine = engine;
  }

  private sync(): SyncProgress {
    if (!this.engine) throw new Error('StoreLookups used before the sync engine was attached');
    return this.engine;
  }

  /** The relation's sync as lists see it: `initial` until its first pass completed. */
  status(vendor: Vendor, relation: SyncedRelation): RelationSync {
    const status = this.sync().state(vendor, relation);
    // A relation that completed a pass once serves its copy even while failing or re-reading.
    const state = status.lastSyncedAt === null ? 'initial' : status.state === 'failing' ? 'failing' : 'current';
    return { vendor, relation, state, progress: Math.round(status.progress * 1000) / 1000, rows: status.rows, lastSyncedAt: status.lastSyncedAt };
  }

  /** Throws SYNC_IN_PROGRESS before the relation's first completed pass; notes its freshness on the request. */
  ready(vendor: Vendor, relation: SyncedRelation, scope: SourceScope): void {
    const sync = this.status(vendor, relation);
    assertSynced(`${vendor.toLowerCase()}.${relation}`, [sync]);
    noteStoreRead(scope, [sync]);
  }

  /** Records by the vendor's id, once the relation is synced (a missing key: the vendor has none). */
  async byKey<T>(vendor: Vendor, relation: SyncedRelation, keys: readonly string[], scope: SourceScope): Promise<Map<string, T>> {
    this.ready(vendor, relation, scope);
    return (await rowsByKey(this.db, vendor, relation, keys)) as Map<string, T>;
  }

  /**
   * What the store holds of these keys, whether or not the first pass has completed: for lookups
   * that read a missing id live (a record newer than the store, or not reached yet).
   */
  async storedByKey<T>(vendor: Vendor, relation: SyncedRelation, keys: readonly string[], scope: SourceScope): Promise<Map<string, T>> {
    const sync = this.status(vendor, relation);
    if (sync.state !== 'initial') noteStoreRead(scope, [sync]);
    return (await rowsByKey(this.db, vendor, relation, keys)) as Map<string, T>;
  }

  /** Records by `number` (a SKU's code, a part's identification), in key order. */
  async byNumber<T>(vendor: Vendor, relation: SyncedRelation, numbers: readonly string[], scope: SourceScope): Promise<Map<string, T[]>> {
    this.ready(vendor, relation, scope);
    return (await rowsByNumber(this.db, vendor, relation, numbers)) as Map<string, T[]>;
  }

  /** Records by parent (inspections and NCRs of a part, stock levels of a SKU), in time then key order. */
  async byParent<T>(vendor: Vendor, relation: SyncedRelation, parents: readonly string[], scope: SourceScope): Promise<Map<string, T[]>> {
    this.ready(vendor, relation, scope);
    return (await rowsByParent(this.db, vendor, relation, parents)) as Map<string, T[]>;
  }

  /** Records tagged with each value (inspections or NCRs of a lot). */
  async byTag<T>(vendor: Vendor, relation: SyncedRelation, kind: TagKind, values: readonly string[], scope: SourceScope): Promise<Map<string, T[]>> {
    this.ready(vendor, relation, scope);
    return (await rowsByTag(this.db, vendor, relation, kind, values)) as Map<string, T[]>;
  }

  /** One keyset page of a vendor's synced relation (e.g. HAPIHub's SKUs in code order). */
  async page(vendor: Vendor, query: Omit<RowQuery, 'vendors'>, scope: SourceScope): Promise<{ rows: QueriedRow[]; hasNext: boolean }> {
    this.ready(vendor, query.relation, scope);
    return queryRows(this.db, { ...query, vendors: [vendor] });
  }

  /**
   * A write named a code or id the synced copy lacks: it may be new at the vendor since the last
   * pass. The sync reads the relation again at its next turn (the engine's own pass, in the
   * background budget), at most once per `intervalMs` per relation, so a stream of unknown codes
   * costs at most one pass per interval; the write is refused now with its field-level error.
   */
  requestPassOnMiss(vendor: Vendor, relation: SyncedRelation, intervalMs: number, now = Date.now()): void {
    const id = `${vendor}/${relation}`;
    const last = this.nudgedAt.get(id);
    if (last !== undefined && now - last < intervalMs) return;
    this.nudgedAt.set(id, now);
    this.sync().requestPass(vendor, relation);
  }
}
