import type { SourceScope } from '../../cache/scope.js';
import type { PageRequest, PageResult, VendorSkuRecord } from '../../model/records.js';
import type { VendorRuntime, VendorRuntimeOptions, VendorSource } from '../types.js';
import { HapihubClient } from './client.js';
import { epochIso, stockRowToLevelRecord, toLevelRecord, toSkuRecord } from './mapping.js';
import { HapihubStockIndex } from './stock-index.js';

export interface HapihubRuntime extends VendorRuntime {
  /** The fold behind stock and catalog; writes fold what they wrote into it (`applyWritten`). */
  readonly stock: HapihubStockIndex;
}

/**
 * HAPIHub as the gateway sees it: inventory and catalog, both answered from one cross-request
 * fold of the transactions. Stock may be `liveStockMaxAgeMs` old, the catalog (SKUs seen in
 * items) `referenceMaxAgeMs`. HAPIHub has no orders, invoices or quality data.
 *
 * With `hapihubStockSource: 'endpoint'` (HAPIHUB_STOCK_SOURCE=endpoint) stock is HAPIHub's own
 * `GET /inventory-stocks`, read live for the codes asked (one call per 100 codes and 1000 rows,
 * shared by the request's loader batch); the catalog still comes from the fold.
 */
export function createHapihubRuntime(options: VendorRuntimeOptions): HapihubRuntime {
  const stock = new HapihubStockIndex(options);
  const { liveStockMaxAgeMs, referenceMaxAgeMs } = options.freshness;

  const forRequest = (scope: SourceScope): VendorSource => ({
    vendor: 'HAPIHUB',
    catalog: {
      /** 0 calls while the fold is within `referenceMaxAgeMs`, else one refresh for the whole batch. */
      async skusByCode(codes) {
        const fold = await stock.current(referenceMaxAgeMs, scope, true);
        return codes.map((code) => (fold.hasSku(code) ? toSkuRecord(code, fold.nameOf(code)) : null));
      },
      /** In code order; the cursor is the last code of the page, so pages hold while SKUs appear. */
      async listSkus(page: PageRequest): Promise<PageResult<VendorSkuRecord>> {
        const fold = await stock.current(referenceMaxAgeMs, scope, true);
        const codes = fold.skuCodes();
        const start = page.after === null ? 0 : firstAfter(codes, page.after);
        const slice = codes.slice(start, start + page.first);
        return {
          items: slice.map((code) => toSkuRecord(code, fold.nameOf(code))),
          endCursor: slice[slice.length - 1] ?? page.after,
          hasNextPage: start + slice.length < codes.length,
        };
      },
    },
    inventory: {
      /**
       * Fold: 0 calls while the fold is within `liveStockMaxAgeMs`, else one refresh for the whole
       * batch. Endpoint: one find of `/inventory-stocks` for the whole batch (see above).
       */
      async levelsByCode(codes) {
        if (options.hapihubStockSource === 'endpoint') {
          const rows = await new HapihubClient(options.http, scope).stocksOf([...new Set(codes)]);
          const bySku = new Map<string, typeof rows>();
          for (const row of rows) {
            const list = bySku.get(row.sku);
            if (list) list.push(row);
            else bySku.set(row.sku, [row]);
          }
          return codes.map((code) => (bySku.get(code) ?? []).map(stockRowToLevelRecord));
        }
        const fold = await stock.current(liveStockMaxAgeMs, scope, false);
        return codes.map((code) => fold.levelsOf(code).map(toLevelRecord));
      },
      /** From the fold (also with the stock endpoint: its rows state no expiry); 0 calls while it is within `liveStockMaxAgeMs`. */
      async lotExpiries(lotNumbers) {
        const fold = await stock.current(liveStockMaxAgeMs, scope, false);
        return lotNumbers.map((lot) => epochIso(fold.expiryOfLot(lot)));
      },
    },
  });

  return {
    vendor: 'HAPIHUB',
    http: options.http,
    stock,
    forRequest,
    invalidateAll: () => stock.invalidate(),
  };
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
