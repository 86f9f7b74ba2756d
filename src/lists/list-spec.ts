import type { Vendor } from '../model/records.js';
import type { RowQuery, SyncedRelation } from '../sync/record-store.js';
import type { Kysely } from 'kysely';
import type { Crosswalk } from '../catalog/crosswalk.js';
import type { GatewayContext } from '../server/context.js';
import type { StoreSchema } from '../store/schema.js';

/** The GraphQL `ListOrderField` and `SortDirection` values. */
export type OrderField = 'TIME' | 'NUMBER' | 'UPDATED';
export type Direction = 'ASC' | 'DESC';
export const ORDER_FIELDS: readonly OrderField[] = ['TIME', 'NUMBER', 'UPDATED'];
export const DIRECTIONS: readonly Direction[] = ['ASC', 'DESC'];

/** The store column each ordering reads (src/sync/record-store.ts keeps an index per column). */
export const ORDER_COLUMN: Record<OrderField, RowQuery['orderBy']> = { TIME: 'sort_at', NUMBER: 'number', UPDATED: 'vendor_updated_at' };

export interface ListOrder {
  field: OrderField;
  direction: Direction;
}

/**
 * What the store can filter on, for one group of vendors (RowQuery without paging and ordering);
 * `relation` only where a list reads more than one (SKUs: Distru and Pharus products, ISOlocity
 * parts, HAPIHub stock), else the list's own.
 */
export type RowFilter = Omit<RowQuery, 'relation' | 'orderBy' | 'direction' | 'after' | 'first'> & { relation?: SyncedRelation };

/**
 * A filter as the store runs it: one or more row filters whose results are merged in one ordering
 * (more than one only when vendors spell a SKU code differently, see the crosswalk), and a check
 * the store cannot make, applied to each row after reading (an NCR's source). `empty` = nothing
 * can match (e.g. only vendors this list does not hold), answered without reading.
 */
export interface FilterPlan<N> {
  parts: RowFilter[];
  residual?: (node: N, vendor: Vendor, key: string) => boolean | Promise<boolean>;
  /** How many rows match, where neither the store's count nor reading every row is the answer (SKUs across vendors). */
  count?: () => Promise<number>;
  empty?: boolean;
}

/**
 * One list of the synced store, declared once and served by both the GraphQL connection and the
 * export (`/export/<name>.csv`): which relation and vendors hold it, which orderings it has, how its
 * filter becomes a store query, and how a stored row becomes its GraphQL object.
 * `F` is the filter input as GraphQL (or the export's query parameters) gives it.
 */
export interface ListSpec<F, N> {
  /** The list's name in cursors, export URLs and errors ("orders"). */
  name: string;
  relation: SyncedRelation;
  /** The vendors whose rows the list holds. */
  vendors: readonly Vendor[];
  /** The orderings the list has. */
  orderFields: readonly OrderField[];
  defaultOrder: ListOrder;
  /** Validates the filter (BAD_USER_INPUT on `<field>.<name>`) and turns it into store filters. */
  plan(filter: F | null | undefined, ctx: ListContext, field: string): FilterPlan<N> | Promise<FilterPlan<N>>;
  /** The GraphQL object of a stored row (`data` is what the sync wrote). */
  node(vendor: Vendor, key: string, data: unknown, ctx: ListContext): N;
}

/** What a list needs of the request (a GraphQL request or an export): the crosswalk, the store, the configured vendors. */
export interface ListContext {
  crosswalk: Crosswalk;
  db: Kysely<StoreSchema>;
  configuredVendors(): readonly Vendor[];
  /** A vendor the list would read is not configured: reported in `extensions.skippedVendors` (GraphQL). */
  noteSkipped(vendor: Vendor): void;
}

export function listContextOf(ctx: GatewayContext): ListContext {
  return { crosswalk: ctx.crosswalk, db: ctx.runtime.store.db, configuredVendors: () => ctx.loaders.configuredVendors(), noteSkipped: (v) => ctx.loaders.noteSkipped(v) };
}
