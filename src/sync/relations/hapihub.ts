import { FIND_LIMIT, HapihubClient } from '../../vendors/hapihub/client.js';
import { toFoldable, toLevelRecord, toTransactionRecord, type InventoryTransactionRecord } from '../../vendors/hapihub/mapping.js';
import { StockFold } from '../../vendors/hapihub/stock-fold.js';
import { stockKey } from '../../vendors/hapihub/stock-rule.js';
import type { InventoryLevelRecord } from '../../model/records.js';
import { queryRows, toSortTime, type RowQuery } from '../record-store.js';
import type { PassContext, RelationPage, RelationSpec } from '../relation.js';
import { inventoryRow, transactionRow } from '../rows.js';
import { laterMark } from '../relation.js';
import { moveStoredStock } from '../stock-moves.js';

/**
 * HAPIHub's relations. Transactions are read with Feathers' `createdAt[$gte]=<greatest createdAt
 * seen>` after the first pass (document 003 gives `createdAt` and the Feathers operators; it has no
 * update time), in `$sort[createdAt]=1&$sort[id]=1` order so `$skip` paging neither skips nor
 * repeats, continuing by the rows really served (the cursor is the `$skip`). Patches of old
 * transactions are invisible to that filter: the full re-read (SYNC_FULL_REREAD_MS) catches them,
 * and opsgraph's own writes reach the store at once (applyWrite).
 * `inventory` is no vendor read: the stock folded from the stored transactions with the stock
 * rule (src/vendors/hapihub/stock-rule.ts). It is folded whole once (the first pass), again after a
 * full pass dropped transactions, and otherwise every HAPIHUB_SYNC_REREAD_MS (a day); in between, each
 * page of transactions moves only the levels it touches (src/sync/stock-moves.ts).
 */

const ORDER = [
  ['$sort[createdAt]', '1'],
  ['$sort[id]', '1'],
] as const;

export const hapihubRelations: readonly RelationSpec[] = [
  {
    relation: 'transactions',
    source: 'GET /inventory-transactions',
    increments: 'filter',
    async readPage(ctx, cursor, since): Promise<RelationPage> {
      const skip = cursor === null ? 0 : Number(cursor);
      const filter: [string, string][] = since === null ? [] : [['createdAt[$gte]', String(Date.parse(since))]];
      const page = await new HapihubClient(ctx.http, ctx.scope).find([...filter, ...ORDER, ['$limit', String(FIND_LIMIT)], ['$skip', String(skip)]]);
      const served = skip + page.records.length;
      const ended = page.records.length === 0 || (page.total === null ? page.records.length < FIND_LIMIT : served >= page.total);
      let mark: string | null = null;
      const rows = page.records.map((tx) => {
        const record = toTransactionRecord(tx, (code) => ctx.settings.crosswalk.toCanonical('HAPIHUB', code));
        mark = laterMark(mark, toSortTime(record.createdAt));
        return transactionRow(record);
      });
      return { rows, next: ended ? null : String(served), mark, expectedRows: page.total };
    },
    moveDerived: (ctx, rows, now) => moveStoredStock(ctx.db, rows.map((row) => row.data as InventoryTransactionRecord), now, 'created'),
  },
  {
    relation: 'inventory',
    source: 'stored transactions, folded (0 vendor calls)',
    increments: 'none',
    derivedFrom: 'transactions',
    readPage: foldStoredTransactions,
  },
];

/** Rows of stored transactions read per store query while folding. */
const FOLD_PAGE = 2_000;

/** Every stored transaction, in creation order, folded into levels: one page with every level. */
async function foldStoredTransactions(ctx: PassContext): Promise<RelationPage> {
  const fold = new StockFold();
  const query: RowQuery = { relation: 'transactions', vendors: ['HAPIHUB'], orderBy: 'sort_at', direction: 'asc', first: FOLD_PAGE };
  let after: RowQuery['after'] = null;
  for (;;) {
    const page = await queryRows(ctx.db, { ...query, after });
    for (const row of page.rows) fold.apply(toFoldable(row.data as InventoryTransactionRecord));
    const last = page.rows.at(-1);
    if (!page.hasNext || !last) break;
    after = { value: last.value, vendor: last.vendor, key: last.key };
  }
  // Each level keeps its item's name (the latest an item gave it): the catalog's SKU name (src/vendors/hapihub/stored-stock.ts).
  const rows = fold.allLevels().map((level) => inventoryRow(stockKey(level.sku, level.control, level.warehouse), withName(toLevelRecord(level), fold.nameOf(level.sku))));
  return { rows, next: null, mark: null, expectedRows: rows.length };
}

function withName(level: InventoryLevelRecord, name: string | null): InventoryLevelRecord {
  return Object.assign(level, { name });
}
