import { multiplyDecimals } from '../model/decimal.js';
import type { InspectionRecord, InventoryLevelRecord, InvoiceRecord, NcrRecord, OrderRecord, OrderLineRecord } from '../model/records.js';
import type { SkuRef } from '../model/sku.js';
import type { ListContext, ListSpec } from '../lists/list-spec.js';
import { ordersList } from '../lists/specs/orders.js';
import { invoicesList } from '../lists/specs/invoices.js';
import { skusList } from '../lists/specs/skus.js';
import { inspectionsList, ncrsList } from '../lists/specs/quality.js';
import { inventoryLevelsList } from '../lists/specs/inventory-levels.js';

/** A flat value in an export: text (decimals and times exactly as held), a number, a flag, or nothing. */
export type Cell = string | number | boolean | null;

/** A query parameter of an export and where it goes in the list's filter (`orderedAt.from`); `list`: repeatable or comma-separated. */
export interface ExportParam {
  name: string;
  target: string;
  list?: boolean;
}

/**
 * One export: the list it reads (the same spec, filters and store query as the GraphQL connection),
 * its query parameters, and its columns. `rows` flattens one list node into export rows (an order
 * into its lines); by default a node is one row.
 */
export interface ExportDefinition<F, N, R = N> {
  spec: ListSpec<F, N>;
  params: readonly ExportParam[];
  columns: readonly (readonly [string, (row: R, ctx: ListContext) => Cell])[];
  rows?: (node: N) => R[];
}

const time = (target: string, name: string): ExportParam[] => [
  { name: `${name}From`, target: `${target}.from` },
  { name: `${name}To`, target: `${target}.to` },
];

const ORDER_PARAMS: ExportParam[] = [
  { name: 'vendor', target: 'vendors', list: true },
  { name: 'status', target: 'statuses', list: true },
  { name: 'customer', target: 'customer' },
  { name: 'number', target: 'number' },
  { name: 'skuCode', target: 'skuCode' },
  { name: 'lotNumber', target: 'lotNumber' },
  ...time('orderedAt', 'ordered'),
  { name: 'updatedSince', target: 'updatedSince' },
];

const orders: ExportDefinition<unknown, OrderRecord> = {
  spec: ordersList,
  params: ORDER_PARAMS,
  columns: [
    ['id', (o) => `${o.vendor}:${o.vendorId}`],
    ['vendor', (o) => o.vendor],
    ['vendorId', (o) => o.vendorId],
    ['number', (o) => o.number],
    ['status', (o) => o.status],
    ['vendorStatus', (o) => o.vendorStatus],
    ['orderedAt', (o) => o.orderedAt],
    ['dueAt', (o) => o.dueAt],
    ['total', (o) => o.total],
    ['customerName', (o) => o.customerName],
    ['lineCount', (o) => o.lines.length],
  ],
};

type LineRow = OrderLineRecord & { order: OrderRecord };

const orderLines: ExportDefinition<unknown, OrderRecord, LineRow> = {
  spec: ordersList,
  params: ORDER_PARAMS,
  rows: (order) => order.lines.map((line) => ({ ...line, order })),
  columns: [
    ['orderVendor', (l) => l.order.vendor],
    ['orderVendorId', (l) => l.order.vendorId],
    ['orderNumber', (l) => l.order.number],
    ['orderedAt', (l) => l.order.orderedAt],
    ['lineVendorId', (l) => l.vendorId],
    ['vendorSkuCode', (l) => l.vendorSkuCode],
    ['skuCode', (l, ctx) => (l.vendorSkuCode === null ? null : ctx.crosswalk.toCanonical(l.order.vendor, l.vendorSkuCode))],
    ['productName', (l) => l.productName],
    ['quantity', (l) => l.quantity],
    ['unitPrice', (l) => l.unitPrice],
    ['lineTotal', (l) => (l.unitPrice === null ? null : multiplyDecimals(l.quantity, l.unitPrice))],
    ['lotNumber', (l) => l.lotNumber],
  ],
};

const invoices: ExportDefinition<unknown, InvoiceRecord> = {
  spec: invoicesList,
  params: [
    { name: 'status', target: 'statuses', list: true },
    { name: 'customer', target: 'customer' },
    { name: 'number', target: 'number' },
    ...time('invoicedAt', 'invoiced'),
    { name: 'updatedSince', target: 'updatedSince' },
  ],
  columns: [
    ['vendor', (i) => i.vendor],
    ['vendorId', (i) => i.vendorId],
    ['number', (i) => i.number],
    ['status', (i) => i.status],
    ['total', (i) => i.total],
    ['balance', (i) => i.balance],
    ['invoicedAt', (i) => i.invoicedAt],
    ['dueAt', (i) => i.dueAt],
    ['orderVendorId', (i) => i.orderVendorId],
  ],
};

const skus: ExportDefinition<unknown, SkuRef> = {
  spec: skusList,
  params: [
    { name: 'vendor', target: 'vendors', list: true },
    { name: 'code', target: 'code' },
    { name: 'updatedSince', target: 'updatedSince' },
  ],
  columns: [
    ['code', (s) => s.code],
    ['name', (s) => s.knownName ?? null],
  ],
};

/**
 * Stock for BI: one row per vendor × SKU × lot × location, as the store holds it (HAPIHub, folded
 * from its transactions: see STOCK_IN_STORE for why the other vendors' live stock is not here).
 * Quantities are exact decimal strings; `available` and `allocated` are empty where the vendor
 * does not say (HAPIHub has no reservations, document 003).
 */
const inventoryLevels: ExportDefinition<unknown, InventoryLevelRecord> = {
  spec: inventoryLevelsList,
  params: [
    { name: 'vendor', target: 'vendors', list: true },
    { name: 'skuCode', target: 'skuCode' },
    { name: 'lotNumber', target: 'lotNumber' },
    { name: 'location', target: 'location' },
    { name: 'updatedSince', target: 'updatedSince' },
  ],
  columns: [
    ['vendor', (l) => l.vendor],
    ['skuCode', (l, ctx) => (l.vendorSkuCode === null ? null : ctx.crosswalk.toCanonical(l.vendor, l.vendorSkuCode))],
    ['vendorSkuCode', (l) => l.vendorSkuCode],
    ['locationId', (l) => l.location?.id ?? null],
    ['locationName', (l) => l.location?.name ?? null],
    ['lotNumber', (l) => l.lotNumber],
    ['onHand', (l) => l.onHand],
    ['available', (l) => l.available],
    ['allocated', (l) => l.allocated ?? null],
    ['updatedAt', (l) => l.updatedAt],
  ],
};

const inspections: ExportDefinition<unknown, InspectionRecord> = {
  spec: inspectionsList,
  params: [{ name: 'lotNumber', target: 'lotNumber' }, { name: 'skuCode', target: 'skuCode' }, ...time('inspectedAt', 'inspected'), { name: 'updatedSince', target: 'updatedSince' }],
  columns: [
    ['vendor', (i) => i.vendor],
    ['vendorId', (i) => i.vendorId],
    ['partVendorId', (i) => i.partVendorId],
    ['passed', (i) => i.passed],
    ['sampleSize', (i) => i.sampleSize],
    ['lotNumber', (i) => i.lotNumber],
    ['inspectedAt', (i) => i.inspectedAt],
  ],
};

const ncrs: ExportDefinition<unknown, NcrRecord> = {
  spec: ncrsList,
  params: [
    { name: 'status', target: 'status' },
    { name: 'source', target: 'source' },
    { name: 'lotNumber', target: 'lotNumber' },
    { name: 'number', target: 'number' },
    { name: 'skuCode', target: 'skuCode' },
    ...time('createdAt', 'created'),
    { name: 'updatedSince', target: 'updatedSince' },
  ],
  columns: [
    ['vendor', (n) => n.vendor],
    ['vendorId', (n) => n.vendorId],
    ['number', (n) => n.number],
    ['source', (n) => n.source],
    ['status', (n) => n.status],
    ['lotNumber', (n) => n.lotNumber],
    ['quantity', (n) => n.quantity],
    ['description', (n) => n.description],
    ['partVendorId', (n) => n.partVendorId],
    ['createdAt', (n) => n.createdAt],
  ],
};

/** Every export by its URL name (`/export/<name>.csv`). */
export const EXPORTS: Readonly<Record<string, ExportDefinition<unknown, unknown, unknown>>> = {
  orders,
  orderLines,
  invoices,
  skus,
  inventoryLevels,
  inspections,
  ncrs,
} as unknown as Record<string, ExportDefinition<unknown, unknown, unknown>>;
