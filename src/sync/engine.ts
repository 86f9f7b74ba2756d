import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { errorCode } from '../errors.js';
import type { VendorHttp } from '../http/vendor-http.js';
import type { Vendor } from '../model/records.js';
import type { SyncLease } from '../scale/sync-lease.js';
import type { StoreSchema } from '../store/schema.js';
import { applyWrittenRecords } from './apply-write.js';
import { RelationCatchUp, type CatchUpOutcome } from './catch-up.js';
import type { Caller } from '../cache/single-flight.js';
import type { CallScope } from '../http/types.js';
import { countStored, deleteRowsSyncedBefore, inOneTransaction, readSyncStates, touchRows, upsertRows, writeSyncState, type SyncedRelation, type SyncStateName, type SyncStateRow } from './record-store.js';
import { laterMark, nextMark, type PassContext, type RelationSpec, type SyncVendorSettings } from './relation.js';
import type { SyncSettings } from './settings.js';

/** What lists, /readyz and logs see of one relation. */
export interface RelationStatus {
  state: SyncStateName;
  /** 0..1: 1 once a pass has completed and none is under way for the first time. */
  progress: number;
  rows: number;
  /** Epoch ms of the last completed pass; null before the first. */
  lastSyncedAt: number | null;
  lastError: string | null;
}

export interface VendorSyncStatus extends RelationStatus {
  /** This replica runs the vendor's sync now: always when alone, the lease holder among replicas (/readyz shows which one leads). */
  leader: boolean;
  relations: Partial<Record<SyncedRelation, RelationStatus>>;
}

export interface SyncEngineOptions {
  db: Kysely<StoreSchema>;
  /** Each configured vendor's HTTP client and relations (src/sync/relations). */
  vendors: Partial<Record<Vendor, { http: VendorHttp; relations: readonly RelationSpec[] }>>;
  settings: SyncSettings;
  context: SyncVendorSettings;
  /** Which replica syncs each vendor now: always this one alone (SoleLease), elected with DATABASE_URL. */
  lease: SyncLease & { isCurrent?(vendor: string, token: number): Promise<boolean> };
  log?: Logger;
  now?: () => number;
  /** Interactive requests in flight (src/server/interactive-load.ts): each page waits for their end, within a bound. */
  interactive?: { quiet(): Promise<void> };
}

/** The resume_cursor of a pass under way: where it continues, what it reads, since when it runs. */
interface PassPosition {
  cursor: string;
  since: string | null;
  full: boolean;
  startedAt: number;
  mark: string | null;
  seen: number;
  /** Pages read so far, and when the vendor served the first (its clock): the next mark's bound (`nextMark`). */
  pages: number;
  firstServedAt: number | null;
}

const key = (vendor: Vendor, relation: SyncedRelation) => `${vendor}/${relation}`;

/** How often a replica that does not hold a vendor's lease re-reads its progress (and tries to take over). */
const FOLLOWER_POLL_MS = 1_000;

/**
 * The background sync: one loop per configured vendor runs that vendor's relations in their declared
 * order (those others depend on first), each when due: a pass reads pages from the stored resume
 * cursor (a restart never re-reads page 1 to continue), writes each page's rows and the cursor in
 * the store, and on completion stores the increment mark. Every call is background work in the
 * vendor's scheduler, so interactive requests go first within the same budget. A failing pass keeps
 * what the store holds, records the error and retries with backoff from where it stopped.
 */
export class SyncEngine {
  readonly enabled: boolean;
  private readonly states = new Map<string, SyncStateRow>();
  /** Rows seen by the pass under way, per relation (progress of a first pass). */
  private readonly running = new Map<string, { seen: number; expected: number | null }>();
  private readonly failures = new Map<string, number>();
  private readonly lastFullAt = new Map<string, number>();
  private readonly wakers = new Map<Vendor, () => void>();
  /** Relations to run at the next loop turn whatever their schedule (requestPass, derived relations). */
  private readonly forced = new Set<string>();
  private readonly lastLogAt = new Map<Vendor, number>();
  private readonly passStartedAt = new Map<Vendor, number>();
  private readonly loops: Promise<void>[] = [];
  private stopped = false;
  private readonly now: () => number;
  private readonly startedAt: number;
  private readonly catchUps: RelationCatchUp;

  constructor(private readonly options: SyncEngineOptions) {
    this.enabled = options.settings.enabled;
    this.now = options.now ?? Date.now;
    this.startedAt = this.now();
    // Subscribed before the lease's first attempt (the gateway starts the lease, then the sync).
    options.lease.onChange((vendor, held) => this.leaseChanged(vendor as Vendor, held));
    this.catchUps = new RelationCatchUp({ db: options.db, settings: options.context, maxAgeMs: options.settings.catchUpMaxAgeMs, now: this.now });
  }

  /** A replica that gains a vendor's lease resumes its sync at once, not at its next follower poll. */
  private leaseChanged(vendor: Vendor, held: boolean): void {
    if (!(vendor in this.options.vendors)) return;
    this.options.log?.info({ vendor, leader: held }, held ? `sync lease: this replica now syncs ${vendor}` : `sync lease: this replica no longer syncs ${vendor}`);
    if (held) this.wakers.get(vendor)?.();
  }

  /** Whether this vendor's single-object reads are served from the store after a catch-up (see catch-up.ts). */
  catchesUp(vendor: Vendor): boolean {
    return this.enabled && this.options.vendors[vendor] !== undefined && this.catchUps.covers(vendor);
  }

  /**
   * Before a single-object read from the store: brings the relation's copy up to date with one
   * incremental call shared by every concurrent caller, when it is older than the vendor's bound.
   */
  async catchUp(vendor: Vendor, relation: SyncedRelation, call: CallScope, caller: Caller): Promise<CatchUpOutcome> {
    const spec = this.specsOf(vendor).find((s) => s.relation === relation);
    const http = this.options.vendors[vendor]?.http;
    if (!this.catchesUp(vendor) || !spec || !http) return { kind: 'live', why: 'sync-off' };
    return this.catchUps.run(vendor, http, spec, this.states.get(key(vendor, relation)), call, caller);
  }

  /** The vendors this engine syncs. */
  get vendors(): Vendor[] {
    return Object.keys(this.options.vendors) as Vendor[];
  }

  /** Reads the stored progress and starts one loop per vendor; returns at once. */
  async start(): Promise<void> {
    if (!this.enabled) return;
    await this.reloadStates();
    for (const vendor of this.vendors) this.loops.push(this.loop(vendor));
  }

  /** Stops after the page under way (its rows and cursor are stored, so the next start resumes there). */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const wake of this.wakers.values()) wake();
    await Promise.all(this.loops);
  }

  /** Runs due passes of a vendor now (tests; an operator's nudge): marks every relation due and wakes the loop. */
  requestPass(vendor: Vendor, relation?: SyncedRelation): void {
    for (const spec of this.specsOf(vendor)) {
      if (relation === undefined || spec.relation === relation) this.forced.add(key(vendor, spec.relation));
    }
    this.wakers.get(vendor)?.();
  }

  state(vendor: Vendor, relation: SyncedRelation): RelationStatus {
    const stored = this.states.get(key(vendor, relation)) ?? this.initialState(vendor, relation);
    const run = this.running.get(key(vendor, relation));
    let progress = 1;
    if (stored.lastSyncedAt === null) {
      const expected = run?.expected ?? stored.expectedRows;
      const seen = run?.seen ?? 0;
      progress = expected && expected > 0 ? Math.min(0.99, seen / expected) : 0;
    }
    return { state: stored.state, progress, rows: stored.rows, lastSyncedAt: stored.lastSyncedAt, lastError: stored.lastError };
  }

  /** A vendor's sync: 'initial' until every relation completed once, 'failing' when one fails, else 'current'. */
  vendorState(vendor: Vendor): VendorSyncStatus {
    const relations: Partial<Record<SyncedRelation, RelationStatus>> = {};
    const all = this.specsOf(vendor).map((spec) => (relations[spec.relation] = this.state(vendor, spec.relation)));
    const state: SyncStateName = all.some((r) => r.state === 'initial') ? 'initial' : all.some((r) => r.state === 'failing') ? 'failing' : 'current';
    const synced = all.map((r) => r.lastSyncedAt);
    return {
      state,
      progress: all.length === 0 ? 1 : all.reduce((sum, r) => sum + r.progress, 0) / all.length,
      rows: all.reduce((sum, r) => sum + r.rows, 0),
      // As old as its oldest relation: every relation was synced at least this recently.
      lastSyncedAt: synced.some((t) => t === null) ? null : Math.min(...(synced as number[])),
      lastError: all.find((r) => r.lastError !== null)?.lastError ?? null,
      leader: this.options.lease.holds(vendor),
      relations,
    };
  }

  /** What `extensions.freshness` says of a vendor's stored data. */
  freshness(vendor: Vendor): { lastSyncedAt: number | null; state: SyncStateName } {
    const { lastSyncedAt, state } = this.vendorState(vendor);
    return { lastSyncedAt, state };
  }

  /** Seconds since the vendor's stored data was last complete (its oldest relation), null before the first sync. */
  syncLagSeconds(vendor: Vendor): number | null {
    const { lastSyncedAt } = this.vendorState(vendor);
    return lastSyncedAt === null ? null : Math.max(0, (this.now() - lastSyncedAt) / 1000);
  }

  /** Every vendor has completed its initial sync (what /readyz waits for). */
  initialSyncDone(): boolean {
    return this.vendors.every((vendor) => this.vendorState(vendor).lastSyncedAt !== null);
  }

  /**
   * Read-your-writes: records a mutation has just written (unified records as the vendor answered
   * them) go into the store at once, so lists show them before the next pass. Never throws: the
   * write itself succeeded, and the next pass brings the store level anyway.
   */
  async applyWrite(vendor: Vendor, relation: SyncedRelation, records: readonly unknown[]): Promise<void> {
    if (!this.enabled || records.length === 0) return;
    try {
      await applyWrittenRecords(this.options.db, vendor, relation, records, this.now());
    } catch (error) {
      this.options.log?.warn({ vendor, relation, err: error instanceof Error ? error.message : String(error) }, 'sync: a written record could not be put in the store; the next pass brings it');
    }
  }

  private specsOf(vendor: Vendor): readonly RelationSpec[] {
    return this.options.vendors[vendor]?.relations ?? [];
  }

  private initialState(vendor: Vendor, relation: SyncedRelation): SyncStateRow {
    return { vendor, relation, state: 'initial', highWater: null, resumeCursor: null, rows: 0, expectedRows: null, lastSyncedAt: null, lastError: null, nextRunAt: 0 };
  }

  private async reloadStates(): Promise<void> {
    for (const row of await readSyncStates(this.options.db)) this.states.set(key(row.vendor, row.relation), row);
    for (const vendor of this.vendors) {
      for (const spec of this.specsOf(vendor)) {
        const k = key(vendor, spec.relation);
        if (!this.states.has(k)) this.states.set(k, this.initialState(vendor, spec.relation));
        // A restart counts as a full read for the deletion sweep's schedule (the data is as old as its passes).
        if (!this.lastFullAt.has(k) && this.states.get(k)?.lastSyncedAt != null) this.lastFullAt.set(k, this.startedAt);
      }
    }
  }

  private async loop(vendor: Vendor): Promise<void> {
    while (!this.stopped) {
      try {
        await this.reloadStates();
        if (!this.options.lease.holds(vendor)) {
          await this.sleep(vendor, FOLLOWER_POLL_MS);
          continue;
        }
        for (const spec of this.specsOf(vendor)) {
          if (this.stopped || !this.options.lease.holds(vendor)) break;
          const k = key(vendor, spec.relation);
          const state = this.states.get(k);
          if (state && (state.nextRunAt <= this.now() || this.forced.has(k))) {
            this.forced.delete(k);
            await this.pass(vendor, spec);
          }
        }
      } catch (error) {
        // The store itself failed (a lost PostgreSQL connection): try again shortly.
        this.options.log?.error({ vendor, err: error instanceof Error ? error.message : String(error) }, 'sync: could not read or write the store');
        await this.sleep(vendor, FOLLOWER_POLL_MS);
        continue;
      }
      const next = Math.min(...this.specsOf(vendor).map((spec) => (this.forced.has(key(vendor, spec.relation)) ? 0 : (this.states.get(key(vendor, spec.relation))?.nextRunAt ?? 0))));
      // Followers and a failing store are polled each second; otherwise sleep until a pass is due.
      await this.sleep(vendor, Math.max(10, Math.min(next - this.now(), this.options.settings.maxSleepMs)));
    }
  }

  private sleep(vendor: Vendor, ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wakers.set(vendor, done);
    });
  }

  private async pass(vendor: Vendor, spec: RelationSpec): Promise<void> {
    const k = key(vendor, spec.relation);
    const db = this.options.db;
    const state = { ...(this.states.get(k) ?? this.initialState(vendor, spec.relation)) };
    const now = this.now();
    const resumed = parsePosition(state.resumeCursor);
    const full = resumed?.full ?? (spec.increments === 'none' || state.highWater === null || now - (this.lastFullAt.get(k) ?? 0) >= this.options.settings.fullRereadMs);
    const position: PassPosition = resumed ?? { cursor: '', since: full ? null : state.highWater, full, startedAt: now, mark: full ? null : state.highWater, seen: 0, pages: 0, firstServedAt: null };
    const context = this.contextOf(vendor);
    const token = this.options.lease.token(vendor);
    const run = { seen: position.seen, expected: state.expectedRows };
    this.running.set(k, run);
    this.passStartedAt.set(vendor, this.passStartedAt.get(vendor) ?? now);
    // Relations computed from this one (HAPIHub stock from its transactions). While they are current,
    // each page moves them by what it changes (moveDerived); otherwise they are computed again
    // whole after the pass. Folding all 41,000 transactions again after every pass that brought one
    // held the event loop about 5 s at the budget bench's scale 100.
    const derived = this.specsOf(vendor).filter((s) => s.derivedFrom === spec.relation);
    const derivedCurrent = () => derived.every((d) => (this.states.get(key(vendor, d.relation))?.lastSyncedAt ?? null) !== null);
    let derivedStale = false;
    try {
      for (;;) {
        // Requests being served go first: a page's parsing and store write would sit between their steps.
        await this.options.interactive?.quiet();
        const page = await spec.readPage(context, position.cursor === '' ? null : position.cursor, position.since);
        // A deposed leader must not overwrite its successor's progress (the fencing token).
        if (token !== null && this.options.lease.isCurrent && !(await this.options.lease.isCurrent(vendor, token))) return;
        const at = this.now();
        const moveDerived = derived.length > 0 && page.rows.length > 0 && spec.moveDerived && derivedCurrent() ? spec.moveDerived : null;
        if (derived.length > 0 && page.rows.length > 0 && !moveDerived) derivedStale = true;
        // The derived rows move in the same store transaction as the page's rows: a failure between
        // the two would otherwise count the page twice when it is read again.
        await inOneTransaction(db, async (trx) => {
          if (moveDerived) await moveDerived({ ...context, db: trx }, page.rows, at);
          await upsertRows(trx, vendor, spec.relation, page.rows, at);
        });
        if (page.unchangedKeys?.length) await touchRows(db, vendor, spec.relation, page.unchangedKeys, at);
        position.mark = laterMark(position.mark, page.mark);
        if (position.pages++ === 0) position.firstServedAt = page.servedAt ?? null;
        position.seen += page.rows.length + (page.unchangedKeys?.length ?? 0);
        run.seen = position.seen;
        if (page.expectedRows != null) run.expected = page.expectedRows;
        if (page.next === null) break;
        position.cursor = page.next;
        state.resumeCursor = JSON.stringify(position);
        state.expectedRows = run.expected;
        state.rows = await countStored(db, vendor, spec.relation);
        await this.save(state);
        this.logProgress(vendor, spec.relation, false);
        if (this.stopped || !this.options.lease.holds(vendor)) return;
      }
      if (position.full && (await deleteRowsSyncedBefore(db, vendor, spec.relation, position.startedAt)) > 0) derivedStale = true;
      const done = this.now();
      if (position.full) this.lastFullAt.set(k, done);
      this.failures.delete(k);
      Object.assign(state, {
        state: 'current',
        highWater: spec.increments === 'filter' ? (nextMark(position.mark, position.since, position.pages, position.firstServedAt) ?? state.highWater) : null,
        resumeCursor: null,
        rows: await countStored(db, vendor, spec.relation),
        expectedRows: run.expected,
        lastSyncedAt: done,
        lastError: null,
        nextRunAt: done + (spec.increments === 'filter' ? this.options.settings.intervalMs : this.options.settings.rereadMs[vendor]),
      } satisfies Partial<SyncStateRow>);
      await this.save(state);
      if (derivedStale) this.markDerivedDue(vendor, spec.relation);
      this.logProgress(vendor, spec.relation, true);
    } catch (error) {
      const failures = (this.failures.get(k) ?? 0) + 1;
      this.failures.set(k, failures);
      const { retryBaseMs, retryMaxMs } = this.options.settings;
      const message = error instanceof Error ? error.message : String(error);
      Object.assign(state, {
        // 'failing' says a last good copy is served; a relation never synced stays 'initial' (lists wait).
        state: state.lastSyncedAt === null ? 'initial' : 'failing',
        lastError: message,
        nextRunAt: this.now() + Math.min(retryMaxMs, retryBaseMs * 2 ** (failures - 1)),
      } satisfies Partial<SyncStateRow>);
      await this.save(state).catch(() => undefined);
      this.options.log?.warn({ vendor, relation: spec.relation, code: errorCode(error) ?? 'ERROR', err: message, failures, retryInMs: state.nextRunAt - this.now() }, 'sync pass failed; serving the last good copy');
    } finally {
      this.running.delete(k);
      if (![...this.running.keys()].some((r) => r.startsWith(`${vendor}/`))) this.passStartedAt.delete(vendor);
    }
  }

  private async save(state: SyncStateRow): Promise<void> {
    await writeSyncState(this.options.db, state);
    this.states.set(key(state.vendor, state.relation), { ...state });
  }

  private markDerivedDue(vendor: Vendor, relation: SyncedRelation): void {
    for (const spec of this.specsOf(vendor)) if (spec.derivedFrom === relation) this.forced.add(key(vendor, spec.relation));
  }

  private contextOf(vendor: Vendor): PassContext {
    const http = this.options.vendors[vendor]?.http as VendorHttp;
    return { vendor, http, db: this.options.db, settings: this.options.context, now: () => this.now(), scope: { call: { priority: 'background', client: 'opsgraph-sync' }, noteStale: () => undefined } };
  }

  /** One line per vendor every SYNC_LOG_EVERY_MS while a pass runs (rows, progress, time left), and one when a relation completes. */
  private logProgress(vendor: Vendor, relation: SyncedRelation, completed: boolean): void {
    const log = this.options.log;
    if (!log) return;
    const now = this.now();
    if (!completed && now - (this.lastLogAt.get(vendor) ?? 0) < this.options.settings.logEveryMs) return;
    this.lastLogAt.set(vendor, now);
    const status = this.vendorState(vendor);
    const started = this.passStartedAt.get(vendor) ?? now;
    const elapsed = now - started;
    const etaSeconds = status.progress > 0 && status.progress < 1 ? Math.round((elapsed * (1 - status.progress)) / status.progress / 1000) : null;
    log.info({ vendor, relation, state: status.state, rows: status.rows, progress: Number(status.progress.toFixed(3)), etaSeconds, ...(completed ? { completed: relation } : {}) }, completed ? `sync ${vendor} ${relation}: pass complete` : `sync ${vendor}: ${status.rows} rows`);
  }
}

function parsePosition(text: string | null): PassPosition | null {
  if (!text) return null;
  try {
    const parsed = JSON.parse(text) as Partial<PassPosition>;
    if (typeof parsed.cursor !== 'string' || typeof parsed.full !== 'boolean' || typeof parsed.startedAt !== 'number') return null;
    return { cursor: parsed.cursor, since: parsed.since ?? null, full: parsed.full, startedAt: parsed.startedAt, mark: parsed.mark ?? null, seen: parsed.seen ?? 0, pages: parsed.pages ?? 0, firstServedAt: parsed.firstServedAt ?? null };
  } catch {
    return null;
  }
}
