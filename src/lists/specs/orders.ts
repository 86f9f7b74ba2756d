import { ORDER_STATUSES, ORDER_VENDORS, type OrderRecord } from '../../model/records.js';
import { closedSet, instantFilter, oneOfFilter, rangeFilter, skuCodeParts, textFilter, vendorsFilter } from '../filter-rules.js';
import type { ListSpec, RowFilter } from '../list-spec.js';

/** `OrderFilter` (schema/orders.graphql); the export's query parameters fill the same shape. */
export interface OrderListFilter {
  vendors?: readonly string[] | null;
  statuses?: readonly string[] | null;
  customer?: string | null;
  number?: string | null;
  skuCode?: string | null;
  lotNumber?: string | null;
  orderedAt?: { from?: string | null; to?: string | null } | null;
  updatedSince?: string | null;
}

const STATUSES = closedSet(ORDER_STATUSES);

/** Sales orders of Distru, Pharus and ISOlocity, merged; the store's `status` is the unified OrderStatus. */
export const ordersList: ListSpec<OrderListFilter, OrderRecord> = {
  name: 'orders',
  relation: 'orders',
  vendors: ORDER_VENDORS,
  orderFields: ['TIME', 'NUMBER', 'UPDATED'],
  defaultOrder: { field: 'TIME', direction: 'DESC' },
  plan(filter, ctx, field) {
    const vendors = vendorsFilter(filter?.vendors, ORDER_VENDORS, ctx, `${field}.vendors`);
    const statuses = oneOfFilter(filter?.statuses, STATUSES, `${field}.statuses`);
    const customer = textFilter(filter?.customer, `${field}.customer`);
    const number = textFilter(filter?.number, `${field}.number`);
    const lot = textFilter(filter?.lotNumber, `${field}.lotNumber`);
    const updatedSince = instantFilter(filter?.updatedSince, `${field}.updatedSince`);
    const base: RowFilter = {
      ...(statuses ? { statuses } : {}),
      ...(customer !== undefined ? { customer } : {}),
      ...(number !== undefined ? { number } : {}),
      ...rangeFilter(filter?.orderedAt, `${field}.orderedAt`),
      ...(updatedSince !== undefined ? { updatedSince } : {}),
    };
    const sku = textFilter(filter?.skuCode, `${field}.skuCode`);
    if (sku !== undefined && lot !== undefined) {
      // The store filters on one tag: the lot narrows most, the SKU is checked on the lines.
      const canonical = ctx.crosswalk.canonicalOfAny(sku);
      return {
        parts: [{ ...base, vendors, tag: { kind: 'lot', value: lot } }],
        residual: (order) => order.lines.some((l) => l.vendorSkuCode !== null && ctx.crosswalk.toCanonical(order.vendor, l.vendorSkuCode) === canonical),
        empty: vendors.length === 0,
      };
    }
    if (lot !== undefined) return { parts: [{ ...base, vendors, tag: { kind: 'lot', value: lot } }], empty: vendors.length === 0 };
    return { parts: skuCodeParts(base, vendors, sku, ctx), empty: vendors.length === 0 };
  },
  node: (_vendor, _key, data) => data as OrderRecord,
};
