import { toDecimal, toDecimalOrNull } from '../../model/decimal.js';
import { toUtcIso } from '../../model/time.js';
import type { AddressRecord, ChargeRecord, ChargeType, InventoryLevelRecord, InvoiceRecord, OrderLineRecord, OrderRecord, OrderStatus, VendorSkuRecord } from '../../model/records.js';
import type { DistruCharge, DistruInventory, DistruInvoice, DistruLocationRef, DistruOrder, DistruProduct, DistruPurchase } from './schemas.js';

/** Distru payloads → opsgraph's unified records. Pure functions. */

/**
 * A Distru datetime as ISO-8601 UTC keeping its microseconds (Distru sends `…T10:28:28.507476Z`,
 * seed 002's recorded bodies), or null when absent or unreadable.
 */
export function isoTime(value: string | null | undefined): string | null {
  return toUtcIso(value);
}

/**
 * Distru sales order statuses (seed 002, "Upsert an order") → the unified lifecycle. Distru tracks
 * invoicing apart from the order, so no Distru status is INVOICED.
 */
const ORDER_STATUS: Record<string, OrderStatus> = {
  PENDING: 'DRAFT',
  PROCESSING: 'OPEN',
  READY_TO_SHIP: 'OPEN',
  DELIVERING: 'FULFILLED',
  DELIVERED: 'FULFILLED',
  COMPLETED: 'CLOSED',
  CANCELED: 'CANCELLED',
};

export function orderStatusOf(status: string | null | undefined): OrderStatus {
  return (status ? ORDER_STATUS[status.toUpperCase().replace(/ /g, '_')] : undefined) ?? 'UNKNOWN';
}

/** The Distru statuses a `status[]` filter needs for unified statuses (none for INVOICED, UNKNOWN). */
export function distruStatusesFor(statuses: readonly OrderStatus[]): string[] {
  const wanted = new Set(statuses);
  return Object.entries(ORDER_STATUS).flatMap(([distru, unified]) => (wanted.has(unified) ? [distru] : []));
}

/**
 * Invoice statuses: bodies carry `NOT_PAID`…, the `status[]` filter takes "Not Paid"… (seed 002).
 * Records carry the filter's form, so a status read from one invoice filters for its like.
 */
export const INVOICE_STATUS_NAMES: Record<string, string> = {
  NOT_PAID: 'Not Paid',
  PARTIALLY_PAID: 'Partially Paid',
  FULLY_PAID: 'Fully Paid',
  OVER_PAID: 'Over Paid',
};
export const INVOICE_FILTER_VALUES: readonly string[] = Object.values(INVOICE_STATUS_NAMES);

export function toSkuRecord(p: DistruProduct & { sku: string }): VendorSkuRecord {
  return { vendor: 'DISTRU', vendorId: p.id, code: p.sku, name: p.name ?? null, unitOfMeasure: p.unit_type?.name ?? null };
}

export function toOrderRecord(o: DistruOrder): OrderRecord {
  return {
    vendor: 'DISTRU',
    vendorId: o.id,
    number: o.order_number ?? null,
    status: orderStatusOf(o.status),
    vendorStatus: o.status ?? null,
    orderedAt: isoTime(o.order_datetime),
    dueAt: isoTime(o.due_datetime),
    total: toDecimalOrNull(o.total),
    customerName: o.company?.name ?? null,
    lines: (o.items ?? []).map(toLine),
    billingAddress: toAddress(o.billing_location),
    shippingAddress: toAddress(o.shipping_location),
    charges: (o.charges ?? []).map(toCharge),
  };
}

type DistruItem = NonNullable<DistruOrder['items']>[number];

function toLine(item: DistruItem): OrderLineRecord {
  return {
    vendorId: item.id ?? null,
    vendorSkuCode: item.product?.sku ?? null,
    productVendorId: item.product?.id ?? null,
    productName: item.product?.name ?? null,
    quantity: toDecimal(item.quantity),
    unitPrice: toDecimalOrNull(item.price),
    // The lot: the batch's number, else its name (Distru often leaves batch_number empty), else the package's batch.
    lotNumber: item.batch?.batch_number ?? item.batch?.name ?? item.package?.batch_number ?? null,
    // Seed 002's embedded products carry no unit_type; when one does, the line says it, else OrderLine asks the product.
    unitOfMeasure: item.product?.unit_type?.name ?? null,
  };
}

function toAddress(location: DistruLocationRef | null | undefined): AddressRecord | null {
  return location ? { locationId: location.id ?? null, name: location.name ?? null, address: location.address ?? null } : null;
}

/** seed 002's examples spell types `"TAX"` and `"Tax"`: compared without case. */
const CHARGE_TYPES: Record<string, ChargeType> = { TAX: 'TAX', DISCOUNT: 'DISCOUNT', CHARGE: 'CHARGE' };

export function toCharge(c: DistruCharge): ChargeRecord {
  return {
    vendorId: c.id ?? null,
    name: c.name ?? null,
    type: (c.type ? CHARGE_TYPES[c.type.toUpperCase()] : undefined) ?? 'OTHER',
    vendorType: c.type ?? null,
    unitType: c.unit_type ?? null,
    percent: toDecimalOrNull(c.percent),
    amount: toDecimalOrNull(c.price),
    taxName: c.tax?.name ?? null,
    taxPercent: toDecimalOrNull(c.tax?.percent),
  };
}

/**
 * What is still owed. Distru's invoice model (seed 002) has no balance, only a payment status: a
 * `NOT_PAID` invoice owes its total, a `FULLY_PAID` one nothing; for `PARTIALLY_PAID` and
 * `OVER_PAID` only a balance Distru sends itself can say (docs/vendors/distru.md "Invoice balance").
 */
function balanceOf(i: DistruInvoice, total: string | null): string | null {
  if (i.balance !== null && i.balance !== undefined) return toDecimal(i.balance);
  const status = i.status?.toUpperCase().replace(/ /g, '_');
  if (status === 'FULLY_PAID') return '0';
  if (status === 'NOT_PAID') return total;
  return null;
}

export function toInvoiceRecord(i: DistruInvoice): InvoiceRecord {
  return {
    vendor: 'DISTRU',
    vendorId: i.id,
    number: i.invoice_number ?? null,
    status: i.status ? (INVOICE_STATUS_NAMES[i.status] ?? i.status) : null,
    total: toDecimalOrNull(i.total),
    balance: balanceOf(i, toDecimalOrNull(i.total)),
    invoicedAt: isoTime(i.invoice_datetime),
    dueAt: isoTime(i.due_datetime),
    orderVendorId: i.order?.id ?? null,
    lines: (i.items ?? []).map((item) => {
      const line = toLine(item);
      return { vendorId: line.vendorId, orderLineVendorId: item.order_item_id ?? null, vendorSkuCode: line.vendorSkuCode, productName: line.productName, quantity: line.quantity, unitPrice: line.unitPrice, lotNumber: line.lotNumber };
    }),
    charges: (i.charges ?? []).map(toCharge),
  };
}

/** A level without its SKU code: the code is the one the caller asked for (see runtime.ts). */
export type LevelOfProduct = Omit<InventoryLevelRecord, 'vendorSkuCode'>;

export function toLevel(row: DistruInventory, locationName: (id: string) => string | null): LevelOfProduct {
  return {
    vendor: 'DISTRU',
    location: row.location_id ? { id: row.location_id, name: locationName(row.location_id) } : null,
    lotNumber: row.batch_number ?? null,
    onHand: toDecimal(row.active),
    available: toDecimalOrNull(row.available),
    updatedAt: isoTime(row.updated_datetime),
  };
}

/** A Distru purchase order as the `DistruPurchase` GraphQL type shows it (less `sku`, which needs the crosswalk). */
export interface DistruPurchaseRecord {
  vendor: 'DISTRU';
  vendorId: string;
  number: string | null;
  status: string | null;
  supplierName: string | null;
  orderedAt: string | null;
  dueAt: string | null;
  total: string | null;
  lines: DistruPurchaseLineRecord[];
}

export interface DistruPurchaseLineRecord {
  vendorId: string | null;
  vendorSkuCode: string | null;
  productName: string | null;
  lotNumber: string | null;
  quantity: string;
  receivedQuantity: string | null;
  unitPrice: string | null;
}

export function toPurchaseRecord(p: DistruPurchase): DistruPurchaseRecord {
  return {
    vendor: 'DISTRU',
    vendorId: p.id,
    number: p.purchase_number ?? null,
    status: p.status ?? null,
    supplierName: p.company?.name ?? null,
    orderedAt: isoTime(p.order_datetime),
    dueAt: isoTime(p.due_datetime),
    total: toDecimalOrNull(p.total),
    lines: (p.items ?? []).map((item) => ({
      vendorId: item.id ?? null,
      vendorSkuCode: item.product?.sku ?? null,
      productName: item.product?.name ?? null,
      lotNumber: item.batch?.batch_number ?? item.batch?.name ?? null,
      quantity: toDecimal(item.quantity),
      receivedQuantity: toDecimalOrNull(item.received_quantity),
      unitPrice: toDecimalOrNull(item.price),
    })),
  };
}
