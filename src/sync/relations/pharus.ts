import { mapLimit } from '../../vendors/map-limit.js';
import { PAGE_LIMIT, PharusClient } from '../../vendors/pharus/client.js';
import { toOrderRecord, toSkuRecord } from '../../vendors/pharus/mapping.js';
import type { PharusSalesOrderDetail } from '../../vendors/pharus/schemas.js';
import type { VendorSkuRecord } from '../../model/records.js';
import { rowsByKey, toSortTime, type StoredRow } from '../record-store.js';
import type { PassContext, RelationPage, RelationSpec } from '../relation.js';
import { orderRow, skuRow, vendorRecordRow } from '../rows.js';

/**
 * Pharus's relations. Its lists take only `limit` and `cursor` (document 001: no date filters), so
 * every pass reads them whole, following `nextCursor` (the resume cursor), on PHARUS_SYNC_REREAD_MS.
 * The sales-order list carries no items: a detail call (`GET /sales-orders/:id`) is made only for
 * orders that are new or whose `updatedAt` moved since stored (Pharus bumps it on every change,
 * items included), so a pass costs the list pages plus one call per changed order.
 */

/** Detail calls under way at once: Pharus's budget is 20 calls a second. */
const DETAIL_CONCURRENCY = 4;

export const pharusRelations: readonly RelationSpec[] = [
  {
    relation: 'skus',
    source: 'GET /skus',
    increments: 'none',
    async readPage(ctx, cursor) {
      const page = await new PharusClient(ctx.http, ctx.scope).skusPage(cursor, PAGE_LIMIT);
      return { rows: page.rows.map((s) => skuRow(toSkuRecord(s), stringField(s, 'updatedAt'))), next: page.nextCursor, mark: null };
    },
  },
  {
    relation: 'customers',
    source: 'GET /customers',
    increments: 'none',
    async readPage(ctx, cursor) {
      const page = await new PharusClient(ctx.http, ctx.scope).customersPage(cursor, PAGE_LIMIT);
      return { rows: page.rows.map((c) => vendorRecordRow(c.id, c, { number: c.name, vendorUpdatedAt: stringField(c, 'updatedAt') })), next: page.nextCursor, mark: null };
    },
  },
  // Bounded lists (document 001: `{ data }`, no paging), one call each: the places of stock levels
  // and the locations and channel a write names. Keyed by the lower-cased id (Pharus ids are UUIDs
  // and writes may spell them either way); a channel's `number` is its lower-cased name.
  {
    relation: 'locations',
    source: 'GET /locations',
    increments: 'none',
    async readPage(ctx) {
      const rows = await new PharusClient(ctx.http, ctx.scope).allLocations();
      return { rows: rows.map((l) => vendorRecordRow(l.id.toLowerCase(), l, { number: l.name ?? null, vendorUpdatedAt: stringField(l, 'updatedAt') })), next: null, mark: null };
    },
  },
  {
    relation: 'orderChannels',
    source: 'GET /order-channels',
    increments: 'none',
    async readPage(ctx) {
      const rows = await new PharusClient(ctx.http, ctx.scope).allOrderChannels();
      return { rows: rows.map((c) => vendorRecordRow(c.id.toLowerCase(), c, { number: c.name.toLowerCase(), vendorUpdatedAt: stringField(c, 'updatedAt') })), next: null, mark: null };
    },
  },
  {
    relation: 'orders',
    source: 'GET /sales-orders (+ GET /sales-orders/:id when changed)',
    increments: 'none',
    readPage: readOrdersPage,
  },
];

async function readOrdersPage(ctx: PassContext, cursor: string | null): Promise<RelationPage> {
  const client = new PharusClient(ctx.http, ctx.scope);
  const page = await client.salesOrdersPage(cursor, PAGE_LIMIT);
  const stored = await storedUpdatedAt(ctx, page.rows.map((o) => o.id));
  const changed = page.rows.filter((o) => {
    const known = stored.get(o.id);
    return known === undefined || known === '' || known !== toSortTime(o.updatedAt);
  });
  const unchangedKeys = page.rows.filter((o) => !changed.includes(o)).map((o) => o.id);
  const details = (await mapLimit(changed, DETAIL_CONCURRENCY, (o) => client.getSalesOrder(o.id))).flatMap((d) => (d ? [d] : []));
  return { rows: await toOrderRows(ctx, details), unchangedKeys, next: page.nextCursor, mark: null };
}

/** Orders with their lines' SKU codes and customer names from the stored SKUs and customers (synced first). */
async function toOrderRows(ctx: PassContext, details: PharusSalesOrderDetail[]): Promise<StoredRow[]> {
  const skuIds = details.flatMap((d) => d.items.map((i) => i.skuId));
  const customerIds = details.flatMap((d) => (d.salesOrder.customerId ? [d.salesOrder.customerId] : []));
  const skus = (await rowsByKey(ctx.db, 'PHARUS', 'skus', skuIds)) as Map<string, VendorSkuRecord>;
  const customers = (await rowsByKey(ctx.db, 'PHARUS', 'customers', customerIds)) as Map<string, { name?: string | null }>;
  return details.map((d) =>
    orderRow(toOrderRecord(d, { sku: (id) => skus.get(id), customerName: (id) => customers.get(id)?.name ?? null }), d.salesOrder.updatedAt ?? null),
  );
}

async function storedUpdatedAt(ctx: PassContext, keys: readonly string[]): Promise<Map<string, string>> {
  if (keys.length === 0) return new Map();
  const rows = await ctx.db.selectFrom('synced_record').select(['key', 'vendor_updated_at']).where('vendor', '=', 'PHARUS').where('relation', '=', 'orders').where('key', 'in', [...keys]).execute();
  return new Map(rows.map((r) => [r.key, r.vendor_updated_at]));
}

function stringField(record: Record<string, unknown>, name: string): string | null {
  const value = record[name];
  return typeof value === 'string' ? value : null;
}
