import type { ExpressionBuilder, Kysely, Transaction } from 'kysely';
import type { Vendor } from '../model/records.js';
import { toUtcIso } from '../model/time.js';
import type { StoreSchema } from '../store/schema.js';

/**
 * The synced copy of each vendor's list data (tables of migration 0002), read and written with one
 * query text for SQLite and PostgreSQL. The sync engine (src/sync/engine.ts) writes it; lists and
 * exports read it. Keyset pages compare the triple (order column, vendor, key), which every index
 * ends with, so a page costs the same wherever it starts.
 */

export type SyncedRelation =
  | 'orders'
  | 'invoices'
  | 'skus'
  | 'parts'
  | 'inspections'
  | 'ncrs'
  | 'purchases'
  | 'transactions'
  | 'batches'
  | 'companies'
  | 'locations'
  | 'customers'
  | 'inventory'
  | 'orderChannels';

export type TagKind = 'sku' | 'lot';

export interface StoredRow {
  key: string;
  /** The relation's own time in the form of `toSortTime`, or ''. */
  sortAt: string;
  number: string;
  status: string;
  customer: string;
  parentKey: string;
  /** The vendor's own updated time in the form of `toSortTime`, or ''. */
  vendorUpdatedAt: string;
  /** Multi-valued filter attributes; replace the row's previous tags. */
  tags?: { kind: TagKind; value: string }[];
  data: unknown;
}

export interface RowQuery {
  relation: SyncedRelation;
  vendors?: readonly Vendor[];
  statuses?: readonly string[];
  customer?: string;
  number?: string;
  tag?: { kind: TagKind; value: string };
  parentKeys?: readonly string[];
  /** sort_at >= sortFrom (inclusive). */
  sortFrom?: string;
  /** sort_at < sortTo (exclusive: consecutive ranges never share a row). */
  sortTo?: string;
  /** vendor_updated_at >= updatedSince (inclusive: an incremental pull never misses a tie). */
  updatedSince?: string;
  orderBy: 'sort_at' | 'number' | 'vendor_updated_at';
  direction: 'asc' | 'desc';
  /** The last row of the previous page: its order-column value, vendor and key. */
  after?: { value: string; vendor: string; key: string } | null;
  first: number;
}

export interface QueriedRow {
  vendor: Vendor;
  key: string;
  /** The row's value of the order column (what a cursor carries). */
  value: string;
  data: unknown;
}

export type SyncStateName = 'initial' | 'current' | 'failing';

export interface SyncStateRow {
  vendor: Vendor;
  relation: SyncedRelation;
  state: SyncStateName;
  /** The increment mark (e.g. the greatest updated time seen), null before the first pass. */
  highWater: string | null;
  /** The vendor page cursor/url of an unfinished pass: a restart continues there. */
  resumeCursor: string | null;
  rows: number;
  expectedRows: number | null;
  lastSyncedAt: number | null;
  lastError: string | null;
  nextRunAt: number;
}

type Db = Kysely<StoreSchema> | Transaction<StoreSchema>;

/** Rows per INSERT: 11 parameters each stays far below SQLite's and PostgreSQL's parameter limits. */
const CHUNK = 500;

/**
 * A time as the store's sort text, `YYYY-MM-DDTHH:MM:SS.ffffffZ` (always six fraction digits, so text
 * order is time order), or '' when absent or unreadable. Filters given by users go through it too.
 */
export function toSortTime(value: string | null | undefined): string {
  const iso = toUtcIso(value ?? null);
  if (!iso) return '';
  // toUtcIso keeps 3 or 6 fraction digits; pad to 6.
  return iso.length === 24 ? `${iso.slice(0, 23)}000Z` : iso;
}

/** Runs `work` in one store transaction: the caller's, when `db` is one already, else a new one. */
export function inOneTransaction<T>(db: Kysely<StoreSchema>, work: (trx: Kysely<StoreSchema>) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}

/** Inserts or replaces rows (by vendor, relation, key) and their tags, in one transaction (or the caller's). */
export async function upsertRows(db: Kysely<StoreSchema>, vendor: Vendor, relation: SyncedRelation, rows: StoredRow[], now = Date.now()): Promise<void> {
  if (rows.length === 0) return;
  // The last copy of a key wins within one call (a page may repeat a record that moved).
  const byKey = new Map<string, StoredRow>();
  for (const row of rows) byKey.set(row.key, row);
  const unique = [...byKey.values()];
  await inOneTransaction(db, async (trx) => {
    for (let i = 0; i < unique.length; i += CHUNK) {
      const chunk = unique.slice(i, i + CHUNK);
      await trx
        .insertInto('synced_record')
        .values(
          chunk.map((row) => ({
            vendor,
            relation,
            key: row.key,
            sort_at: row.sortAt,
            number: row.number,
            status: row.status,
            customer: row.customer,
            parent_key: row.parentKey,
            vendor_updated_at: row.vendorUpdatedAt,
            synced_at: now,
            data: JSON.stringify(row.data),
          })),
        )
        .onConflict((oc) =>
          oc.columns(['vendor', 'relation', 'key']).doUpdateSet((eb) => ({
            sort_at: eb.ref('excluded.sort_at'),
            number: eb.ref('excluded.number'),
            status: eb.ref('excluded.status'),
            customer: eb.ref('excluded.customer'),
            parent_key: eb.ref('excluded.parent_key'),
            vendor_updated_at: eb.ref('excluded.vendor_updated_at'),
            synced_at: eb.ref('excluded.synced_at'),
            data: eb.ref('excluded.data'),
          })),
        )
        .execute();
      await trx
        .deleteFrom('synced_record_tag')
        .where('vendor', '=', vendor)
        .where('relation', '=', relation)
        .where(
          'key',
          'in',
          chunk.map((row) => row.key),
        )
        .execute();
      const tags = chunk.flatMap((row) => uniqueTags(row).map((tag) => ({ vendor, relation, key: row.key, kind: tag.kind, value: tag.value })));
      for (let t = 0; t < tags.length; t += CHUNK) {
        await trx
          .insertInto('synced_record_tag')
          .values(tags.slice(t, t + CHUNK))
          .execute();
      }
    }
  });
}

function uniqueTags(row: StoredRow): { kind: TagKind; value: string }[] {
  const seen = new Map<string, { kind: TagKind; value: string }>();
  for (const tag of row.tags ?? []) if (tag.value !== '') seen.set(`${tag.kind}\u0000${tag.value}`, tag);
  return [...seen.values()];
}

/** Marks rows as seen by a pass without rewriting them (their vendor record did not change). */
export async function touchRows(db: Kysely<StoreSchema>, vendor: Vendor, relation: SyncedRelation, keys: readonly string[], now = Date.now()): Promise<void> {
  for (let i = 0; i < keys.length; i += CHUNK) {
    await db
      .updateTable('synced_record')
      .set({ synced_at: now })
      .where('vendor', '=', vendor)
      .where('relation', '=', relation)
      .where('key', 'in', keys.slice(i, i + CHUNK))
      .execute();
  }
}

/** Removes the rows a completed full pass did not see (written before it started): the vendor no longer lists them. */
export async function deleteRowsSyncedBefore(db: Kysely<StoreSchema>, vendor: Vendor, relation: SyncedRelation, before: number): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const stale = trx.selectFrom('synced_record').select('key').where('vendor', '=', vendor).where('relation', '=', relation).where('synced_at', '<', before);
    await trx.deleteFrom('synced_record_tag').where('vendor', '=', vendor).where('relation', '=', relation).where('key', 'in', stale).execute();
    const result = await trx.deleteFrom('synced_record').where('vendor', '=', vendor).where('relation', '=', relation).where('synced_at', '<', before).executeTakeFirst();
    return Number(result.numDeletedRows);
  });
}

/** Removes rows and their tags (records the vendor no longer lists). */
export async function deleteRows(db: Kysely<StoreSchema>, vendor: Vendor, relation: SyncedRelation, keys: string[]): Promise<void> {
  if (keys.length === 0) return;
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < keys.length; i += CHUNK) {
      const chunk = keys.slice(i, i + CHUNK);
      await trx.deleteFrom('synced_record_tag').where('vendor', '=', vendor).where('relation', '=', relation).where('key', 'in', chunk).execute();
      await trx.deleteFrom('synced_record').where('vendor', '=', vendor).where('relation', '=', relation).where('key', 'in', chunk).execute();
    }
  });
}

type RecordFilter = Omit<RowQuery, 'after' | 'first' | 'orderBy' | 'direction'>;

/** The WHERE of a list query, shared by queryRows and countRows so a count always matches its pages. */
function applyFilters(eb: ExpressionBuilder<StoreSchema, 'synced_record'>, q: RecordFilter) {
  const conditions = [eb('synced_record.relation', '=', q.relation)];
  if (q.vendors) conditions.push(q.vendors.length === 0 ? eb.lit(false) : eb('synced_record.vendor', 'in', [...q.vendors]));
  if (q.statuses) conditions.push(q.statuses.length === 0 ? eb.lit(false) : eb('synced_record.status', 'in', [...q.statuses]));
  if (q.parentKeys) conditions.push(q.parentKeys.length === 0 ? eb.lit(false) : eb('synced_record.parent_key', 'in', [...q.parentKeys]));
  if (q.customer !== undefined) conditions.push(eb('synced_record.customer', '=', q.customer));
  if (q.number !== undefined) conditions.push(eb('synced_record.number', '=', q.number));
  if (q.sortFrom !== undefined) conditions.push(eb('synced_record.sort_at', '>=', q.sortFrom));
  if (q.sortTo !== undefined) conditions.push(eb('synced_record.sort_at', '<', q.sortTo));
  if (q.updatedSince !== undefined) conditions.push(eb('synced_record.vendor_updated_at', '>=', q.updatedSince));
  if (q.tag) {
    const tag = q.tag;
    conditions.push(
      eb.exists(
        eb
          .selectFrom('synced_record_tag as t')
          .select('t.key')
          .whereRef('t.vendor', '=', 'synced_record.vendor')
          .whereRef('t.relation', '=', 'synced_record.relation')
          .whereRef('t.key', '=', 'synced_record.key')
          .where('t.kind', '=', tag.kind)
          .where('t.value', '=', tag.value),
      ),
    );
  }
  return eb.and(conditions);
}

/**
 * One keyset page: rows strictly after (or before, for 'desc') the `after` triple, in (order column,
 * vendor, key) order, with `hasNext` from fetching one row more than asked.
 */
export async function queryRows(db: Kysely<StoreSchema>, q: RowQuery): Promise<{ rows: QueriedRow[]; hasNext: boolean }> {
  const column = `synced_record.${q.orderBy}` as const;
  const comparison = q.direction === 'asc' ? '>' : '<';
  let query = db
    .selectFrom('synced_record')
    .select(['synced_record.vendor', 'synced_record.key', `${column} as value`, 'synced_record.data'])
    .where((eb) => applyFilters(eb, q));
  if (q.after) {
    const after = q.after;
    query = query.where((eb) => eb(eb.refTuple(column, 'synced_record.vendor', 'synced_record.key'), comparison, eb.tuple(after.value, after.vendor, after.key)));
  }
  const found = await query
    .orderBy(column, q.direction)
    .orderBy('synced_record.vendor', q.direction)
    .orderBy('synced_record.key', q.direction)
    .limit(q.first + 1)
    .execute();
  const hasNext = found.length > q.first;
  const rows = found.slice(0, q.first).map((row) => ({ vendor: row.vendor as Vendor, key: row.key, value: row.value, data: JSON.parse(row.data) as unknown }));
  return { rows, hasNext };
}

/** How many rows a list's filters match (the connection's totalCount). */
export async function countRows(db: Kysely<StoreSchema>, q: RecordFilter): Promise<number> {
  const row = await db
    .selectFrom('synced_record')
    .select((eb) => eb.fn.countAll<number | string | bigint>().as('count'))
    .where((eb) => applyFilters(eb, q))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** The stored records of the given keys (absent keys are absent from the map). */
export async function rowsByKey(db: Kysely<StoreSchema>, vendor: Vendor, relation: SyncedRelation, keys: readonly string[]): Promise<Map<string, unknown>> {
  const result = new Map<string, unknown>();
  const unique = [...new Set(keys)];
  for (let i = 0; i < unique.length; i += CHUNK) {
    const found = await db
      .selectFrom('synced_record')
      .select(['key', 'data'])
      .where('vendor', '=', vendor)
      .where('relation', '=', relation)
      .where('key', 'in', unique.slice(i, i + CHUNK))
      .execute();
    for (const row of found) result.set(row.key, JSON.parse(row.data) as unknown);
  }
  return result;
}

/** The stored records of each parent key, in sort_at then key order (a parent without rows maps to []). */
export async function rowsByParent(db: Kysely<StoreSchema>, vendor: Vendor, relation: SyncedRelation, parentKeys: readonly string[]): Promise<Map<string, unknown[]>> {
  const unique = [...new Set(parentKeys)];
  const result = new Map<string, unknown[]>(unique.map((key) => [key, []]));
  for (let i = 0; i < unique.length; i += CHUNK) {
    const found = await db
      .selectFrom('synced_record')
      .select(['parent_key', 'data'])
      .where('relation', '=', relation)
      .where('vendor', '=', vendor)
      .where('parent_key', 'in', unique.slice(i, i + CHUNK))
      .orderBy('sort_at')
      .orderBy('key')
      .execute();
    for (const row of found) result.get(row.parent_key)?.push(JSON.parse(row.data) as unknown);
  }
  return result;
}

/** The stored records whose `number` (a SKU's code, a part's identification) is each of `numbers`, in key order. */
export async function rowsByNumber(db: Kysely<StoreSchema>, vendor: Vendor, relation: SyncedRelation, numbers: readonly string[]): Promise<Map<string, unknown[]>> {
  const unique = [...new Set(numbers)];
  const result = new Map<string, unknown[]>(unique.map((n) => [n, []]));
  for (let i = 0; i < unique.length; i += CHUNK) {
    const found = await db
      .selectFrom('synced_record')
      .select(['number', 'data'])
      .where('relation', '=', relation)
      .where('number', 'in', unique.slice(i, i + CHUNK))
      .where('vendor', '=', vendor)
      .orderBy('key')
      .execute();
    for (const row of found) result.get(row.number)?.push(JSON.parse(row.data) as unknown);
  }
  return result;
}

/** The stored records tagged with each value (e.g. inspections of a lot), in sort_at then key order. */
export async function rowsByTag(db: Kysely<StoreSchema>, vendor: Vendor, relation: SyncedRelation, kind: TagKind, values: readonly string[]): Promise<Map<string, unknown[]>> {
  const unique = [...new Set(values)];
  const result = new Map<string, unknown[]>(unique.map((v) => [v, []]));
  for (let i = 0; i < unique.length; i += CHUNK) {
    const found = await db
      .selectFrom('synced_record_tag as t')
      .innerJoin('synced_record as r', (join) => join.onRef('r.vendor', '=', 't.vendor').onRef('r.relation', '=', 't.relation').onRef('r.key', '=', 't.key'))
      .select(['t.value', 'r.data'])
      .where('t.relation', '=', relation)
      .where('t.kind', '=', kind)
      .where('t.value', 'in', unique.slice(i, i + CHUNK))
      .where('t.vendor', '=', vendor)
      .orderBy('r.sort_at')
      .orderBy('r.key')
      .execute();
    for (const row of found) result.get(row.value)?.push(JSON.parse(row.data) as unknown);
  }
  return result;
}

const num = (value: number | string | bigint | null): number | null => (value === null ? null : Number(value));

export async function readSyncStates(db: Db): Promise<SyncStateRow[]> {
  const rows = await db.selectFrom('sync_state').selectAll().orderBy('vendor').orderBy('relation').execute();
  return rows.map((row) => ({
    vendor: row.vendor as Vendor,
    relation: row.relation as SyncedRelation,
    state: row.state as SyncStateName,
    highWater: row.high_water,
    resumeCursor: row.resume_cursor,
    rows: Number(row.rows),
    expectedRows: num(row.expected_rows),
    lastSyncedAt: num(row.last_synced_at),
    lastError: row.last_error,
    nextRunAt: Number(row.next_run_at),
  }));
}

export async function writeSyncState(db: Db, row: SyncStateRow): Promise<void> {
  const values = {
    state: row.state,
    high_water: row.highWater,
    resume_cursor: row.resumeCursor,
    rows: row.rows,
    expected_rows: row.expectedRows,
    last_synced_at: row.lastSyncedAt,
    last_error: row.lastError,
    next_run_at: row.nextRunAt,
  };
  await db
    .insertInto('sync_state')
    .values({ vendor: row.vendor, relation: row.relation, ...values })
    .onConflict((oc) => oc.columns(['vendor', 'relation']).doUpdateSet(values))
    .execute();
}

/** How many rows the store holds for one vendor's relation. */
export async function countStored(db: Db, vendor: Vendor, relation: SyncedRelation): Promise<number> {
  const row = await db
    .selectFrom('synced_record')
    .select((eb) => eb.fn.countAll<number | string | bigint>().as('count'))
    .where('vendor', '=', vendor)
    .where('relation', '=', relation)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Whether any row of one vendor's relation was written at or after `since` (epoch ms). */
export async function writtenSince(db: Db, vendor: Vendor, relation: SyncedRelation, since: number): Promise<boolean> {
  const row = await db.selectFrom('synced_record').select('key').where('vendor', '=', vendor).where('relation', '=', relation).where('synced_at', '>=', since).limit(1).executeTakeFirst();
  return row !== undefined;
}
