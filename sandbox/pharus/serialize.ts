import { formatNullable, formatScaled, MONEY_PLACES, QUANTITY_PLACES } from './decimal.js';
import type {
  CustomerRecord,
  LedgerEntryRecord,
  LocationRecord,
  LookupRecord,
  MaterialRecord,
  SalesOrderItemRecord,
  SalesOrderRecord,
  SkuRecord,
  StockCellRecord,
  TimelineNoteRecord,
} from './records.js';
import type { DemandCell } from './demand.js';

/**
 * Records → the JSON of document 001's response samples, field for field. Decimals are strings,
 * times ISO-8601, absent values null (the samples show every field, so none is ever left out).
 */
const iso = (d: Date) => d.toISOString();
const isoOrNull = (d: Date | null) => (d === null ? null : d.toISOString());

export function lookupJson(orgId: string, r: LookupRecord) {
  return { id: r.id, orgId, name: r.name, sortOrder: r.sortOrder, isActive: r.isActive, createdAt: iso(r.createdAt) };
}

export function locationJson(orgId: string, r: LocationRecord) {
  return {
    id: r.id,
    orgId,
    name: r.name,
    sortOrder: r.sortOrder,
    address: r.address,
    city: r.city,
    state: r.state,
    country: r.country,
    zipCode: r.zipCode,
    notes: r.notes,
    isActive: r.isActive,
    createdAt: iso(r.createdAt),
    updatedAt: iso(r.updatedAt),
  };
}

export function skuJson(orgId: string, r: SkuRecord) {
  return {
    id: r.id,
    orgId,
    skuCode: r.skuCode,
    name: r.name,
    skuTypeId: r.skuTypeId,
    itemsPerUnit: r.itemsPerUnit,
    ozPerItem: formatNullable(r.ozPerItem, QUANTITY_PLACES),
    qboId: r.qboId,
    notes: r.notes,
    isActive: r.isActive,
    createdAt: iso(r.createdAt),
    updatedAt: iso(r.updatedAt),
  };
}

export function materialJson(orgId: string, r: MaterialRecord) {
  return {
    id: r.id,
    orgId,
    materialCode: r.materialCode,
    name: r.name,
    materialTypeId: r.materialTypeId,
    notes: r.notes,
    isActive: r.isActive,
    createdAt: iso(r.createdAt),
    updatedAt: iso(r.updatedAt),
  };
}

export function customerJson(orgId: string, r: CustomerRecord) {
  return {
    id: r.id,
    orgId,
    name: r.name,
    customerTypeId: r.customerTypeId,
    customerSegmentId: r.customerSegmentId,
    brokerId: r.brokerId,
    brokerFeePercent: formatNullable(r.brokerFeePercent, MONEY_PLACES),
    address: r.address,
    city: r.city,
    state: r.state,
    country: r.country,
    zipCode: r.zipCode,
    parentCustomerId: r.parentCustomerId,
    qboId: r.qboId,
    notes: r.notes,
    isActive: r.isActive,
    createdAt: iso(r.createdAt),
    updatedAt: iso(r.updatedAt),
  };
}

export function salesOrderJson(orgId: string, r: SalesOrderRecord) {
  return {
    id: r.id,
    orgId,
    customerId: r.customerId,
    soNumber: r.soNumber,
    orderChannelId: r.orderChannelId,
    orderStatus: r.orderStatus,
    fulfillmentStatus: r.fulfillmentStatus,
    fulfillmentLocationId: r.fulfillmentLocationId,
    brokerId: r.brokerId,
    brokerFeePercent: formatNullable(r.brokerFeePercent, MONEY_PLACES),
    brokerFees: formatScaled(r.brokerFees, MONEY_PLACES),
    fulfillmentCosts: formatScaled(r.fulfillmentCosts, MONEY_PLACES),
    freightCosts: formatScaled(r.freightCosts, MONEY_PLACES),
    promoCosts: formatScaled(r.promoCosts, MONEY_PLACES),
    otherCosts: formatScaled(r.otherCosts, MONEY_PLACES),
    mabd: r.mabd,
    placedAt: iso(r.placedAt),
    receivedAt: isoOrNull(r.receivedAt),
    enteredAt: isoOrNull(r.enteredAt),
    shippedAt: isoOrNull(r.shippedAt),
    invoicedAt: isoOrNull(r.invoicedAt),
    paidAt: isoOrNull(r.paidAt),
    rejectedAt: isoOrNull(r.rejectedAt),
    inDisputeAt: isoOrNull(r.inDisputeAt),
    completedAt: isoOrNull(r.completedAt),
    notes: r.notes,
    qboId: r.qboId,
    createdAt: iso(r.createdAt),
    updatedAt: iso(r.updatedAt),
  };
}

export function salesOrderItemJson(orgId: string, r: SalesOrderItemRecord) {
  return { id: r.id, orgId, salesOrderId: r.salesOrderId, skuId: r.skuId, quantity: r.quantity, unitPrice: formatScaled(r.unitPrice, MONEY_PLACES) };
}

/** "Get sales order detail" and "Create sales order": `{ salesOrder, items }`. */
export function salesOrderDetailJson(orgId: string, r: SalesOrderRecord) {
  return { salesOrder: salesOrderJson(orgId, r), items: r.items.map((i) => salesOrderItemJson(orgId, i)) };
}

export function timelineNoteJson(orgId: string, r: TimelineNoteRecord) {
  return { id: r.id, orgId, salesOrderId: r.salesOrderId, orderStatus: r.orderStatus, note: r.note, createdAt: iso(r.createdAt) };
}

export type ItemField = 'skuId' | 'materialId';

export function ledgerEntryJson(orgId: string, itemField: ItemField, r: LedgerEntryRecord) {
  return {
    id: r.id,
    orgId,
    code: r.code,
    [itemField]: r.itemId,
    locationId: r.locationId,
    eventType: r.eventType,
    quantity: formatScaled(r.quantity, QUANTITY_PLACES),
    unitCost: formatNullable(r.unitCost, MONEY_PLACES),
    ref: r.ref,
    toLocationId: r.toLocationId,
    notes: r.notes,
    eventDate: iso(r.eventDate),
    sourceType: r.sourceType,
    sourceId: r.sourceId,
    createdAt: iso(r.createdAt),
  };
}

/**
 * A finished-goods summary row exactly as E108 shows it
 * (https://docs.pharus.ai/internal/api/endpoints/finished-goods-inventory/E108-get-finished-goods-inventory-summary):
 * `{ skuId, locationId, onHand, demand, allocated, available }`, available = on hand − allocated.
 */
export function finishedGoodsSummaryJson(r: StockCellRecord, open: DemandCell | undefined) {
  const allocated = open?.allocated ?? 0;
  return {
    skuId: r.itemId,
    locationId: r.locationId,
    onHand: formatScaled(r.onHand, QUANTITY_PLACES),
    demand: formatScaled(open?.demand ?? 0, QUANTITY_PLACES),
    allocated: formatScaled(allocated, QUANTITY_PLACES),
    available: formatScaled(r.onHand - allocated, QUANTITY_PLACES),
  };
}

/**
 * A materials summary row as E101 shows it: `{ materialId, locationId, onHand, onOrder }`. The
 * sandbox has no purchase orders, so nothing is ever on order.
 */
export function materialsSummaryJson(r: StockCellRecord) {
  return { materialId: r.itemId, locationId: r.locationId, onHand: formatScaled(r.onHand, QUANTITY_PLACES), onOrder: formatScaled(0, QUANTITY_PLACES) };
}
