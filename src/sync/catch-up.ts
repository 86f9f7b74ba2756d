import type { Kysely } from 'kysely';
import { SingleFlight, type Caller } from '../cache/single-flight.js';
import { sharedCall } from '../cache/waiting-caller.js';
import type { CallScope } from '../http/types.js';
import type { VendorHttp } from '../http/vendor-http.js';
import type { Vendor } from '../model/records.js';
import type { StoreSchema } from '../store/schema.js';
import { touchRows, upsertRows, type SyncedRelation, type SyncStateRow } from './record-store.js';
import { laterMark, nextMark, type RelationSpec, type SyncVendorSettings } from './relation.js';

/**
 * Single-object reads stay live with a synced store (issue 8, "order(id:) … stay live by default
 * (one batched call)"): before `order(id:)` is served from the store, the store's copy of the
 * relation is brought up to date with the relation's own increment (Distru `GET /orders?
 * updated_datetime=<mark>,`, following `next_page`) when it is older than the vendor's bound
 * (DISTRU_LIVE_MAX_AGE_MS). One catch-up per relation at a time, shared by every request that needs
 * it (the one SingleFlight), at interactive priority: twenty concurrent screens of twenty different
 * orders cost one call, not twenty.
 */
export type CatchUpOutcome =
  /** The store may answer: its copy of the whole relation is current as of `asOf` (epoch ms). */
  | { kind: 'current'; asOf: number; caughtUp: boolean }
  /** The catch-up failed: the store holds a copy as of `asOf`, older than the bound. */
  | { kind: 'failed'; asOf: number; error: unknown }
  /** The store cannot answer (no completed pass, no mark, too far behind): read live, as without a store. */
  | { kind: 'live'; why: 'sync-off' | 'not-synced' | 'no-mark' | 'too-far-behind' };

export interface CatchUpOptions {
  db: Kysely<StoreSchema>;
  settings: SyncVendorSettings;
  /** Per vendor, how old the store's copy may be before a single-object read catches it up; absent: the vendor's single-object reads stay live calls. */
  maxAgeMs: Partial<Record<Vendor, number>>;
  now: () => number;
}

/**
 * More pages than this means the store is far behind (an outage, a bulk change): the regular pass
 * catches up in the background and single-object reads go live meanwhile, so one request never waits
 * for a long read at 2 calls a second.
 */
export const CATCH_UP_MAX_PAGES = 4;
/** Own deadline of one catch-up (its callers leave on their own deadlines). */
const CATCH_UP_DEADLINE_MS = 30_000;

export class RelationCatchUp {
  private readonly flights = new SingleFlight<CatchUpOutcome>({ deadlineMs: CATCH_UP_DEADLINE_MS, whenAbandoned: 'continue' });
  /** When each relation's last catch-up began: the copy is current as of then. */
  private readonly caughtUpAt = new Map<string, number>();

  constructor(private readonly options: CatchUpOptions) {}

  /** Whether this vendor's single-object reads go through the store (DISTRU_LIVE_MAX_AGE_MS set). */
  covers(vendor: Vendor): boolean {
    return this.options.maxAgeMs[vendor] !== undefined;
  }

  /**
   * Brings `spec`'s stored copy up to date when it is older than the vendor's bound, or says it is
   * current. `state` is the relation's sync state as the engine knows it; `call` the asking request's
   * scope (its trace and client; the call runs interactive under the catch-up's own deadline).
   */
  async run(vendor: Vendor, http: VendorHttp, spec: RelationSpec, state: SyncStateRow | undefined, call: CallScope, caller: Caller): Promise<CatchUpOutcome> {
    const maxAgeMs = this.options.maxAgeMs[vendor];
    if (maxAgeMs === undefined || spec.increments !== 'filter') return { kind: 'live', why: 'sync-off' };
    if (!state || state.lastSyncedAt === null) return { kind: 'live', why: 'not-synced' };
    if (state.highWater === null) return { kind: 'live', why: 'no-mark' };
    const key = `${vendor}/${spec.relation}`;
    const asOf = Math.max(state.lastSyncedAt, this.caughtUpAt.get(key) ?? 0);
    if (this.options.now() - asOf < maxAgeMs) return { kind: 'current', asOf, caughtUp: false };
    const since = state.highWater;
    const { value } = await this.flights.run(
      key,
      async (work) => {
        const startedAt = this.options.now();
        try {
          return await this.readIncrement(vendor, http, spec, since, startedAt, sharedCall({ ...call, priority: 'interactive' }, work));
        } catch (error) {
          return { kind: 'failed', asOf, error } satisfies CatchUpOutcome;
        }
      },
      caller,
    );
    return value;
  }

  private async readIncrement(vendor: Vendor, http: VendorHttp, spec: RelationSpec, since: string, startedAt: number, call: CallScope): Promise<CatchUpOutcome> {
    const { db, settings } = this.options;
    const ctx = { vendor, http, db, settings, now: this.options.now, scope: { call, noteStale: () => undefined } };
    let cursor: string | null = null;
    let mark: string | null = since;
    let firstServedAt: number | null = null;
    let page = 1;
    for (; ; page++) {
      if (page > CATCH_UP_MAX_PAGES) return { kind: 'live', why: 'too-far-behind' };
      const read = await spec.readPage(ctx, cursor, since);
      if (page === 1) firstServedAt = read.servedAt ?? null;
      const at = this.options.now();
      await upsertRows(db, vendor, spec.relation, read.rows, at);
      if (read.unchangedKeys?.length) await touchRows(db, vendor, spec.relation, read.unchangedKeys, at);
      mark = laterMark(mark, read.mark);
      if (read.next === null) break;
      cursor = read.next;
    }
    this.caughtUpAt.set(`${vendor}/${spec.relation}`, startedAt);
    // Several pages were not one snapshot: the next read starts where this one may have missed a change.
    await recordCatchUp(db, vendor, spec.relation, nextMark(mark, since, page, firstServedAt), startedAt);
    return { kind: 'current', asOf: startedAt, caughtUp: true };
  }
}

/**
 * Stores the catch-up's mark and time in `sync_state` (only those two columns, and only forwards), so
 * `extensions.freshness` and other replicas see the copy as current. A pass under way keeps its own
 * progress columns; when it completes it may write an earlier mark back, which only re-reads a few
 * records next time.
 */
async function recordCatchUp(db: Kysely<StoreSchema>, vendor: Vendor, relation: SyncedRelation, mark: string | null, at: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('sync_state')
      .set({ last_synced_at: at })
      .where('vendor', '=', vendor)
      .where('relation', '=', relation)
      .where((eb) => eb.or([eb('last_synced_at', 'is', null), eb('last_synced_at', '<', at)]))
      .execute();
    if (mark === null) return;
    await trx
      .updateTable('sync_state')
      .set({ high_water: mark })
      .where('vendor', '=', vendor)
      .where('relation', '=', relation)
      .where((eb) => eb.or([eb('high_water', 'is', null), eb('high_water', '<', mark)]))
      .execute();
  });
}
