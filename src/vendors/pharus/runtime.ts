import { LRUCache } from 'lru-cache';
import type { SourceScope } from '../../cache/scope.js';
import { SnapshotIndex, type Freshness } from '../../cache/snapshot-index.js';
import type { CallScope } from '../../http/types.js';
import type { InventoryLevelRecord, OrderRecord, PageRequest, PageResult, VendorSkuRecord } from '../../model/records.js';
import type { OrderFilter, VendorRuntime, VendorRuntimeOptions, VendorSource } from '../types.js';
import { PAGE_LIMIT, PHARUS_ID, PharusClient } from './client.js';
import { decodePosition, encodePosition, type ListPosition } from './cursor.js';
import { toLevelRecord, toOrderRecord, toSkuRecord, vendorStatusesOf } from './mapping.js';
import type { PharusFgSummaryRow, PharusLocation, PharusLookup, PharusSalesOrder, PharusSalesOrderDetail } from './schemas.js';
import { vendorNotConfigured } from '../not-configured.js';

/** Calls to Pharus one GraphQL request may have in flight at once (order details, unknown SKUs). */
export const CONCURRENCY = 4;

/**
 * A SKU code, location or order channel a write names but the index lacks may have been created
 * since the index was read: the index is read again once, unless it was read less than this long
 * ago (so a stream of unknown codes costs at most one read of the list per interval). The same
 * rule as ISOlocity's parts (PART_MISS_REFRESH_MS).
 */
export const MISS_REFRESH_MS = 10_000;

/** How many transfer refs opsgraph remembers having completed (see `completeTransferOnce`). */
const COMPLETED_TRANSFERS = 10_000;

/** What a write changed, for `afterWrite`. */
export type PharusChange =
  /** FG stock of one SKU moved (adjust, dispose, transfer, completion); `rows` = its summary read after the write. */
  | { kind: 'stock'; skuId: string; rows?: readonly PharusFgSummaryRow[] }
  /** A sales order or its items changed. */
  | { kind: 'order'; orderId: string };

/** What Pharus's runtime offers beyond every vendor's read side: the lookups and reads its writes need. */
export interface PharusRuntime extends VendorRuntime {
  vendor: 'PHARUS';
  /** The SKUs Pharus spells `codes`, from the SKU index (misses read it again once, see MISS_REFRESH_MS); null where unknown. */
  skusByCode(codes: readonly string[], scope: SourceScope): Promise<(VendorSkuRecord | null)[]>;
  /** A SKU by Pharus id: the index, else one `GET /skus/:id`. */
  skuById(id: string, scope: SourceScope): Promise<VendorSkuRecord | null>;
  /** Pharus locations by id, from the locations index (same miss rule); null where unknown. */
  locationsById(ids: readonly string[], scope: SourceScope): Promise<(PharusLocation | null)[]>;
  /** An order channel by id or by name (case-insensitive), from the channels index (same miss rule). */
  orderChannel(idOrName: string, scope: SourceScope): Promise<PharusLookup | null>;
  /** `{ salesOrder, items }` as Pharus answered it → the unified order (SKU codes and customer names from the indexes). */
  orderRecordOf(detail: PharusSalesOrderDetail, scope: SourceScope): Promise<OrderRecord>;
  /**
   * The SKU's finished-goods stock read fresh from Pharus (`GET …/summary?skuId=`, every page), put
   * into the FG summary index in place of what it held for that SKU (after invalidating the index).
   */
  levelsAfterWrite(sku: VendorSkuRecord, scope: SourceScope): Promise<InventoryLevelRecord[]>;
  /**
   * Completes a transfer opsgraph created, once per process: concurrent and later calls for the
   * same ref share the first successful completion (its `receivedAt`) instead of calling Pharus again.
   * A failed completion is not remembered, so the next call tries again.
   */
  completeTransferOnce(ref: string, complete: () => Promise<string | null>): Promise<string | null>;
  /** Forgets what the cross-request indexes held of what a write changed (writes.ts calls it after every write). */
  afterWrite(change: PharusChange): void;
}

/** The gateway's Pharus runtime, or VENDOR_NOT_CONFIGURED when Pharus is not configured. */
export function asPharusRuntime(runtime: VendorRuntime | undefined): PharusRuntime {
  if (runtime && runtime.vendor === 'PHARUS' && typeof (runtime as Partial<PharusRuntime>).afterWrite === 'function') return runtime as PharusRuntime;
  throw vendorNotConfigured('PHARUS');
}

/**
 * Pharus for the life of the process. Document 001 gives the lists few filters (the FG summary
 * filters one `skuId`, SKUs have no code filter, orders none), so lookups read a copy of a whole
 * list — with SYNC=on the synced store (`lookups`: 0 calls, SYNC_IN_PROGRESS before the relation's
 * first pass), with SYNC=off the runtime's own indexes:
 *
 * | lookup               | SYNC=on: store relation         | SYNC=off: index, read                       | keys                   | freshness (SYNC=off)    |
 * | -------------------- | ------------------------------- | ------------------------------------------- | ---------------------- | ----------------------- |
 * | SKUs by code / id    | `skus` (number = code)          | pharus.skus, every page of GET /skus        | `id:`, `code:`         | reference               |
 * | customer names       | `customers`                     | pharus.customers, every page                | id → name              | reference               |
 * | locations            | `locations` (key = id, lower)   | pharus.locations, GET /locations (bounded)  | id → location          | reference               |
 * | order channels       | `orderChannels` (number = name) | pharus.orderChannels, GET /order-channels   | `id:`, `name:` (lower) | reference               |
 * | FG stock (live)      | — always live                   | pharus.fgSummary, GET …/summary (unpaginated) | SKU id → rows        | live stock, never stale |
 *
 * Locations also name the places of stock levels (the summary carries ids only); order channels
 * serve the writes and `Order.channel`. A miss a write makes asks for a new read (see MISS_REFRESH_MS).
 * `missRefreshMs` replaces MISS_REFRESH_MS (tests).
 */
export function createPharusRuntime({ http, freshness, lookups, metrics }: VendorRuntimeOptions, { missRefreshMs = MISS_REFRESH_MS } = {}): PharusRuntime {
  const clientFor = (call: CallScope) => new PharusClient(http, { call, noteStale: () => undefined });
  const reference: Freshness = { maxAgeMs: freshness.referenceMaxAgeMs, staleMaxMs: freshness.staleMaxMs };
  // "Live stock is never served older than liveStockMaxAgeMs", not even while Pharus fails.
  const liveStock: Freshness = { maxAgeMs: freshness.liveStockMaxAgeMs, staleMaxMs: 0 };
  const maxEntries = freshness.maxIndexEntries;

  const skus = new SnapshotIndex<VendorSkuRecord>({
    name: 'pharus.skus',
    vendor: 'pharus',
    metrics,
    freshness: reference,
    maxEntries,
    load: async (call) => (await clientFor(call).allSkus()).map(toSkuRecord).flatMap(skuKeys),
  });

  const customers = new SnapshotIndex<string>({
    name: 'pharus.customers',
    vendor: 'pharus',
    metrics,
    freshness: reference,
    maxEntries,
    load: async (call) => (await clientFor(call).allCustomers()).flatMap((c) => (c.name ? [[c.id, c.name] as const] : [])),
  });

  const fgSummary = new SnapshotIndex<PharusFgSummaryRow[]>({
    name: 'pharus.fgSummary',
    vendor: 'pharus',
    metrics,
    freshness: liveStock,
    maxEntries,
    load: async (call) => {
      const bySku = new Map<string, PharusFgSummaryRow[]>();
      for (const row of await clientFor(call).allFgSummary()) {
        const rows = bySku.get(row.skuId);
        if (rows) rows.push(row);
        else bySku.set(row.skuId, [row]);
      }
      return bySku;
    },
  });

  const locations = new SnapshotIndex<PharusLocation>({
    name: 'pharus.locations',
    vendor: 'pharus',
    metrics,
    freshness: reference,
    maxEntries,
    load: async (call) => (await clientFor(call).allLocations()).map((l) => [l.id.toLowerCase(), l] as const),
  });

  const orderChannels = new SnapshotIndex<PharusLookup>({
    name: 'pharus.orderChannels',
    vendor: 'pharus',
    metrics,
    freshness: reference,
    maxEntries,
    load: async (call) => (await clientFor(call).allOrderChannels()).flatMap((c) => [[`id:${c.id.toLowerCase()}`, c] as const, [`name:${c.name.toLowerCase()}`, c] as const]),
  });

  const completedTransfers = new LRUCache<string, { receivedAt: string | null }>({ max: COMPLETED_TRANSFERS });
  const completing = new Map<string, Promise<string | null>>();

  /**
   * Lookups that read their index again once when a key is missing, unless the copy is younger
   * than missRefreshMs (then the key is unknown). One batch, so one refresh serves every miss.
   */
  async function lookupMany<V extends {}>(index: SnapshotIndex<V>, keys: readonly string[], scope: SourceScope): Promise<(V | null)[]> {
    const hits = await index.getMany(keys, scope);
    if (hits.every((h) => h !== undefined)) return hits as V[];
    const age = index.ageMs();
    if (age === null || age < missRefreshMs) return hits.map((h) => h ?? null);
    index.invalidate();
    return (await index.getMany(keys, scope)).map((h) => h ?? null);
  }

  /**
   * The SKUs, locations and order channels Pharus spells so, from the synced store (SYNC=on) or the
   * index. A write's miss may name something created since the last read: the store asks the sync
   * for a pass of that relation (at most once per missRefreshMs), the index reads itself again (lookupMany).
   */
  async function skusOfCodes(codes: readonly string[], scope: SourceScope, onMiss: boolean): Promise<(VendorSkuRecord | null)[]> {
    if (!lookups) return onMiss ? lookupMany(skus, codes.map((c) => `code:${c}`), scope) : (await skus.getMany(codes.map((c) => `code:${c}`), scope)).map((s) => s ?? null);
    const found = await lookups.byNumber<VendorSkuRecord>('PHARUS', 'skus', codes, scope);
    const out = codes.map((c) => found.get(c)?.at(-1) ?? null);
    if (onMiss && out.includes(null)) lookups.requestPassOnMiss('PHARUS', 'skus', missRefreshMs);
    return out;
  }

  async function locationsOf(ids: readonly string[], scope: SourceScope): Promise<(PharusLocation | null)[]> {
    const keys = ids.map((id) => id.toLowerCase());
    if (!lookups) return lookupMany(locations, keys, scope);
    const found = await lookups.byKey<PharusLocation>('PHARUS', 'locations', keys, scope);
    const out = keys.map((k) => found.get(k) ?? null);
    if (out.includes(null)) lookups.requestPassOnMiss('PHARUS', 'locations', missRefreshMs);
    return out;
  }

  async function channelsOf(idsOrNames: readonly { id?: string; name?: string }[], scope: SourceScope): Promise<(PharusLookup | null)[]> {
    if (!lookups) return lookupMany(orderChannels, idsOrNames.map((k) => (k.id !== undefined ? `id:${k.id.toLowerCase()}` : `name:${(k.name ?? '').toLowerCase()}`)), scope);
    const ids = idsOrNames.flatMap((k) => (k.id !== undefined ? [k.id.toLowerCase()] : []));
    const names = idsOrNames.flatMap((k) => (k.name !== undefined ? [k.name.toLowerCase()] : []));
    const byId = ids.length > 0 ? await lookups.byKey<PharusLookup>('PHARUS', 'orderChannels', ids, scope) : new Map<string, PharusLookup>();
    const byName = names.length > 0 ? await lookups.byNumber<PharusLookup>('PHARUS', 'orderChannels', names, scope) : new Map<string, PharusLookup[]>();
    const out = idsOrNames.map((k) => (k.id !== undefined ? byId.get(k.id.toLowerCase()) : byName.get((k.name ?? '').toLowerCase())?.[0]) ?? null);
    if (out.includes(null)) lookups.requestPassOnMiss('PHARUS', 'orderChannels', missRefreshMs);
    return out;
  }

  async function customerNames(ids: readonly string[], scope: SourceScope): Promise<(string | null)[]> {
    if (ids.length === 0) return [];
    if (!lookups) return (await customers.getMany(ids, scope)).map((n) => n ?? null);
    // What the store holds: a customer not synced yet has no name until its pass.
    const found = await lookups.storedByKey<{ name?: string | null }>('PHARUS', 'customers', ids, scope);
    return ids.map((id) => found.get(id)?.name ?? null);
  }

  /** SKUs by id: index hits, then one GET per miss (a SKU newer than the index), which joins it. */
  async function skusById(ids: readonly string[], scope: SourceScope): Promise<Map<string, VendorSkuRecord>> {
    const client = new PharusClient(http, scope);
    const held = lookups ? await lookups.storedByKey<VendorSkuRecord>('PHARUS', 'skus', ids, scope) : null;
    const hits = held ? ids.map((id) => held.get(id)) : await skus.getMany(ids.map((id) => `id:${id}`), scope);
    const found = new Map<string, VendorSkuRecord>();
    const missing: string[] = [];
    ids.forEach((id, i) => {
      const hit = hits[i];
      if (hit) found.set(id, hit);
      else missing.push(id);
    });
    await mapLimit(missing, async (id) => {
      const fetched = await client.getSku(id);
      if (!fetched) return;
      const record = toSkuRecord(fetched);
      if (!lookups) for (const [key, value] of skuKeys(record)) skus.set(key, value);
      found.set(id, record);
    });
    return found;
  }

  /** Details → orders, with line SKUs and customer names resolved from the indexes. */
  async function toOrderRecords(details: readonly PharusSalesOrderDetail[], scope: SourceScope): Promise<OrderRecord[]> {
    const skuIds = [...new Set(details.flatMap((d) => d.items.map((i) => i.skuId)))];
    const customerIds = [...new Set(details.flatMap((d) => (d.salesOrder.customerId ? [d.salesOrder.customerId] : [])))];
    const [skuOf, names] = await Promise.all([skusById(skuIds, scope), customerNames(customerIds, scope)]);
    const nameOf = new Map(customerIds.map((id, i) => [id, names[i] ?? null]));
    return details.map((d) => toOrderRecord(d, { sku: (id) => skuOf.get(id), customerName: (id) => nameOf.get(id) ?? null }));
  }

  /**
   * After a write. Stock: the FG summary index is invalidated (which also keeps out a reload that
   * was in flight when the write landed), and the SKU's rows read after the write, when given, take
   * the place of what it held, so that even a reader joining that older reload sees the write.
   * Orders: no cross-request cache holds orders (every order read is a live `GET /sales-orders/:id`,
   * lists are read live), and runMutation clears the request's loaders; nothing else to forget.
   */
  function afterWrite(change: PharusChange): void {
    if (change.kind === 'stock') {
      fgSummary.invalidate();
      if (change.rows) fgSummary.set(change.skuId, [...change.rows]);
    }
  }

  /**
   * The summary row carries location ids only (E108), so names come from the locations index
   * (reference freshness: one `GET /locations` per REFERENCE_MAX_AGE_MS at most). A row that does
   * carry a `locationName` keeps it.
   */
  async function withLocationNames(rows: readonly PharusFgSummaryRow[], scope: SourceScope): Promise<(row: PharusFgSummaryRow) => PharusFgSummaryRow> {
    const ids = [...new Set(rows.flatMap((r) => (r.locationName == null ? [r.locationId.toLowerCase()] : [])))];
    if (ids.length === 0) return (row) => row;
    const found = await locationsOf(ids, scope);
    const nameOf = new Map(ids.map((id, i) => [id, found[i]?.name ?? null]));
    return (row) => (row.locationName == null ? { ...row, locationName: nameOf.get(row.locationId.toLowerCase()) ?? null } : row);
  }

  function forRequest(scope: SourceScope): VendorSource {
    const client = new PharusClient(http, scope);

    /** One detail call per order (the list carries no items), CONCURRENCY at a time. */
    async function ordersById(ids: readonly string[]): Promise<(OrderRecord | null)[]> {
      const details = await mapLimit(ids, (id) => (PHARUS_ID.test(id) ? client.getSalesOrder(id) : Promise.resolve(null)));
      const records = await toOrderRecords(details.flatMap((d) => (d ? [d] : [])), scope);
      const byId = new Map(records.map((r) => [r.vendorId, r]));
      return details.map((d) => (d ? (byId.get(d.salesOrder.id) ?? null) : null));
    }

    /**
     * A page of orders. Pharus lists orders without filters, so a status filter is applied here,
     * reading PAGE_LIMIT rows a call until `first` match; without one, exactly the rows needed.
     * Cost: the list pages read, plus one detail call per order returned.
     */
    async function listOrders(page: PageRequest, filter: OrderFilter): Promise<PageResult<OrderRecord>> {
      const wanted = filter.statuses === null ? null : vendorStatusesOf(filter.statuses);
      let position: ListPosition = decodePosition('sales-orders', page.after);
      const picked: PharusSalesOrder[] = [];
      let more = false;
      while (picked.length < page.first) {
        const limit = wanted === null ? position.skip + page.first - picked.length : PAGE_LIMIT;
        const { rows, nextCursor } = await client.salesOrdersPage(position.vendorCursor, limit);
        let at = position.skip;
        for (; at < rows.length && picked.length < page.first; at++) {
          const row = rows[at] as PharusSalesOrder;
          if (wanted === null || wanted.has(row.orderStatus ?? '')) picked.push(row);
        }
        if (at < rows.length) {
          // Stopped inside this vendor page: continue from the next row of it.
          position = { vendorCursor: position.vendorCursor, skip: at };
          more = true;
          break;
        }
        if (nextCursor === null) {
          // The end of the list; the cursor still points past the last row, for a later read.
          position = { vendorCursor: position.vendorCursor, skip: at };
          more = false;
          break;
        }
        position = { vendorCursor: nextCursor, skip: 0 };
        more = true;
      }
      const records = await ordersById(picked.map((o) => o.id));
      return {
        items: records.flatMap((r) => (r ? [r] : [])),
        endCursor: encodePosition('sales-orders', position),
        hasNextPage: more,
      };
    }

    return {
      vendor: 'PHARUS',
      catalog: {
        /** 0 calls from the synced store, or when the SKU index is fresh (else one read of every SKU page). */
        skusByCode: (codes) => skusOfCodes(codes, scope, false),
        /** 1 call: one vendor page of min(first, PAGE_LIMIT) SKUs. */
        listSkus: async (page) => {
          const { vendorCursor } = decodePosition('skus', page.after);
          const { rows, nextCursor } = await client.skusPage(vendorCursor, page.first);
          return {
            items: rows.map(toSkuRecord),
            endCursor: nextCursor === null ? null : encodePosition('skus', { vendorCursor: nextCursor, skip: 0 }),
            hasNextPage: nextCursor !== null,
          };
        },
      },
      inventory: {
        /**
         * 0 calls when both indexes are fresh; else one read of every SKU page (reference
         * freshness) and of every FG summary page (live-stock freshness), whatever the number of
         * codes. Codes Pharus does not know cost nothing beyond the SKU index.
         */
        levelsByCode: async (codes): Promise<InventoryLevelRecord[][]> => {
          const found = await skusOfCodes(codes, scope, false);
          const known = found.flatMap((s) => (s ? [s.vendorId] : []));
          if (known.length === 0) return codes.map(() => []);
          const rows = await fgSummary.getMany(known, scope);
          const rowsOf = new Map(known.map((id, i) => [id, rows[i] ?? []]));
          const named = await withLocationNames(rows.flatMap((r) => r ?? []), scope);
          return codes.map((code, i) => {
            const sku = found[i];
            return sku ? (rowsOf.get(sku.vendorId) ?? []).map((row) => toLevelRecord(named(row), code)) : [];
          });
        },
      },
      orders: {
        ordersById,
        listOrders,
        /** 0 calls from the synced store, or when the order-channels index is fresh (one bounded read otherwise). */
        channelNamesById: async (ids) => (await channelsOf(ids.map((id) => ({ id })), scope)).map((c) => c?.name ?? null),
      },
    };
  }

  return {
    vendor: 'PHARUS',
    http,
    forRequest,
    invalidateAll() {
      for (const index of [skus, customers, fgSummary, locations, orderChannels]) index.invalidate();
      completedTransfers.clear();
    },
    skusByCode: (codes, scope) => skusOfCodes(codes, scope, true),
    skuById: async (id, scope) => (await skusById([id], scope)).get(id) ?? null,
    locationsById: locationsOf,
    orderChannel: async (idOrName, scope) => (await channelsOf([PHARUS_ID.test(idOrName) ? { id: idOrName } : { name: idOrName }], scope))[0] ?? null,
    orderRecordOf: async (detail, scope) => (await toOrderRecords([detail], scope))[0] as OrderRecord,
    async levelsAfterWrite(sku, scope) {
      const rows = await new PharusClient(http, scope).fgSummaryOfSku(sku.vendorId);
      afterWrite({ kind: 'stock', skuId: sku.vendorId, rows });
      const named = await withLocationNames(rows, scope);
      return rows.map((row) => toLevelRecord(named(row), sku.code));
    },
    completeTransferOnce(ref, complete) {
      const done = completedTransfers.get(ref);
      if (done) return Promise.resolve(done.receivedAt);
      let running = completing.get(ref);
      if (!running) {
        running = complete().then(
          (receivedAt) => {
            completedTransfers.set(ref, { receivedAt });
            completing.delete(ref);
            return receivedAt;
          },
          (error: unknown) => {
            completing.delete(ref);
            throw error;
          },
        );
        completing.set(ref, running);
      }
      return running;
    },
    afterWrite,
  };
}

function skuKeys(sku: VendorSkuRecord): (readonly [string, VendorSkuRecord])[] {
  return [
    [`id:${sku.vendorId}`, sku],
    [`code:${sku.code}`, sku],
  ];
}

/** Runs `fn` over `items` with at most CONCURRENCY calls in flight; results in item order. */
async function mapLimit<T, R>(items: readonly T[], fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, items.length) }, worker));
  return results;
}
