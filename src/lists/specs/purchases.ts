import { purchaseSchema } from '../../vendors/distru/schemas.js';
import { toPurchaseRecord, type DistruPurchaseRecord } from '../../vendors/distru/mapping.js';
import type { SkuRef } from '../../model/sku.js';
import { closedSet, instantFilter, oneOfFilter, rangeFilter, skuCodeParts, textFilter, vendorsFilter } from '../filter-rules.js';
import type { ListContext, ListSpec, RowFilter } from '../list-spec.js';

/** `DistruPurchaseFilter` (schema/purchases.graphql). */
export interface PurchaseListFilter {
  statuses?: readonly string[] | null;
  supplier?: string | null;
  number?: string | null;
  skuCode?: string | null;
  lotNumber?: string | null;
  orderedAt?: { from?: string | null; to?: string | null } | null;
  updatedSince?: string | null;
}

/** Distru purchase statuses (seed 002, "Purchases": the `status` values of its recorded bodies). */
const STATUSES = closedSet(['PENDING', 'PROCESSING', 'DELIVERING', 'PARTIALLY_RECEIVED', 'COMPLETED']);

/** What the `DistruPurchase` type is built from: the record, each line with its SKU. */
export type PurchaseNode = Omit<DistruPurchaseRecord, 'lines'> & { lines: (DistruPurchaseRecord['lines'][number] & { sku: SkuRef | null })[] };

/** A stored purchase: the unified record, or Distru's own (parsed as every Distru answer is). */
function recordOf(data: unknown): DistruPurchaseRecord {
  if (data !== null && typeof data === 'object' && 'vendorId' in data) return data as DistruPurchaseRecord;
  return toPurchaseRecord(purchaseSchema.parse(data));
}

export function purchaseNode(data: unknown, ctx: Pick<ListContext, 'crosswalk'>): PurchaseNode {
  const record = recordOf(data);
  return { ...record, lines: record.lines.map((line) => ({ ...line, sku: line.vendorSkuCode === null ? null : { code: ctx.crosswalk.toCanonical('DISTRU', line.vendorSkuCode), knownName: line.productName } })) };
}

export const purchasesList: ListSpec<PurchaseListFilter, PurchaseNode> = {
  name: 'purchases',
  relation: 'purchases',
  vendors: ['DISTRU'],
  orderFields: ['TIME', 'NUMBER', 'UPDATED'],
  defaultOrder: { field: 'TIME', direction: 'DESC' },
  plan(filter, ctx, field) {
    const vendors = vendorsFilter(null, ['DISTRU'], ctx, `${field}.vendors`);
    const statuses = oneOfFilter(filter?.statuses, STATUSES, `${field}.statuses`);
    const supplier = textFilter(filter?.supplier, `${field}.supplier`);
    const number = textFilter(filter?.number, `${field}.number`);
    const lot = textFilter(filter?.lotNumber, `${field}.lotNumber`);
    const sku = textFilter(filter?.skuCode, `${field}.skuCode`);
    const updatedSince = instantFilter(filter?.updatedSince, `${field}.updatedSince`);
    const base: RowFilter = {
      ...(statuses ? { statuses } : {}),
      ...(supplier !== undefined ? { customer: supplier } : {}),
      ...(number !== undefined ? { number } : {}),
      ...rangeFilter(filter?.orderedAt, `${field}.orderedAt`),
      ...(updatedSince !== undefined ? { updatedSince } : {}),
    };
    if (lot !== undefined) {
      const canonical = sku === undefined ? undefined : ctx.crosswalk.canonicalOfAny(sku);
      return {
        parts: [{ ...base, vendors, tag: { kind: 'lot', value: lot } }],
        ...(canonical === undefined ? {} : { residual: (p: PurchaseNode) => p.lines.some((l) => l.sku?.code === canonical) }),
        empty: vendors.length === 0,
      };
    }
    return { parts: skuCodeParts(base, vendors, sku, ctx), empty: vendors.length === 0 };
  },
  node: (_vendor, _key, data, ctx) => purchaseNode(data, ctx),
};
