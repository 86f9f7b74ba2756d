import type { z } from 'zod';
import { DEFAULT_MAX_PAGE_SIZE, DistruClient, type ListCall } from '../../vendors/distru/client.js';
import { toInvoiceRecord, toOrderRecord, toPurchaseRecord, toSkuRecord } from '../../vendors/distru/mapping.js';
import { batchSchema, companySchema, invoiceSchema, locationSchema, orderSchema, productSchema, purchaseSchema } from '../../vendors/distru/schemas.js';
import { toSortTime, type StoredRow, type SyncedRelation } from '../record-store.js';
import { laterMark, type PassContext, type RelationPage, type RelationSpec } from '../relation.js';
import { invoiceRow, orderRow, purchaseRow, skuRow, vendorRecordRow } from '../rows.js';

/**
 * Distru's relations. Every list is paged by `page[number]` and followed while the body names a
 * `next_page` (seed README: Distru lowers page sizes silently), the cursor being the next page's
 * number. Orders, invoices, purchases, products and companies carry `updated_datetime` and take an
 * `updated_datetime=<from>,` range (seed 002), so after the first pass only what changed at or after
 * the greatest `updated_datetime` seen is read (`from` is inclusive: the records at the mark are
 * read again, never missed). Batch and location rows carry no update time, so they are re-read whole
 * on DISTRU_SYNC_REREAD_MS.
 */

interface DistruList<S extends z.ZodType> {
  relation: SyncedRelation;
  call: ListCall;
  schema: S;
  /** The record's `updated_datetime`, for relations read by increments. */
  updatedOf?: (row: z.output<S>) => string | null | undefined;
  toRow(row: z.output<S>): StoredRow | null;
}

function relation<S extends z.ZodType>(list: DistruList<S>): RelationSpec {
  return {
    relation: list.relation,
    source: list.call.route,
    increments: list.updatedOf ? 'filter' : 'none',
    async readPage(ctx: PassContext, cursor: string | null, since: string | null): Promise<RelationPage> {
      const client = new DistruClient(ctx.http, ctx.scope, ctx.settings.vendorSettings?.distru.maxPageSize ?? DEFAULT_MAX_PAGE_SIZE);
      const query = [...(list.call.query ?? []), ...(since !== null ? ([['updated_datetime', `${since},`]] as const) : [])];
      const page = await client.readPage({ ...list.call, query }, list.schema, cursor === null ? 1 : Number(cursor));
      let mark: string | null = null;
      const rows: StoredRow[] = [];
      for (const record of page.rows) {
        if (list.updatedOf) mark = laterMark(mark, toSortTime(list.updatedOf(record)));
        const row = list.toRow(record);
        if (row) rows.push(row);
      }
      return { rows, next: page.next === null ? null : String(page.next), mark, servedAt: page.servedAt };
    },
  };
}

const route = (path: string) => `GET ${path}`;
const call = (path: string, pageSize: number): ListCall => ({ route: route(path), path, pageSize });

export const distruRelations: readonly RelationSpec[] = [
  relation({
    relation: 'locations',
    call: call('/public/v1/locations', 500),
    schema: locationSchema,
    toRow: (l) => vendorRecordRow(l.id, l, { number: l.name }),
  }),
  relation({
    relation: 'companies',
    call: call('/public/v1/companies', 500),
    schema: companySchema,
    updatedOf: (c) => c.updated_datetime,
    toRow: (c) => vendorRecordRow(c.id, c, { number: c.name, vendorUpdatedAt: c.updated_datetime }),
  }),
  relation({
    relation: 'skus',
    call: call('/public/v1/products', 500),
    schema: productSchema,
    updatedOf: (p) => p.updated_datetime,
    // A product without a SKU code cannot be joined or listed as a SKU (the document makes `sku` optional).
    toRow: (p) => (p.sku ? skuRow(toSkuRecord({ ...p, sku: p.sku }), p.updated_datetime ?? null) : null),
  }),
  relation({
    relation: 'batches',
    call: call('/public/v1/batches', 500),
    schema: batchSchema,
    toRow: (b) => vendorRecordRow(b.id, b, { number: b.batch_number ?? b.name }),
  }),
  relation({
    relation: 'orders',
    call: call('/public/v1/orders', 100),
    schema: orderSchema,
    updatedOf: (o) => o.updated_datetime,
    toRow: (o) => orderRow(toOrderRecord(o), o.updated_datetime ?? null),
  }),
  relation({
    relation: 'invoices',
    call: call('/public/v1/invoices', 100),
    schema: invoiceSchema,
    updatedOf: (i) => i.updated_datetime,
    toRow: (i) => invoiceRow(toInvoiceRecord(i), i.updated_datetime ?? null),
  }),
  relation({
    relation: 'purchases',
    call: call('/public/v1/purchases', 100),
    schema: purchaseSchema,
    updatedOf: (p) => p.updated_datetime,
    toRow: (p) => purchaseRow(toPurchaseRecord(p), p.updated_datetime ?? null),
  }),
];
