import { ttlCache } from '../../cache/ttl-cache.js';
import { SharedReloadTrace } from '../../http/trace.js';
import type { SourceScope } from '../../cache/scope.js';
import type { Crosswalk } from '../../catalog/crosswalk.js';
import { SnapshotIndex, type Freshness } from '../../cache/snapshot-index.js';
import type { CallScope } from '../../http/types.js';
import type { InspectionRecord, InventoryLevelRecord, NcrRecord, OrderRecord, PageRequest, PageResult, PartRecord } from '../../model/records.js';
import type { OrderFilter, VendorRuntime, VendorRuntimeOptions, VendorSource } from '../types.js';
import { IsolocityClient, PER_PAGE } from './client.js';
import { decodeCursor, encodeCursor, toPage } from './cursor.js';
import { CONCURRENCY } from './limit.js';
import { mapLimit } from '../map-limit.js';
import { orderStatusOf, toInspectionRecord, toLevels, toNcrRecord, toOrderRecord, toPartRecord, toSampleView, toSkuRecord, type InspectionSampleView, type LevelOfPart } from './mapping.js';
import type { IsolocityInspection, IsolocityInventory, IsolocityNcr, IsolocityOrder } from './schemas.js';
import { isolocityEndpoints } from './paths.js';
import { IsolocityWrites, type IsolocityChange } from './writes.js';
import { vendorNotConfigured } from '../not-configured.js';

/**
 * A SKU code the parts index lacks may name a part created since the index was read: it is read
 * again once, unless it was read less than this long ago (so that a stream of unknown codes costs
 * at most one read of the parts list per this interval).
 */
export const PART_MISS_REFRESH_MS = 10_000;

/** What ISOlocity's runtime offers beyond every vendor's read side: its writes, and inspection samples. */
export interface IsolocityRuntime extends VendorRuntime {
  vendor: 'ISOLOCITY';
  /** The writes of one GraphQL request (writes.ts); each invalidates what it changed. */
  writes(scope: SourceScope, crosswalk: Crosswalk): IsolocityWrites;
  /**
   * The samples of each inspection, in sample-number order, read live: one `GET /inspections/:id`
   * per inspection, CONCURRENCY at a time (no index holds samples). null for an unknown inspection.
   */
  samplesOf(inspectionIds: readonly string[], scope: SourceScope): Promise<(InspectionSampleView[] | null)[]>;
  /** Forgets what the indexes held of a changed record (called by writes.ts after every write). */
  afterWrite(change: IsolocityChange): void;
}

/** The gateway's ISOlocity runtime, or VENDOR_NOT_CONFIGURED when ISOlocity is not configured. */
export function asIsolocityRuntime(runtime: VendorRuntime | undefined): IsolocityRuntime {
  if (runtime && runtime.vendor === 'ISOLOCITY' && typeof (runtime as Partial<IsolocityRuntime>).writes === 'function') return runtime as IsolocityRuntime;
  throw vendorNotConfigured('ISOLOCITY');
}

/**
 * ISOlocity for the life of the process. Its lists take almost no filters (document: parts and
 * inspections none, inventory one `part_id`, NCRs a `keyword`), so most relations are looked up in
 * a copy of a whole list — with SYNC=on the synced store (`lookups`, src/sync/store-lookups.ts: 0
 * calls; SYNC_IN_PROGRESS before the relation's first pass), with SYNC=off the runtime's own indexes:
 *
 * | lookup                 | SYNC=on: store relation            | SYNC=off: index, read           | keys                    | freshness (SYNC=off) |
 * | ---------------------- | ---------------------------------- | ------------------------------- | ----------------------- | -------------------- |
 * | parts by code / id     | `parts` (number = identification)  | isolocity.parts, every page     | `id:`, `code:` (ident.) | reference            |
 * | customer names         | `customers`                        | isolocity.customers, every page | `id:` → name            | reference            |
 * | inspections by part/lot/id | `inspections` (parent, lot tag) | isolocity.inspections, every page | `id:`, `part:`, `lot:` | quality           |
 * | NCRs by part / id      | `ncrs` (parent)                    | isolocity.ncrs, every page      | `id:`, `part:`          | quality              |
 * | NCRs by lot            | `ncrs` (lot tag)                   | `keyword` call per lot, TTL LRU | lot                     | quality              |
 * | inventory (live stock) | — always live                      | isolocity.inventory, every page, or one `part_id` call per part | `part:` | live stock, never stale |
 *
 * By-id lookups read an id neither copy holds live (one GET each). Writes (writes.ts) put what they
 * wrote in the store (storeWritten) and invalidate the SYNC=off indexes through `afterWrite`.
 * `partMissRefreshMs` replaces PART_MISS_REFRESH_MS (tests).
 */
export function createIsolocityRuntime({ http, freshness, settings, lookups, metrics }: VendorRuntimeOptions, { partMissRefreshMs = PART_MISS_REFRESH_MS } = {}): IsolocityRuntime {
  // ISOLOCITY_TIMEZONE: the zone of ISOlocity's zone-less timestamps; ISOLOCITY_PATHS_FILE: its paths.
  const zone = settings?.isolocity.timeZone ?? 'UTC';
  const endpoints = isolocityEndpoints(settings?.isolocity.paths);
  const clientFor = (call: CallScope) => new IsolocityClient(http, { call, noteStale: () => undefined }, endpoints);
  const inspectionRecord = (i: IsolocityInspection) => toInspectionRecord(i, zone);
  const ncrRecord = (n: IsolocityNcr) => toNcrRecord(n, zone);
  const levelsOf = (inv: IsolocityInventory) => toLevels(inv, zone);
  const reference: Freshness = { maxAgeMs: freshness.referenceMaxAgeMs, staleMaxMs: freshness.staleMaxMs };
  const quality: Freshness = { maxAgeMs: freshness.qualityMaxAgeMs, staleMaxMs: freshness.staleMaxMs };
  // "Live stock is never served older than liveStockMaxAgeMs", not even while ISOlocity fails.
  const liveStock: Freshness = { maxAgeMs: freshness.liveStockMaxAgeMs, staleMaxMs: 0 };
  const maxEntries = freshness.maxIndexEntries;

  const parts = new SnapshotIndex<PartRecord>({
    name: 'isolocity.parts',
    vendor: 'isolocity',
    metrics,
    freshness: reference,
    maxEntries,
    // If the vendor holds two parts with one identification, the later (higher id) wins `code:`.
    load: async (call) => (await clientFor(call).allParts()).map(toPartRecord).flatMap((p) => partKeys(p)),
  });

  const customers = new SnapshotIndex<string>({
    name: 'isolocity.customers',
    vendor: 'isolocity',
    metrics,
    freshness: reference,
    maxEntries,
    load: async (call) => (await clientFor(call).allCustomers()).flatMap((c) => (c.name ? [[c.id, c.name] as const] : [])),
  });

  // Entries are lists: an `id:` key holds its one record, a `part:` key all records of the part
  // (inspections also `lot:`, all records of the lot).
  const inspections = new SnapshotIndex<InspectionRecord[]>({
    name: 'isolocity.inspections',
    vendor: 'isolocity',
    metrics,
    freshness: quality,
    maxEntries,
    load: async (call) => {
      const records = (await clientFor(call).allInspections()).map(inspectionRecord);
      return [...byIdAndPart(records), ...byLot(records)];
    },
  });

  const ncrs = new SnapshotIndex<NcrRecord[]>({
    name: 'isolocity.ncrs',
    vendor: 'isolocity',
    metrics,
    freshness: quality,
    maxEntries,
    load: async (call) => byIdAndPart((await clientFor(call).allNcrs()).map(ncrRecord)),
  });

  // Pages the last full inventory read took: reading the whole list costs that many calls.
  let inventoryPages = 0;
  const inventory = new SnapshotIndex<LevelOfPart[]>({
    name: 'isolocity.inventory',
    vendor: 'isolocity',
    metrics,
    freshness: liveStock,
    maxEntries,
    load: async (call) => {
      // The size is learnt from the first page. Every request joined to a whole read waits for all
      // its pages: one of more pages than its starter may make calls itself
      // (MAX_VENDOR_CALLS_PER_REQUEST) stops there, and its callers read their parts instead. At
      // the budget bench's scale 100 the list is about 120 pages, the budget 50.
      const starter = call.trace instanceof SharedReloadTrace ? call.trace.starter : call.trace;
      const rows = await clientFor(call).allInventory((pages) => {
        inventoryPages = pages;
        if (inventoryOfPart && pages > (starter?.remaining ?? Number.POSITIVE_INFINITY)) throw new WholeReadTooLarge();
      });
      inventoryPages = Math.max(1, Math.ceil(rows.length / PER_PAGE));
      const byPart = new Map<string, LevelOfPart[]>();
      for (const row of rows) {
        const levels = byPart.get(row.part_id) ?? [];
        levels.push(...levelsOf(row));
        byPart.set(row.part_id, levels);
      }
      return [...byPart].map(([partId, levels]) => [`part:${partId}`, levels] as const);
    },
  });

  const ncrsOfLot = ttlCache<NcrRecord[]>(freshness.qualityMaxAgeMs, maxEntries);
  const inventoryOfPart = ttlCache<LevelOfPart[]>(freshness.liveStockMaxAgeMs, maxEntries);
  /**
   * When each part was last read on its own (`part_id`), across requests, within the live-stock
   * bound. Twenty screens each missing four parts would each choose four calls over a whole read of
   * six pages, and together make 80 (the budget bench's warm burst made 48 at 20 a second, 2.4 s);
   * counted together, once they pass the pages the whole read is cheaper and serves them all.
   */
  const partReads: number[] = [];
  function partReadsWithinBound(): number {
    const since = Date.now() - liveStock.maxAgeMs;
    while (partReads.length > 0 && (partReads[0] as number) < since) partReads.shift();
    return partReads.length;
  }
  // Bumped by every NCR write: a by-lot read that started before a write does not cache what it read.
  let ncrWrites = 0;

  /** Parts by identification: the synced store (SYNC=on), else the parts index. If two parts share one, the last by id wins. */
  async function partsByCode(codes: readonly string[], scope: SourceScope): Promise<(PartRecord | null)[]> {
    if (lookups) {
      const found = await lookups.byNumber<PartRecord>('ISOLOCITY', 'parts', codes, scope);
      return codes.map((c) => found.get(c)?.at(-1) ?? null);
    }
    return (await parts.getMany(codes.map((c) => `code:${c}`), scope)).map((p) => p ?? null);
  }

  /** Records by id that the store or an index holds; undefined where neither does (the caller reads it live). */
  async function heldById<R>(relation: 'parts' | 'inspections' | 'ncrs', ids: readonly string[], scope: SourceScope): Promise<(R | undefined)[]> {
    if (lookups) {
      const found = await lookups.storedByKey<R>('ISOLOCITY', relation, ids, scope);
      return ids.map((id) => found.get(id));
    }
    const keys = ids.map((id) => `id:${id}`);
    if (relation === 'parts') return (await parts.getMany(keys, scope)) as (R | undefined)[];
    const lists = await (relation === 'inspections' ? inspections : ncrs).getMany(keys, scope);
    return lists.map((l) => l?.[0] as R | undefined);
  }

  /** Inspections or NCRs of each part (or lot): the synced store, else the index (the lists have no such filter). */
  async function qualityOf<R>(relation: 'inspections' | 'ncrs', by: 'part' | 'lot', keys: readonly string[], scope: SourceScope): Promise<R[][]> {
    if (lookups) {
      const found = by === 'part' ? await lookups.byParent<R>('ISOLOCITY', relation, keys, scope) : await lookups.byTag<R>('ISOLOCITY', relation, 'lot', keys, scope);
      return keys.map((k) => found.get(k) ?? []);
    }
    const index = (relation === 'inspections' ? inspections : ncrs) as SnapshotIndex<R[]>;
    return (await index.getMany(keys.map((k) => `${by}:${k}`), scope)).map((l) => l ?? []);
  }

  /** Customer names by id: what the store holds (SYNC=on; a customer not yet synced has no name), else the index. */
  async function customerNames(ids: readonly string[], scope: SourceScope): Promise<(string | null)[]> {
    if (lookups) {
      const found = await lookups.storedByKey<{ name?: string | null }>('ISOLOCITY', 'customers', ids, scope);
      return ids.map((id) => found.get(id)?.name ?? null);
    }
    return (await customers.getMany(ids, scope)).map((n) => n ?? null);
  }

  /** An ISOlocity part code → the part, from the parts index; a miss reads the index again (see PART_MISS_REFRESH_MS). */
  async function partByCode(code: string, scope: SourceScope): Promise<PartRecord | null> {
    if (lookups) {
      const [part] = await partsByCode([code], scope);
      if (!part) lookups.requestPassOnMiss('ISOLOCITY', 'parts', partMissRefreshMs);
      return part ?? null;
    }
    const hit = await parts.get(`code:${code}`, scope);
    if (hit) return hit;
    const age = parts.ageMs();
    if (age === null || age < partMissRefreshMs) return null;
    parts.invalidate();
    return (await parts.get(`code:${code}`, scope)) ?? null;
  }

  /**
   * After a write (or a write whose outcome is unknown): the NCR index, or the inspection index, is
   * read again on next use (SnapshotIndex can only drop its whole copy, and an invalidation also
   * keeps out a reload that was in flight). NCRs by lot: the lots the write named, and every cached
   * lot whose list held the NCR.
   */
  function afterWrite(change: IsolocityChange): void {
    if (change.kind === 'inspection') {
      inspections.invalidate();
      return;
    }
    ncrWrites++;
    ncrs.invalidate();
    if (!ncrsOfLot) return;
    const stale = new Set<string>();
    for (const lot of change.lots) if (lot) stale.add(lot);
    if (change.ncrId !== null) {
      for (const [lot, list] of ncrsOfLot.entries()) if (list.some((n) => n.vendorId === change.ncrId)) stale.add(lot);
    }
    for (const lot of stale) ncrsOfLot.delete(lot);
  }

  async function samplesOf(inspectionIds: readonly string[], scope: SourceScope): Promise<(InspectionSampleView[] | null)[]> {
    const client = new IsolocityClient(http, scope, endpoints);
    return mapLimit(inspectionIds, CONCURRENCY, async (id) => {
      const detail = await client.getInspectionDetail(id);
      return detail ? (detail.samples ?? []).map((sample) => toSampleView(sample, zone)).sort((a, b) => a.sampleNumber - b.sampleNumber) : null;
    });
  }

  function forRequest(scope: SourceScope): VendorSource {
    const client = new IsolocityClient(http, scope, endpoints);

    /** Index hits, then one GET per miss (a record newer than the index); the fetched ones join it. Cost: 0 calls when fresh and all hit. */
    async function partsById(ids: readonly string[]): Promise<(PartRecord | null)[]> {
      const hits = await heldById<PartRecord>('parts', ids, scope);
      return mapLimit(ids, CONCURRENCY, async (id, i) => {
        const hit = hits[i];
        if (hit) return hit;
        const fetched = await client.getPart(id);
        if (!fetched) return null;
        const record = toPartRecord(fetched);
        if (!lookups) for (const [key, value] of partKeys(record)) parts.set(key, value);
        return record;
      });
    }

    async function inspectionsById(ids: readonly string[]): Promise<(InspectionRecord | null)[]> {
      const hits = await heldById<InspectionRecord>('inspections', ids, scope);
      return mapLimit(ids, CONCURRENCY, async (id, i) => {
        const hit = hits[i];
        if (hit) return hit;
        const fetched = await client.getInspection(id);
        return fetched ? inspectionRecord(fetched) : null;
      });
    }

    async function ncrsById(ids: readonly string[]): Promise<(NcrRecord | null)[]> {
      const hits = await heldById<NcrRecord>('ncrs', ids, scope);
      return mapLimit(ids, CONCURRENCY, async (id, i) => {
        const hit = hits[i];
        if (hit) return hit;
        const fetched = await client.getNcr(id);
        return fetched ? ncrRecord(fetched) : null;
      });
    }

    /** Orders with their lines' parts and customers resolved. Cost: the parts/customers indexes (0 when fresh) and a GET per line part missing from them. */
    async function toOrderRecords(orders: readonly IsolocityOrder[]): Promise<OrderRecord[]> {
      const partIds = [...new Set(orders.flatMap((o) => (o.items ?? []).map((item) => item.part_id)))];
      const contactIds = [...new Set(orders.flatMap((o) => (o.contact_id ? [o.contact_id] : [])))];
      const [partList, names] = await Promise.all([partsById(partIds), customerNames(contactIds, scope)]);
      const partOf = new Map(partIds.map((id, i) => [id, partList[i] ?? undefined]));
      const nameOf = new Map(contactIds.map((id, i) => [id, names[i] ?? null]));
      return orders.map((o) => toOrderRecord(o, { zone, part: (id) => partOf.get(id), customerName: (id) => nameOf.get(id) ?? null }));
    }

    /**
     * Whole inventory index, or one `part_id` call per part when that is fewer calls than reading
     * every page, counting the parts concurrent requests read on their own within the bound.
     */
    async function levelsOfParts(partIds: readonly string[]): Promise<LevelOfPart[][]> {
      const age = inventory.ageMs();
      const fresh = age !== null && age <= liveStock.maxAgeMs;
      const uncached = partIds.filter((id) => !inventoryOfPart?.has(id));
      // Never start a whole read of more pages than this request may still call (see the load).
      const wholeFits = inventoryPages <= (scope.call.trace?.remaining ?? Number.POSITIVE_INFINITY);
      if (fresh || !inventoryOfPart || (wholeFits && partReadsWithinBound() + uncached.length >= inventoryPages)) {
        try {
          const levels = await inventory.getMany(partIds.map((id) => `part:${id}`), scope);
          return levels.map((l) => l ?? []);
        } catch (error) {
          if (!(error instanceof WholeReadTooLarge) || !inventoryOfPart) throw error;
        }
      }
      const now = Date.now();
      for (let i = 0; i < uncached.length; i++) partReads.push(now);
      await mapLimit(uncached, CONCURRENCY, async (id) => inventoryOfPart.set(id, (await client.inventoryOfPart(id)).flatMap(levelsOf)));
      return partIds.map((id) => inventoryOfPart.get(id) ?? []);
    }

    return {
      vendor: 'ISOLOCITY',
      catalog: {
        /** 0 calls from the synced store, or when the parts index is fresh (else one read of every parts page). */
        skusByCode: async (codes) => (await partsByCode(codes, scope)).map((p) => (p ? toSkuRecord(p) : null)),
        /** Usually 1 call. */
        listSkus: async (page) => {
          const position = decodeCursor(page.after);
          return toPage(await client.partsRange(position, page.first), position, (p) => toSkuRecord(toPartRecord(p)));
        },
      },
      inventory: {
        /** 0 calls when fresh; else min(one call per uncached part, every inventory page), never more than a whole read. */
        levelsByCode: async (codes): Promise<InventoryLevelRecord[][]> => {
          const partList = await partsByCode(codes, scope);
          const known = partList.flatMap((p) => (p ? [p.vendorId] : []));
          const levels = new Map(known.map((id, i) => [id, i]));
          const byPart = await levelsOfParts(known);
          return codes.map((code, i) => {
            const part = partList[i];
            const index = part ? levels.get(part.vendorId) : undefined;
            return index === undefined ? [] : (byPart[index] ?? []).map((l) => ({ ...l, vendorSkuCode: code }));
          });
        },
        /** Order lines name their part by id: the same reads as levelsByCode, without the parts index. */
        levelsByProductId: async (partIds): Promise<InventoryLevelRecord[][]> => (await levelsOfParts(partIds)).map((levels) => levels.map((l) => ({ ...l, vendorSkuCode: null }))),
      },
      orders: {
        /** One call per order (ISOlocity cannot fetch several by id), CONCURRENCY at a time. */
        ordersById: async (ids) => {
          const found = await mapLimit(ids, CONCURRENCY, (id) => client.getOrder(id));
          const records = await toOrderRecords(found.flatMap((o) => (o ? [o] : [])));
          const byId = new Map(records.map((r) => [r.vendorId, r]));
          return found.map((o) => (o ? (byId.get(o.id) ?? null) : null));
        },
        listOrders: (page, filter) => listOrders(client, page, filter, toOrderRecords),
      },
      quality: {
        partsById,
        /** 0 calls from the synced store, or when the parts index is fresh. A code neither holds is null (ISOlocity cannot filter parts). */
        partsByIdentification: (codes) => partsByCode(codes, scope),
        listParts: async (page) => {
          const position = decodeCursor(page.after);
          return toPage(await client.partsRange(position, page.first), position, toPartRecord);
        },
        inspectionsById,
        /** 0 calls from the synced store, or when the inspections index is fresh (the list has no filter). */
        inspectionsByPartId: (partIds) => qualityOf<InspectionRecord>('inspections', 'part', partIds, scope),
        /** 0 calls from the synced store (lot tags), or when the inspections index is fresh (it also holds them by `lot_number`). */
        inspectionsByLot: (lots) => qualityOf<InspectionRecord>('inspections', 'lot', lots, scope),
        listInspections: async (page) => {
          const position = decodeCursor(page.after);
          return toPage(await client.inspectionsRange(position, page.first), position, inspectionRecord);
        },
        ncrsById,
        /** 0 calls from the synced store, or when the NCR index is fresh (the list cannot filter by part). */
        ncrsByPartId: (partIds) => qualityOf<NcrRecord>('ncrs', 'part', partIds, scope),
        /**
         * 0 calls from the synced store (lot tags). SYNC=off: one `keyword` call per lot not cached
         * (CONCURRENCY at a time); the keyword also matches numbers and descriptions, so lots are compared exactly.
         */
        ncrsByLot: async (lots) =>
          lookups ? qualityOf<NcrRecord>('ncrs', 'lot', lots, scope) : mapLimit(lots, CONCURRENCY, async (lot) => {
            const cached = ncrsOfLot?.get(lot);
            if (cached) return cached;
            const generation = ncrWrites;
            const found = (await client.ncrsMatching(lot)).map(ncrRecord).filter((n) => n.lotNumber === lot);
            if (generation === ncrWrites) ncrsOfLot?.set(lot, found);
            return found;
          }),
        /** Usually 1 call; the filters are ISOlocity's own. */
        listNcrs: async (page, filter) => {
          const position = decodeCursor(page.after);
          return toPage(await client.ncrsRange(filter, position, page.first), position, ncrRecord);
        },
      },
    };
  }

  return {
    vendor: 'ISOLOCITY',
    http,
    forRequest,
    writes: (scope, crosswalk) => new IsolocityWrites(new IsolocityClient(http, scope, endpoints), scope, crosswalk, { partByCode, afterWrite, zone }),
    samplesOf,
    afterWrite,
    invalidateAll() {
      for (const index of [parts, customers, inspections, ncrs, inventory]) index.invalidate();
      ncrsOfLot?.clear();
      inventoryOfPart?.clear();
    },
  };
}

function partKeys(p: PartRecord): (readonly [string, PartRecord])[] {
  return [
    [`id:${p.vendorId}`, p],
    [`code:${p.identification}`, p],
  ];
}

function byIdAndPart<R extends { vendorId: string; partVendorId: string | null }>(records: readonly R[]): (readonly [string, R[]])[] {
  const byPart = new Map<string, R[]>();
  for (const r of records) {
    if (r.partVendorId === null) continue;
    const list = byPart.get(r.partVendorId);
    if (list) list.push(r);
    else byPart.set(r.partVendorId, [r]);
  }
  const entries: (readonly [string, R[]])[] = records.map((r) => [`id:${r.vendorId}`, [r]]);
  for (const [partId, list] of byPart) entries.push([`part:${partId}`, list]);
  return entries;
}

/** `lot:<number>` → the records of that lot. */
function byLot<R extends { lotNumber: string | null }>(records: readonly R[]): (readonly [string, R[]])[] {
  const lots = new Map<string, R[]>();
  for (const r of records) {
    if (!r.lotNumber) continue;
    const list = lots.get(r.lotNumber);
    if (list) list.push(r);
    else lots.set(r.lotNumber, [r]);
  }
  return [...lots].map(([lot, list]) => [`lot:${lot}`, list] as const);
}

/** A whole inventory read stopped after its first page: it has more pages than the request that started it may make calls. */
class WholeReadTooLarge extends Error {
  constructor() {
    super('the whole ISOlocity inventory list takes more calls than the request may still make');
  }
}

/**
 * Orders have no filter in ISOlocity, and their only status is `is_closed`. Without a status filter
 * a page is one range read; with one, pages are scanned in order and the cursor is the position
 * after the last order consumed, so the next page resumes there. `hasNextPage` is true while
 * unscanned orders remain (they may all turn out not to match).
 */
async function listOrders(
  client: IsolocityClient,
  page: PageRequest,
  filter: OrderFilter,
  toRecords: (orders: readonly IsolocityOrder[]) => Promise<OrderRecord[]>,
): Promise<PageResult<OrderRecord>> {
  const start = decodeCursor(page.after);
  if (filter.statuses === null) {
    const range = await client.ordersRange(start, page.first);
    const records = await toRecords(range.rows);
    return toPage({ rows: records, more: range.more }, start, (r) => r);
  }
  const wanted = new Set(filter.statuses);
  const matched: IsolocityOrder[] = [];
  let position = start;
  let more = true;
  while (matched.length < page.first && more) {
    const range = await client.ordersRange(position, PER_PAGE);
    if (range.rows.length === 0) {
      more = false;
      break;
    }
    let consumed = 0;
    for (const order of range.rows) {
      consumed++;
      if (wanted.has(orderStatusOf(order.is_closed))) matched.push(order);
      if (matched.length === page.first) break;
    }
    position += consumed;
    // Unscanned rows remain in this range, or the list goes on past it.
    more = consumed < range.rows.length || range.more;
  }
  const records = await toRecords(matched);
  return { items: records, endCursor: records.length > 0 || position > start ? encodeCursor(position) : null, hasNextPage: more };
}
