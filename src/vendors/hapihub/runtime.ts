import type { SourceScope } from '../../cache/scope.js';
import type { InventoryLevelRecord, PageRequest, PageResult, VendorSkuRecord } from '../../model/records.js';
import type { VendorRuntime, VendorRuntimeOptions, VendorSource } from '../types.js';
import { HapihubClient } from './client.js';
import { epochIso, stockRowToLevelRecord, toLevelRecord, toSkuRecord } from './mapping.js';
import type { HapihubTransaction } from './schemas.js';
import { HapihubStockIndex } from './stock-index.js';
import { storedStock } from './stored-stock.js';

/** HAPIHub's stock and the SKUs seen in its transactions, wherever they are kept. */
export interface HapihubStock {
  /** Stock of each SKU code in every warehouse and lot it has been in. */
  levelsOf(codes: readonly string[], scope: SourceScope): Promise<InventoryLevelRecord[][]>;
  /** The SKU of each code (its name as the latest item named it), or null where no transaction names it. */
  skusOf(codes: readonly string[], scope: SourceScope): Promise<(VendorSkuRecord | null)[]>;
  /** SKUs in code order; the cursor is the last code of the page. */
  listSkus(page: PageRequest, scope: SourceScope): Promise<PageResult<VendorSkuRecord>>;
  /** When each lot (by number) expires, ISO-8601, as HAPIHub's items state it; null where none does. */
  lotExpiries(lotNumbers: readonly string[], scope: SourceScope): Promise<(string | null)[]>;
  /** A transaction opsgraph has just written, as HAPIHub answered it (before it is read back). */
  applyWritten(transaction: HapihubTransaction): void;
}

export interface HapihubRuntime extends VendorRuntime {
  vendor: 'HAPIHUB';
  /** Stock and catalog: the synced store (SYNC=on) or the fold of stock-index.ts (SYNC=off). */
  readonly stock: HapihubStock;
}

/**
 * HAPIHub as the gateway sees it: inventory and catalog, both the fold of its transactions (it
 * serves no stock in the document's version; stock-rule.ts). HAPIHub has no orders, invoices or
 * quality data.
 *
 * | where                  | read                                                    | freshness |
 * | ---------------------- | ------------------------------------------------------- | --------- |
 * | SYNC=on: the store     | the sync's `transactions` (`createdAt[$gte]` increments) folded into `inventory` (src/sync/relations/hapihub.ts) | SYNC_INTERVAL_MS, opsgraph's writes at once; 0 calls |
 * | SYNC=off: stock-index.ts | its own single-flight fold, `createdAt[$gte]` increments | stock `liveStockMaxAgeMs`, catalog `referenceMaxAgeMs` |
 *
 * With `hapihubStockSource: 'endpoint'` (HAPIHUB_STOCK_SOURCE=endpoint) stock is HAPIHub's own
 * `GET /inventory-stocks`, read live for the codes asked (one call per 100 codes and 1000 rows,
 * shared by the request's loader batch); the catalog still comes from the fold.
 */
export function createHapihubRuntime(options: VendorRuntimeOptions): HapihubRuntime {
  const stock = options.lookups ? storedStock(options.lookups) : foldedStock(new HapihubStockIndex(options), options);

  const forRequest = (scope: SourceScope): VendorSource => ({
    vendor: 'HAPIHUB',
    catalog: {
      /** 0 calls from the store, or while the fold is within `referenceMaxAgeMs` (else one refresh for the whole batch). */
      skusByCode: (codes) => stock.skusOf(codes, scope),
      listSkus: (page) => stock.listSkus(page, scope),
    },
    inventory: {
      /**
       * 0 calls from the store, or while the fold is within `liveStockMaxAgeMs` (else one refresh
       * for the whole batch). Endpoint: one find of `/inventory-stocks` for the whole batch (see above).
       */
      async levelsByCode(codes) {
        if (options.hapihubStockSource !== 'endpoint') return stock.levelsOf(codes, scope);
        const rows = await new HapihubClient(options.http, scope).stocksOf([...new Set(codes)]);
        const bySku = new Map<string, typeof rows>();
        for (const row of rows) {
          const list = bySku.get(row.sku);
          if (list) list.push(row);
          else bySku.set(row.sku, [row]);
        }
        return codes.map((code) => (bySku.get(code) ?? []).map(stockRowToLevelRecord));
      },
      /** From the store or the fold, also with the stock endpoint (its rows state no expiry); as fresh as stock. */
      lotExpiries: (lotNumbers) => stock.lotExpiries(lotNumbers, scope),
    },
  });

  return {
    vendor: 'HAPIHUB',
    http: options.http,
    stock,
    forRequest,
    invalidateAll: () => {
      if (stock instanceof FoldedStock) stock.index.invalidate();
    },
  };
}

/** SYNC=off: the fold of stock-index.ts; the catalog may be `referenceMaxAgeMs` old (stale when HAPIHub fails), stock `liveStockMaxAgeMs`. */
class FoldedStock implements HapihubStock {
  constructor(
    readonly index: HapihubStockIndex,
    private readonly options: VendorRuntimeOptions,
  ) {}

  async levelsOf(codes: readonly string[], scope: SourceScope): Promise<InventoryLevelRecord[][]> {
    const fold = await this.index.current(this.options.freshness.liveStockMaxAgeMs, scope, false);
    return codes.map((code) => fold.levelsOf(code).map(toLevelRecord));
  }

  async skusOf(codes: readonly string[], scope: SourceScope): Promise<(VendorSkuRecord | null)[]> {
    const fold = await this.index.current(this.options.freshness.referenceMaxAgeMs, scope, true);
    return codes.map((code) => (fold.hasSku(code) ? toSkuRecord(code, fold.nameOf(code)) : null));
  }

  /** 0 calls while the fold is within `liveStockMaxAgeMs`. */
  async lotExpiries(lotNumbers: readonly string[], scope: SourceScope): Promise<(string | null)[]> {
    const fold = await this.index.current(this.options.freshness.liveStockMaxAgeMs, scope, false);
    return lotNumbers.map((lot) => epochIso(fold.expiryOfLot(lot)));
  }

  async listSkus(page: PageRequest, scope: SourceScope): Promise<PageResult<VendorSkuRecord>> {
    const fold = await this.index.current(this.options.freshness.referenceMaxAgeMs, scope, true);
    const codes = fold.skuCodes();
    const start = page.after === null ? 0 : firstAfter(codes, page.after);
    const slice = codes.slice(start, start + page.first);
    return {
      items: slice.map((code) => toSkuRecord(code, fold.nameOf(code))),
      endCursor: slice[slice.length - 1] ?? page.after,
      hasNextPage: start + slice.length < codes.length,
    };
  }

  applyWritten(transaction: HapihubTransaction): void {
    this.index.applyWritten(transaction);
  }
}

function foldedStock(index: HapihubStockIndex, options: VendorRuntimeOptions): FoldedStock {
  return new FoldedStock(index, options);
}

/** Index of the first code after `after` in sorted `codes` (binary search). */
function firstAfter(codes: readonly string[], after: string): number {
  let low = 0;
  let high = codes.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((codes[mid] as string) <= after) low = mid + 1;
    else high = mid;
  }
  return low;
}
