import type { z } from 'zod';
import type { PartRecord } from '../../model/records.js';
import { IsolocityClient, PER_PAGE } from '../../vendors/isolocity/client.js';
import { toInspectionRecord, toNcrRecord, toOrderRecord, toPartRecord } from '../../vendors/isolocity/mapping.js';
import { isolocityEndpoints, type IsolocityOperation } from '../../vendors/isolocity/paths.js';
import { customerSchema, inspectionSchema, ncrSchema, orderSchema, partSchema, type IsolocityOrder } from '../../vendors/isolocity/schemas.js';
import { rowsByKey, type StoredRow, type SyncedRelation } from '../record-store.js';
import type { PassContext, RelationPage, RelationSpec } from '../relation.js';
import { inspectionRow, ncrRow, orderRow, partRow, vendorRecordRow } from '../rows.js';

/**
 * ISOlocity's relations. Its lists have no filters at all (docs/vendors/isolocity.md), so each is
 * re-read whole on ISOLOCITY_SYNC_REREAD_MS, page by page through `page`/`per_page`. The cursor is
 * `<next page>:<page size the vendor really served>` (`meta.per_page`), so a vendor that cut the
 * size is continued with its own size and nothing is skipped or read twice.
 */

type ListOperation = Extract<IsolocityOperation, `list${string}`>;

function relation<S extends z.ZodType>(
  relationName: SyncedRelation,
  operation: ListOperation,
  schema: S,
  toRows: (ctx: PassContext, records: z.output<S>[]) => StoredRow[] | Promise<StoredRow[]>,
): RelationSpec {
  return {
    relation: relationName,
    source: isolocityEndpoints()[operation].route,
    increments: 'none',
    async readPage(ctx, cursor): Promise<RelationPage> {
      const client = new IsolocityClient(ctx.http, ctx.scope, isolocityEndpoints(ctx.settings.vendorSettings?.isolocity.paths));
      const [pageText, sizeText] = (cursor ?? `1:${PER_PAGE}`).split(':');
      const endpoint = client.endpoints[operation];
      const page = await client.readPage({ route: endpoint.route, path: endpoint.path() }, schema, Number(pageText), Number(sizeText));
      const rows = await toRows(ctx, page.rows);
      return {
        rows,
        next: page.next === null ? null : `${page.next}:${page.perPage}`,
        mark: null,
        expectedRows: page.pageCount === null ? null : page.pageCount * page.perPage,
      };
    },
  };
}

const zoneOf = (ctx: PassContext) => ctx.settings.vendorSettings?.isolocity.timeZone ?? 'UTC';
const updatedAt = (record: Record<string, unknown>): string | null => (typeof record.updated_at === 'string' ? record.updated_at : null);

export const isolocityRelations: readonly RelationSpec[] = [
  relation('parts', 'listParts', partSchema, (ctx, parts) => parts.map((p) => partRow(toPartRecord(p), updatedAt(p)))),
  relation('customers', 'listCustomers', customerSchema, (_ctx, customers) => customers.map((c) => vendorRecordRow(c.id, c, { number: c.name, vendorUpdatedAt: updatedAt(c) }))),
  relation('inspections', 'listInspections', inspectionSchema, (ctx, inspections) => inspections.map((i) => inspectionRow(toInspectionRecord(i, zoneOf(ctx)), updatedAt(i)))),
  relation('ncrs', 'listNcrs', ncrSchema, (ctx, ncrs) => ncrs.map((n) => ncrRow(toNcrRecord(n, zoneOf(ctx)), updatedAt(n)))),
  relation('orders', 'listOrders', orderSchema, toOrderRows),
];

/** Orders name parts and customers by id: their codes and names come from the stored parts and customers (synced first). */
async function toOrderRows(ctx: PassContext, orders: IsolocityOrder[]): Promise<StoredRow[]> {
  const parts = (await rowsByKey(ctx.db, 'ISOLOCITY', 'parts', orders.flatMap((o) => (o.items ?? []).map((i) => i.part_id)))) as Map<string, PartRecord>;
  const customers = (await rowsByKey(ctx.db, 'ISOLOCITY', 'customers', orders.flatMap((o) => (o.contact_id ? [o.contact_id] : [])))) as Map<string, { name?: string | null }>;
  const zone = zoneOf(ctx);
  return orders.map((o) => orderRow(toOrderRecord(o, { zone, part: (id) => parts.get(id), customerName: (id) => customers.get(id)?.name ?? null }), updatedAt(o)));
}
