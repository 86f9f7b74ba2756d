import type { LRUCache } from 'lru-cache';
import { ttlCache } from '../../cache/ttl-cache.js';
import type { SourceScope } from '../../cache/scope.js';
import { KeyBatcher } from '../../cache/key-batcher.js';
import { RecentKeyRefresher } from '../../cache/recent-key-refresher.js';
import type { Freshness } from '../../cache/snapshot-index.js';
import { SHARED_RELOAD_DEADLINE_MS, waitingCaller } from '../../cache/waiting-caller.js';
import { opsError } from '../../errors.js';
import type { CallScope } from '../../http/types.js';
import { UpstreamTrace } from '../../http/trace.js';
import type { InventoryLevelRecord, InvoiceRecord, OrderRecord, PageResult } from '../../model/records.js';
import type { FreshnessConfig, InvoiceFilter, OrderFilter, VendorRuntime, VendorRuntimeOptions, VendorSource } from '../types.js';
import { DEFAULT_MAX_PAGE_SIZE, DistruClient, IDS_PER_CALL } from './client.js';
import { decodeCursor, toPage } from './cursor.js';
import { CONCURRENCY } from './limit.js';
import { mapLimit } from '../map-limit.js';
import { UUID } from '../id-shapes.js';
import { distruStatusesFor, INVOICE_FILTER_VALUES, toInvoiceRecord, toLevel, toOrderRecord, toSkuRecord, type LevelOfProduct } from './mapping.js';
import { distruCatalogLookups } from './catalog-lookups.js';
import type { DistruInventory, DistruInvoice } from './schemas.js';

/** Cross-request batches under way at once: Distru's budget is 2 calls a second, more would only queue. */
const BATCHES_IN_FLIGHT = 2;
/**
 * Stock batches under way at once: one. Distru serves stock 25 rows a page or more whatever the
 * number of products asked (the strict sandbox and, per page, the real vendor's maxima), so a batch
 * costs ceil(its rows ÷ page) calls and wastes at most its last, partial page: the fewer and larger
 * the batches, the fewer the calls. One batch paging at a time still spends the whole budget (its
 * next page goes out as soon as the last answered), and the products asked meanwhile ride together
 * in the next one. Two at once split 20 concurrent screens' 59 products into up to 8 batches: 17
 * calls where 9 pages held them all (`npm run bench -- budget --scale 2`).
 */
const STOCK_BATCHES_IN_FLIGHT = 1;

/**
 * Distru for the life of the process.
 *
 * | lookup                  | SYNC=on: store relation (0 calls)     | SYNC=off: read                      | keys          | freshness |
 * | ----------------------- | ------------------------------------- | ----------------------------------- | ------------- | --------- |
 * | products by SKU code    | `skus` (synced by `updated_datetime`) | distru.productsBySku, every product page | SKU code | sync / reference |
 * | location names          | `locations`                           | distru.locations, every location page | location id → name | sync / reference |
 * | stock by product        | — always live: `/inventory?product_ids[]=…` (all groupings) | same | product id | live stock (TTL), never stale |
 *
 * (catalog-lookups.ts holds the first two.)
 *
 * Orders and invoices are read live: by id one call each (Distru has no multi-get), invoices of
 * many orders in one `order_id[]` call, lists page by page. Stock (`product_ids[]`) and invoices
 * of orders (`order_id[]`) are batched across requests (KeyBatcher): keys asked for by concurrent
 * requests while Distru's budget is spent ride together in the next call.
 */
export interface DistruRuntime extends VendorRuntime {
  /** Distru product ids of SKU codes as Distru spells them (null where Distru has none). 0 calls from the store, or when the SYNC=off index is fresh. */
  productIdsOf(codes: readonly string[], scope: SourceScope): Promise<(string | null)[]>;
  /** Forgets the cached stock of these products, or of every product (null), after a write that moved it. */
  forgetStock(productIds: readonly string[] | null): void;
}

export function isDistruRuntime(runtime: VendorRuntime): runtime is DistruRuntime {
  return runtime.vendor === 'DISTRU' && 'forgetStock' in runtime && 'productIdsOf' in runtime;
}

export function createDistruRuntime({ http, freshness, settings, lookups, metrics }: VendorRuntimeOptions): DistruRuntime {
  const maxPageSize = settings?.distru.maxPageSize ?? DEFAULT_MAX_PAGE_SIZE;
  const clientFor = (call: CallScope) => new DistruClient(http, { call, noteStale: () => undefined }, maxPageSize);
  const reference: Freshness = { maxAgeMs: freshness.referenceMaxAgeMs, staleMaxMs: freshness.staleMaxMs };
  const maxEntries = freshness.maxIndexEntries;

  // Products by SKU code and location names: the synced store, or with SYNC=off two indexes (catalog-lookups.ts).
  const catalog = distruCatalogLookups({ clientFor, reference, maxEntries, ...(metrics ? { metrics } : {}), ...(lookups ? { lookups } : {}) });

  const stockRows = new KeyBatcher<DistruInventory[]>({
    maxInFlight: STOCK_BATCHES_IN_FLIGHT,
    maxKeys: IDS_PER_CALL,
    deadlineMs: SHARED_RELOAD_DEADLINE_MS,
    // A batch takes its products when Distru's budget lets its call out: those asked meanwhile ride along.
    reserve: (call) => http.reserve(call, 'GET /public/v1/inventory'),
    load: async (productIds, call) => groupBy(await clientFor(call).inventoryOf(productIds), (row) => row.product_id),
  });
  const invoicesOfOrders = new KeyBatcher<DistruInvoice[]>({
    maxInFlight: BATCHES_IN_FLIGHT,
    maxKeys: IDS_PER_CALL,
    deadlineMs: SHARED_RELOAD_DEADLINE_MS,
    reserve: (call) => http.reserve(call, 'GET /public/v1/invoices'),
    load: async (orderIds, call) => groupBy(await clientFor(call).invoicesOfOrders(orderIds), (invoice) => invoice.order?.id ?? null),
  });

  // "Live stock is never served older than liveStockMaxAgeMs": a TTL cache, none at all when it is 0.
  const stock = ttlCache<LevelOfProduct[]>(freshness.liveStockMaxAgeMs, maxEntries);
  /** Bumped when a write makes stock forgotten: a read that began before it must not put older stock back. */
  let stockGeneration = 0;

  /** Stock rows as levels per product, with their locations' names (the locations index). */
  async function levelsFromRows(rows: readonly DistruInventory[], scope: SourceScope): Promise<Map<string, LevelOfProduct[]>> {
    const ids = [...new Set(rows.flatMap((r) => (r.location_id ? [r.location_id] : [])))];
    const names = await catalog.locationNames(ids, scope);
    const nameOf = new Map(ids.map((id, i) => [id, names[i] ?? null]));
    const byProduct = new Map<string, LevelOfProduct[]>();
    for (const row of rows) {
      const level = toLevel(row, (id) => nameOf.get(id) ?? null);
      const levels = byProduct.get(row.product_id);
      if (levels) levels.push(level);
      else byProduct.set(row.product_id, [level]);
    }
    return byProduct;
  }

  const refresher = stockRefresherOf(stock, freshness, () => stockRows.busy, async (productIds) => {
    const generation = stockGeneration;
    // A scope of its own per refresh (a failed read is remembered per scope), queued behind every interactive call.
    const trace = new UpstreamTrace();
    const scope: SourceScope = { call: { priority: 'background', client: STOCK_REFRESH_CLIENT, trace }, noteStale: () => undefined };
    const levels = await levelsFromRows(await clientFor(scope.call).inventoryOf(productIds), scope);
    if (generation === stockGeneration) for (const id of productIds) stock?.set(id, levels.get(id) ?? []);
    return trace.calls;
  });

  function forRequest(scope: SourceScope): VendorSource {
    const client = new DistruClient(http, scope, maxPageSize);

    /** Stock of products: cached ones free, all others in one inventory call (per 100 products), plus the locations index. */
    async function levelsOfProducts(productIds: readonly string[]): Promise<LevelOfProduct[][]> {
      refresher?.noteAsked(productIds);
      // Read the cache once, so an entry expiring during the call cannot go missing.
      const known = new Map<string, LevelOfProduct[]>();
      for (const id of productIds) {
        const cached = stock?.get(id);
        if (cached) known.set(id, cached);
      }
      const missing = [...new Set(productIds.filter((id) => !known.has(id)))];
      if (missing.length > 0) {
        const generation = stockGeneration;
        const rows = (await stockRows.getMany(missing, scope.call, waitingCaller(scope.call, 'distru', 'GET /public/v1/inventory'))).flatMap((r) => r ?? []);
        const levels = await levelsFromRows(rows, scope);
        for (const id of missing) known.set(id, levels.get(id) ?? []);
        if (generation === stockGeneration) for (const id of missing) stock?.set(id, known.get(id) ?? []);
      }
      return productIds.map((id) => known.get(id) ?? []);
    }

    return {
      vendor: 'DISTRU',
      catalog: {
        /** 0 calls from the synced store; SYNC=off: 0 when the product index is fresh, else one read of every product page. */
        skusByCode: (codes) => catalog.productsByCode(codes, scope),
        /** Usually 1 call. Products without a SKU code are left out (their position still counts). */
        listSkus: async (page) => {
          const position = decodeCursor(page.after);
          return toPage(await client.productsRange(position, page.first), position, (p) => (p.sku ? toSkuRecord({ ...p, sku: p.sku }) : null));
        },
      },
      inventory: {
        /** 0 calls when all codes' stock is cached; else the products by code (0 from the store) and 1 inventory call for every uncached code together. */
        levelsByCode: async (codes): Promise<InventoryLevelRecord[][]> => {
          const found = await catalog.productsByCode(codes, scope);
          const productIds = found.flatMap((p) => (p ? [p.vendorId] : []));
          const levels = await levelsOfProducts(productIds);
          const byProduct = new Map(productIds.map((id, i) => [id, levels[i] ?? []]));
          return codes.map((code, i) => {
            const product = found[i];
            return product ? (byProduct.get(product.vendorId) ?? []).map((level) => ({ ...level, vendorSkuCode: code })) : [];
          });
        },
        /**
         * Order lines name their product by id, with or without a SKU code (the document makes
         * `sku` optional): 0 calls when cached, else 1 inventory call per 100 products, sharing the
         * stock cache with levelsByCode. No product index needed.
         */
        levelsByProductId: async (productIds): Promise<InventoryLevelRecord[][]> => {
          const wellFormed = productIds.filter((id) => UUID.test(id));
          const levels = await levelsOfProducts(wellFormed);
          const byProduct = new Map(wellFormed.map((id, i) => [id, levels[i] ?? []]));
          return productIds.map((id) => (byProduct.get(id) ?? []).map((level) => ({ ...level, vendorSkuCode: null })));
        },
      },
      orders: {
        /** 1 call per order (Distru has no multi-get), CONCURRENCY at a time. */
        ordersById: (ids) => mapLimit(ids, CONCURRENCY, async (id) => {
          // The resolvers refuse such ids already; here none reaches Distru whoever calls.
          if (!UUID.test(id)) return null;
          const order = await client.getOrder(id);
          return order ? toOrderRecord(order) : null;
        }),
        /** Usually 1 call; the status filter is Distru's own `status[]`. */
        listOrders: (page, filter) => listOrders(client, page, filter),
      },
      invoices: {
        /** 1 call per invoice (Distru has no multi-get), CONCURRENCY at a time. */
        invoicesById: (ids) => mapLimit(ids, CONCURRENCY, async (id) => {
          if (!UUID.test(id)) return null;
          const invoice = await client.getInvoice(id);
          return invoice ? toInvoiceRecord(invoice) : null;
        }),
        /** 1 call per 100 orders (`order_id[]`), whatever the number of invoices (more pages only past 100 invoices). */
        invoicesByOrderId: async (orderIds) => {
          const byOrder = new Map<string, InvoiceRecord[]>(orderIds.map((id) => [id, []]));
          // A key that is no UUID cannot be a Distru order (checked before any call).
          const asked = [...new Set(orderIds)].filter((id) => UUID.test(id));
          const found = asked.length === 0 ? [] : await invoicesOfOrders.getMany(asked, scope.call, waitingCaller(scope.call, 'distru', 'GET /public/v1/invoices'));
          for (const invoice of found.flatMap((i) => i ?? []).map(toInvoiceRecord)) {
            if (invoice.orderVendorId !== null) byOrder.get(invoice.orderVendorId)?.push(invoice);
          }
          return orderIds.map((id) => byOrder.get(id) ?? []);
        },
        /** Usually 1 call; the status filter is Distru's own `status[]`. */
        listInvoices: (page, filter) => listInvoices(client, page, filter),
      },
    };
  }

  return {
    vendor: 'DISTRU',
    http,
    forRequest,
    invalidateAll() {
      catalog.invalidate();
      stockGeneration++;
      stock?.clear();
    },
    close() {
      refresher?.close();
    },
    productIdsOf: async (codes, scope) => (await catalog.productsByCode(codes, scope)).map((p) => p?.vendorId ?? null),
    forgetStock(productIds) {
      stockGeneration++;
      if (productIds === null) stock?.clear();
      else for (const id of productIds) stock?.delete(id);
    },
  };
}

async function listOrders(client: DistruClient, page: { first: number; after: string | null }, filter: OrderFilter): Promise<PageResult<OrderRecord>> {
  const position = decodeCursor(page.after);
  const statuses = filter.statuses === null ? null : distruStatusesFor(filter.statuses);
  // Only statuses Distru does not have (INVOICED, UNKNOWN): nothing can match, no call needed.
  if (statuses !== null && statuses.length === 0) return { items: [], endCursor: null, hasNextPage: false };
  return toPage(await client.ordersRange(statuses, position, page.first), position, toOrderRecord);
}

async function listInvoices(client: DistruClient, page: { first: number; after: string | null }, filter: InvoiceFilter): Promise<PageResult<InvoiceRecord>> {
  const position = decodeCursor(page.after);
  for (const status of filter.statuses ?? []) {
    if (!INVOICE_FILTER_VALUES.includes(status)) {
      throw opsError(`statuses: Distru invoice statuses are ${INVOICE_FILTER_VALUES.map((s) => `"${s}"`).join(', ')}; got "${status}"`, { code: 'BAD_USER_INPUT', vendor: 'distru', field: 'statuses' });
    }
  }
  return toPage(await client.invoicesRange(filter.statuses, position, page.first), position, toInvoiceRecord);
}

/** The stock refresher averages at most one call per this long (see RecentKeyRefresherOptions.spacingMs). */
const REFRESH_SPACING_MS = 1_000;

/** Who the stock refresher's calls are for, in the scheduler's turns and the logs. */
const STOCK_REFRESH_CLIENT = 'opsgraph-stock-refresh';

/**
 * The background refresher of live stock (LIVE_STOCK_REFRESH_WINDOW_MS, LIVE_STOCK_REFRESH_MAX_PRODUCTS):
 * products asked for within the window are re-read, 100 per call, once their entry is half its
 * bound old, so they are fresh again before they expire, the oldest entries first and at most one
 * call a second on average. None without a stock cache.
 */
function stockRefresherOf(stock: LRUCache<string, LevelOfProduct[]> | null, freshness: FreshnessConfig, screensWaiting: () => boolean, refresh: (productIds: readonly string[]) => Promise<number>): RecentKeyRefresher | null {
  const maxAgeMs = freshness.liveStockMaxAgeMs;
  const settings = freshness.liveStockRefresh;
  if (!stock || !settings || settings.windowMs <= 0 || settings.maxProducts <= 0) return null;
  return new RecentKeyRefresher({
    windowMs: settings.windowMs,
    maxKeys: settings.maxProducts,
    batchSize: IDS_PER_CALL,
    refreshAfterMs: Math.max(1, Math.floor(maxAgeMs / 2)),
    tickMs: Math.max(50, Math.floor(maxAgeMs / 4)),
    ageOf: (id) => (stock.has(id) ? maxAgeMs - stock.getRemainingTTL(id) : undefined),
    refresh,
    // Screens waiting for stock go first: no refresh between the pages of their batch.
    yieldTo: screensWaiting,
    // At most one background stock call a second on average: half of Distru's 2, the other half stays with people and the sync.
    spacingMs: REFRESH_SPACING_MS,
  });
}

/** Rows grouped by a key (rows without one are dropped). */
function groupBy<T>(rows: readonly T[], keyOf: (row: T) => string | null): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const key = keyOf(row);
    if (key === null) continue;
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  return groups;
}
