import type { Kysely } from 'kysely';
import type { Crosswalk } from '../catalog/crosswalk.js';
import type { SourceScope } from '../cache/scope.js';
import type { VendorHttp } from '../http/vendor-http.js';
import type { Vendor } from '../model/records.js';
import type { StoreSchema } from '../store/schema.js';
import type { VendorSettings } from '../vendors/types.js';
import { toSortTime, type StoredRow, type SyncedRelation } from './record-store.js';

/**
 * One vendor relation the sync keeps, declared once (src/sync/relations/<vendor>.ts): where its
 * pages come from, how it continues, how it reads only what changed, and the row it stores. The
 * engine (engine.ts) does the rest: scheduling, resuming, high-water marks, failures, progress.
 */
export interface RelationSpec {
  relation: SyncedRelation;
  /** The vendor call, for docs and logs (`GET /public/v1/orders`). */
  source: string;
  /**
   * `filter`: the vendor can list only what changed since a mark (`readPage` gets `since`), so
   * passes after the first read the increment; a full re-read runs every SYNC_FULL_REREAD_MS to drop
   * deleted records. `none`: every pass reads the whole relation, on the vendor's re-read schedule.
   */
  increments: 'filter' | 'none';
  /**
   * The relation this one is computed from (HAPIHub stock from its transactions). It is computed
   * whole before its first pass completes, after a full pass of its source dropped rows, and on its
   * vendor's re-read schedule (<VENDOR>_SYNC_REREAD_MS); in between, its source's `moveDerived`
   * moves it page by page.
   */
  derivedFrom?: SyncedRelation;
  /**
   * Moves what is derived from this relation (HAPIHub stock from its transactions) by a page of
   * its rows, before they replace the stored ones, so the derived relation need not be computed
   * again from every row. Called only while the derived relations are current: before their first
   * pass completes, and after a full pass deleted rows, they are computed again whole.
   */
  moveDerived?: (ctx: PassContext, rows: readonly StoredRow[], now: number) => Promise<void>;
  /** One page from `cursor` (null: the first), of the records changed at or after `since` (null: all). */
  readPage(ctx: PassContext, cursor: string | null, since: string | null): Promise<RelationPage>;
}

export interface RelationPage {
  rows: StoredRow[];
  /** Keys the page listed that are unchanged and kept as stored (not rewritten, still present). */
  unchangedKeys?: string[];
  /** Where the next page starts; null after the last. Stored as resume_cursor while a pass runs. */
  next: string | null;
  /** The greatest increment mark among the page's records (for `filter` relations). */
  mark: string | null;
  /** How many records the whole list holds, when the vendor says (progress). */
  expectedRows?: number | null;
  /** When the vendor served the page by its own clock (HTTP `Date`), where it says: bounds the next mark (`nextMark`). */
  servedAt?: number | null;
}

/**
 * What a relation's page reader gets: the vendor's HTTP client as background work, and the store.
 * Each pass gets its own, so a reader may keep what it computed for the pass's next pages by it.
 */
export interface PassContext {
  vendor: Vendor;
  http: VendorHttp;
  /** Background priority: interactive requests go first in the vendor's scheduler. */
  scope: SourceScope;
  db: Kysely<StoreSchema>;
  settings: SyncVendorSettings;
  /** The engine's clock, which stamps what the sync and opsgraph's writes store (`synced_at`). */
  now: () => number;
}

export interface SyncVendorSettings {
  vendorSettings?: VendorSettings;
  crosswalk: Crosswalk;
}

/** The greater of two marks (text in one fixed form, so text order is time order). */
export function laterMark(a: string | null, b: string | null): string | null {
  if (a === null || a === '') return b === '' ? null : b;
  if (b === null || b === '') return a;
  return b > a ? b : a;
}

/**
 * How long before the vendor's clock at a pass's first page the next pass starts, at the latest:
 * the `Date` header counts whole seconds, and the clock that stamps `updated_datetime` (Distru's
 * database) may run a little apart from its web servers'.
 */
export const VENDOR_CLOCK_MARGIN_MS = 5_000;

/**
 * The mark the next pass reads from (inclusive: `updated_datetime=<mark>,`), after a pass that saw
 * records up to `seen`.
 *
 * - **Several pages.** A pass of several pages was not one snapshot: Distru pages by number over
 *   rows in creation order, so a record changed while the pass read joins the list at its old
 *   place, on a page already read, and is missed; and when a record changed later was read on a
 *   later page, `seen` is past the missed one's time, so no increment from `seen` would ever return
 *   it (the budget bench's 100 changed orders never all showed when they changed 1.7 s into a
 *   pass). Every record changed after the first page was served carries a time at or after that
 *   page's `Date`: the next pass starts no later than that, less VENDOR_CLOCK_MARGIN_MS, and never
 *   before `since`. It reads again what changed during this pass (usually a page).
 * - **Settled.** When `seen` is before that bound, no record can be stamped with `seen` any more,
 *   and the pass read every record stamped with it: the next pass starts just after it. Starting at
 *   it would read those records again on every pass, for good: at the budget bench's scale 100 the
 *   sandbox stamps 727 orders with one time, and each increment and each `order(id:)` catch-up
 *   re-read their 30 pages, 15 s of Distru's budget every 30 s, so screens timed out.
 * - **One page, recent**: one snapshot, `seen` itself. Without the vendor's clock (no `Date`),
 *   `seen` itself: records at it are read again, never missed.
 */
export function nextMark(seen: string | null, since: string | null, pages: number, firstServedAt: number | null): string | null {
  if (seen === null || firstServedAt === null || seen === since) return seen;
  const bound = toSortTime(new Date(firstServedAt - VENDOR_CLOCK_MARGIN_MS).toISOString());
  if (seen < bound) return laterMark(since, justAfter(seen));
  if (pages <= 1) return seen;
  return laterMark(since, bound);
}

/** The mark one microsecond after `mark` (`YYYY-MM-DDTHH:MM:SS.ffffffZ`, as toSortTime writes it). */
export function justAfter(mark: string): string {
  const micros = BigInt(Date.parse(`${mark.slice(0, 23)}Z`)) * 1000n + BigInt(mark.slice(23, 26)) + 1n;
  return `${new Date(Number(micros / 1000n)).toISOString().slice(0, 23)}${String(micros % 1000n).padStart(3, '0')}Z`;
}
