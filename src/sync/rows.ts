import type { InventoryLevelRecord, InvoiceRecord, NcrRecord, OrderRecord, PartRecord, InspectionRecord, VendorSkuRecord } from '../model/records.js';
import type { DistruPurchaseRecord } from '../vendors/distru/mapping.js';
import type { InventoryTransactionRecord } from '../vendors/hapihub/mapping.js';
import { toSortTime, type StoredRow } from './record-store.js';

/**
 * Unified records → stored rows: which of a record's fields the lists filter and order by. One
 * function per record type, used by the sync and by read-your-writes (applyWrite), so a row
 * written after a mutation looks exactly like one the sync writes.
 */

const text = (value: string | null | undefined): string => value ?? '';

function tags(kind: 'sku' | 'lot', values: readonly (string | null | undefined)[]): { kind: 'sku' | 'lot'; value: string }[] {
  return values.flatMap((value) => (value ? [{ kind, value }] : []));
}

export function orderRow(order: OrderRecord, vendorUpdatedAt: string | null): StoredRow {
  return {
    key: order.vendorId,
    sortAt: toSortTime(order.orderedAt),
    number: text(order.number),
    status: order.status,
    customer: text(order.customerName),
    parentKey: '',
    vendorUpdatedAt: toSortTime(vendorUpdatedAt),
    tags: [...tags('sku', order.lines.map((l) => l.vendorSkuCode)), ...tags('lot', order.lines.map((l) => l.lotNumber))],
    data: order,
  };
}

export function invoiceRow(invoice: InvoiceRecord, vendorUpdatedAt: string | null): StoredRow {
  return {
    key: invoice.vendorId,
    sortAt: toSortTime(invoice.invoicedAt),
    number: text(invoice.number),
    status: text(invoice.status),
    customer: '',
    parentKey: text(invoice.orderVendorId),
    vendorUpdatedAt: toSortTime(vendorUpdatedAt),
    data: invoice,
  };
}

export function purchaseRow(purchase: DistruPurchaseRecord, vendorUpdatedAt: string | null): StoredRow {
  return {
    key: purchase.vendorId,
    sortAt: toSortTime(purchase.orderedAt),
    number: text(purchase.number),
    status: text(purchase.status),
    customer: text(purchase.supplierName),
    parentKey: '',
    vendorUpdatedAt: toSortTime(vendorUpdatedAt),
    tags: [...tags('sku', purchase.lines.map((l) => l.vendorSkuCode)), ...tags('lot', purchase.lines.map((l) => l.lotNumber))],
    data: purchase,
  };
}

/** A SKU row is keyed by the vendor's product id; `number` is its code (lists order and filter by it). */
export function skuRow(sku: VendorSkuRecord, vendorUpdatedAt: string | null): StoredRow {
  return { key: sku.vendorId, sortAt: '', number: sku.code, status: '', customer: '', parentKey: '', vendorUpdatedAt: toSortTime(vendorUpdatedAt), data: sku };
}

export function partRow(part: PartRecord, vendorUpdatedAt: string | null): StoredRow {
  return { key: part.vendorId, sortAt: '', number: part.identification, status: '', customer: '', parentKey: '', vendorUpdatedAt: toSortTime(vendorUpdatedAt), data: part };
}

export function inspectionRow(inspection: InspectionRecord, vendorUpdatedAt: string | null): StoredRow {
  return {
    key: inspection.vendorId,
    sortAt: toSortTime(inspection.inspectedAt),
    number: '',
    status: inspection.passed === null ? '' : inspection.passed ? 'PASSED' : 'FAILED',
    customer: '',
    parentKey: text(inspection.partVendorId),
    vendorUpdatedAt: toSortTime(vendorUpdatedAt),
    tags: tags('lot', [inspection.lotNumber]),
    data: inspection,
  };
}

export function ncrRow(ncr: NcrRecord, vendorUpdatedAt: string | null): StoredRow {
  return {
    key: ncr.vendorId,
    sortAt: toSortTime(ncr.createdAt),
    number: text(ncr.number),
    status: text(ncr.status),
    customer: '',
    parentKey: text(ncr.partVendorId),
    vendorUpdatedAt: toSortTime(vendorUpdatedAt),
    tags: tags('lot', [ncr.lotNumber]),
    data: ncr,
  };
}

export function transactionRow(transaction: InventoryTransactionRecord): StoredRow {
  return {
    key: transaction.vendorId,
    sortAt: toSortTime(transaction.createdAt),
    number: text(transaction.invoice),
    status: transaction.type,
    customer: '',
    parentKey: text(transaction.relatedTransactionId),
    // HAPIHub records carry no update time (document 003): their creation is the latest we know.
    vendorUpdatedAt: toSortTime(transaction.createdAt),
    tags: [...tags('sku', transaction.items.map((i) => i.vendorSkuCode)), ...tags('lot', transaction.items.map((i) => i.lotNumber))],
    data: transaction,
  };
}

/** A stock level keyed by (SKU, lot, warehouse); its parent is the SKU code, so a SKU's levels are one lookup. */
export function inventoryRow(key: string, level: InventoryLevelRecord): StoredRow {
  return {
    key,
    sortAt: '',
    number: text(level.vendorSkuCode),
    status: '',
    customer: '',
    parentKey: text(level.vendorSkuCode),
    vendorUpdatedAt: toSortTime(level.updatedAt),
    tags: tags('lot', [level.lotNumber]),
    data: level,
  };
}

/** A vendor record without a unified type (Distru batches, companies, locations; customers). */
export function vendorRecordRow(id: string, record: unknown, fields: { number?: string | null; vendorUpdatedAt?: string | null } = {}): StoredRow {
  return { key: id, sortAt: '', number: text(fields.number), status: '', customer: '', parentKey: '', vendorUpdatedAt: toSortTime(fields.vendorUpdatedAt), data: record };
}
