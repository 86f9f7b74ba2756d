import { FIND_LIMIT, HapihubClient } from '../../vendors/hapihub/client.js';
import { toFoldable, toLevelRecord, toTransactionRecord, type InventoryTransactionRecord } from '../../vendors/hapihub/mapping.js';
import { StockFold, type FoldedLevel } from '../../vendors/hapihub/stock-fold.js';
import { stockKey } from '../../vendors/hapihub/stock-rule.js';
import type { InventoryLevelRecord } from '../../model/records.js';
import { queryRows, toSortTime, writtenSince, type RowQuery } from '../record-store.js';
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
 * rule (src/vendors/hapihub/stock-rule.ts), written a page of levels at a time. It is folded whole
 * once (the first pass), again after a full pass dropped transactions, and otherwise every
 * HAPIHUB_SYNC_REREAD_MS (a day); in between, each page of transactions moves only the levels it
 * touches (src/sync/stock-moves.ts).
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
/** Levels written per page of a whole fold: the fold is kept for its pass, its rows made a page at a time. */
const LEVELS_PAGE = 2_000;

interface PassFold {
  fold: StockFold;
  levels: readonly FoldedLevel[];
  /** Epoch ms before the fold read the first stored transaction. */
  foldedAt: number;
  /** Folds this pass has made, this one included. */
  folds: number;
}

/** The fold a pass made at its first page, for its next ones (the engine gives each pass its own context). */
const foldOfPass = new WeakMap<PassContext, PassFold>();

/**
 * Every stored transaction, in creation order, folded into levels, written `LEVELS_PAGE` levels a
 * page. At scale 100 (41,000 transactions, 33,000 levels) all levels' rows at once kept about 70 MB
 * more until they were written.
 */
async function foldStoredTransactions(ctx: PassContext, cursor: string | null): Promise<RelationPage> {
  const before = foldOfPass.get(ctx);
  let start = Number(cursor ?? 0);
  // Level 0 is a fold's first page (or a new fold, asked for by the last page below). A pass resumed
  // by a new process, or after a failed page, has no fold either: it folds again and writes every
  // level from the first, since its end deletes the levels it did not write.
  let pass = start === 0 ? undefined : before;
  if (!pass) {
    const foldedAt = ctx.now();
    const fold = await foldAll(ctx);
    pass = { fold, levels: fold.allLevels(), foldedAt, folds: (before?.folds ?? 0) + 1 };
    foldOfPass.set(ctx, pass);
    start = 0;
  }
  const { fold, levels } = pass;
  const end = Math.min(levels.length, start + LEVELS_PAGE);
  // Each level keeps its item's name (the latest an item gave it): the catalog's SKU name (src/vendors/hapihub/stored-stock.ts).
  const rows = levels.slice(start, end).map((level) => inventoryRow(stockKey(level.sku, level.control, level.warehouse), withName(toLevelRecord(level), fold.nameOf(level.sku))));
  if (end < levels.length) return { rows, next: String(end), mark: null, expectedRows: levels.length };
  // A transaction opsgraph wrote meanwhile (read-your-writes; the sync's own passes of this vendor
  // run one at a time) moved stored levels this fold's pages may have written over: fold once more.
  // Once only, so that steady writes cannot hold the vendor's sync in folds; the levels a second
  // fold missed too are right again at the next whole fold.
  const again = pass.folds < 2 && (await writtenSince(ctx.db, 'HAPIHUB', 'transactions', pass.foldedAt));
  if (!again) foldOfPass.delete(ctx);
  return { rows, next: again ? '0' : null, mark: null, expectedRows: levels.length };
}

async function foldAll(ctx: PassContext): Promise<StockFold> {
  const fold = new StockFold({ distinct: true });
  const query: RowQuery = { relation: 'transactions', vendors: ['HAPIHUB'], orderBy: 'sort_at', direction: 'asc', first: FOLD_PAGE };
  let after: RowQuery['after'] = null;
  for (;;) {
    const page = await queryRows(ctx.db, { ...query, after });
    for (const row of page.rows) fold.apply(toFoldable(row.data as InventoryTransactionRecord));
    const last = page.rows.at(-1);
    if (!page.hasNext || !last) break;
    after = { value: last.value, vendor: last.vendor, key: last.key };
  }
  return fold;
}

function withName(level: InventoryLevelRecord, name: string | null): InventoryLevelRecord {
  return Object.assign(level, { name });
}
