import { addDecimals, multiplyDecimals, toDecimal } from '../../model/decimal.js';
import type { InventoryLevelRecord, OrderLineRecord, OrderRecord, OrderStatus, VendorSkuRecord } from '../../model/records.js';
import type { PharusFgSummaryRow, PharusSalesOrderDetail, PharusSku } from './schemas.js';

/** Pure mappings of Pharus payloads to opsgraph's unified records. */

export function toSkuRecord(sku: PharusSku): VendorSkuRecord {
  return { vendor: 'PHARUS', vendorId: sku.id, code: sku.skuCode, name: sku.name ?? null };
}

/**
 * Pharus `orderStatus` (document 001, "SalesOrders") → the unified lifecycle. Paid and Completed
 * both close the order (the money is in); In-Dispute is still a receivable, so INVOICED.
 */
const STATUS: Readonly<Record<string, OrderStatus>> = {
  Received: 'DRAFT',
  Entered: 'OPEN',
  Shipped: 'FULFILLED',
  Invoiced: 'INVOICED',
  'In-Dispute': 'INVOICED',
  Paid: 'CLOSED',
  Completed: 'CLOSED',
  Rejected: 'CANCELLED',
};

export function orderStatusOf(vendorStatus: string | null | undefined): OrderStatus {
  return (vendorStatus !== null && vendorStatus !== undefined && STATUS[vendorStatus]) || 'UNKNOWN';
}

/** The Pharus statuses that map to any of `statuses` (for filtering a list that has no filter). */
export function vendorStatusesOf(statuses: readonly OrderStatus[]): Set<string> {
  return new Set(Object.entries(STATUS).flatMap(([vendor, unified]) => (statuses.includes(unified) ? [vendor] : [])));
}

/** A time as ISO-8601; a bare date (`mabd`) is that day's UTC midnight; unreadable → null. */
export function isoTime(value: string | null | undefined): string | null {
  if (value === null || value === undefined || value === '') return null;
  const date = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00.000Z` : value);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/**
 * One FG summary row as the stock of `code` at its location (E108: `available` = on hand −
 * `allocated`, both as Pharus computes them). Pharus tracks no lot in the summary.
 */
export function toLevelRecord(row: PharusFgSummaryRow, code: string): InventoryLevelRecord {
  return {
    vendor: 'PHARUS',
    vendorSkuCode: code,
    location: { id: row.locationId, name: row.locationName ?? null },
    lotNumber: null,
    onHand: toDecimal(row.onHand),
    available: row.available == null ? null : toDecimal(row.available),
    allocated: row.allocated == null ? null : toDecimal(row.allocated),
    updatedAt: isoTime(row.lastEventDate),
  };
}

export interface OrderLookups {
  /** The SKU an item names, or undefined when it is unknown. */
  sku(id: string): VendorSkuRecord | undefined;
  customerName(id: string): string | null;
}

/** `{ salesOrder, items }` → an order; `total` is the sum of the lines (fees and costs aside). */
export function toOrderRecord(detail: PharusSalesOrderDetail, lookups: OrderLookups): OrderRecord {
  const order = detail.salesOrder;
  const lines: OrderLineRecord[] = detail.items.map((item) => {
    const sku = lookups.sku(item.skuId);
    return {
      vendorId: item.id,
      vendorSkuCode: sku?.code ?? null,
      productName: sku?.name ?? null,
      quantity: toDecimal(item.quantity),
      unitPrice: item.unitPrice === null || item.unitPrice === undefined ? null : toDecimal(item.unitPrice),
      lotNumber: null,
    };
  });
  const priced = lines.flatMap((l) => (l.unitPrice === null ? [] : [multiplyDecimals(l.quantity, l.unitPrice)]));
  return {
    vendor: 'PHARUS',
    vendorId: order.id,
    number: order.soNumber ?? null,
    status: orderStatusOf(order.orderStatus),
    vendorStatus: order.orderStatus ?? null,
    orderedAt: isoTime(order.placedAt),
    dueAt: isoTime(order.mabd),
    total: priced.length === lines.length ? addDecimals(priced) : null,
    customerName: order.customerId ? lookups.customerName(order.customerId) : null,
    lines,
    fulfillmentStatus: order.fulfillmentStatus ?? null,
    channelVendorId: order.orderChannelId ?? null,
  };
}
