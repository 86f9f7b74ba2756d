import type { Kysely } from 'kysely';
import type { Crosswalk } from '../catalog/crosswalk.js';
import type { SourceScope } from '../cache/scope.js';
import type { VendorHttp } from '../http/vendor-http.js';
import type { Vendor } from '../model/records.js';
import type { StoreSchema } from '../store/schema.js';
import type { VendorSettings } from '../vendors/types.js';
import type { StoredRow, SyncedRelation } from './record-store.js';

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
  /** Run again, at once, after a pass of this relation changed rows (HAPIHub stock after its transactions). */
  derivedFrom?: SyncedRelation;
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
}

/** What a relation's page reader gets: the vendor's HTTP client as background work, and the store. */
export interface PassContext {
  vendor: Vendor;
  http: VendorHttp;
  /** Background priority: interactive requests go first in the vendor's scheduler. */
  scope: SourceScope;
  db: Kysely<StoreSchema>;
  settings: SyncVendorSettings;
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
