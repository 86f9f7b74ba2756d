import { toDecimalOrNull } from '../../model/decimal.js';
import type { InventoryLevelRecord, VendorSkuRecord } from '../../model/records.js';
import type { SkuRef } from '../../model/sku.js';
import type { HapihubStockRow, HapihubTransaction } from './schemas.js';
import type { FoldedLevel } from './stock-fold.js';
import type { FoldableTransaction } from './stock-rule.js';

/** HAPIHub's folded stock, items and written transactions → opsgraph's records. Pure functions. */

/**
 * One folded level. HAPIHub serves no warehouse names, so a location is its id alone; it knows no
 * reservations, so `available` is null.
 */
export function toLevelRecord(level: FoldedLevel): InventoryLevelRecord {
  return {
    vendor: 'HAPIHUB',
    vendorSkuCode: level.sku,
    location: { id: level.warehouse, name: null },
    lotNumber: level.control,
    onHand: level.onHand,
    available: null,
    updatedAt: new Date(level.updatedAt).toISOString(),
    expiresAt: epochIso(level.expiresAt),
    // Document 003 names no unit of measure for items.
    unitOfMeasure: null,
  };
}

/** One row of `GET /inventory-stocks` (HAPIHUB_STOCK_SOURCE=endpoint), the vendor's own figure. */
export function stockRowToLevelRecord(row: HapihubStockRow): InventoryLevelRecord {
  const at = row.updatedAt ?? row.createdAt ?? null;
  return {
    vendor: 'HAPIHUB',
    vendorSkuCode: row.sku,
    location: { id: row.warehouse, name: null },
    lotNumber: row.control ?? null,
    onHand: toDecimalOrNull(row.quantity) ?? '0',
    available: null,
    updatedAt: at === null ? null : new Date(at).toISOString(),
    expiresAt: null,
    unitOfMeasure: null,
  };
}

/** `items.sku` is HAPIHub's "item type id": the item's id and its code at once. */
export function toSkuRecord(code: string, name: string | null): VendorSkuRecord {
  return { vendor: 'HAPIHUB', vendorId: code, code, name };
}

export interface InventoryTransactionItemRecord {
  vendorSkuCode: string | null;
  sku: SkuRef | null;
  lotNumber: string | null;
  quantity: string | null;
  adjustment: string | null;
  price: string | null;
  note: string | null;
  /** ISO-8601: when the item's lot expires (`items.expiresAt`); null when the item does not say. */
  expiresAt: string | null;
}

/** What the `InventoryTransaction` GraphQL type is built from. */
export interface InventoryTransactionRecord {
  vendor: 'HAPIHUB';
  vendorId: string;
  type: string;
  createdAt: string;
  warehouseId: string | null;
  sourceWarehouseId: string | null;
  destinationWarehouseId: string | null;
  relatedTransactionId: string | null;
  reason: string | null;
  invoice: string | null;
  items: InventoryTransactionItemRecord[];
}

/**
 * One transaction as HAPIHub answered a write. `canonicalOf` turns HAPIHub's SKU spelling into the
 * canonical code (the crosswalk). A transaction without a type is an adjustment (document 003's
 * example answer).
 */
export function toTransactionRecord(tx: HapihubTransaction, canonicalOf: (vendorCode: string) => string): InventoryTransactionRecord {
  return {
    vendor: 'HAPIHUB',
    vendorId: tx.id,
    type: tx.type ?? 'adjustment',
    createdAt: new Date(tx.createdAt).toISOString(),
    warehouseId: tx.warehouse ?? null,
    sourceWarehouseId: tx.source ?? null,
    destinationWarehouseId: tx.destination ?? null,
    relatedTransactionId: tx.transaction ?? null,
    reason: tx.reason ?? null,
    invoice: tx.invoice ?? null,
    items: (tx.items ?? []).map((item) => ({
      vendorSkuCode: item.sku ?? null,
      sku: item.sku ? { code: canonicalOf(item.sku) } : null,
      lotNumber: item.control ?? null,
      quantity: toDecimalOrNull(item.quantity),
      adjustment: toDecimalOrNull(item.adjustment),
      price: toDecimalOrNull(item.price),
      note: item.note ?? null,
      expiresAt: epochIso(item.expiresAt),
    })),
  };
}

/** Epoch ms (HAPIHub's times) → ISO-8601; null for none or a value no date can hold. */
export function epochIso(ms: number | null | undefined): string | null {
  if (typeof ms !== 'number') return null;
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

/** A stored transaction back in the vendor's shape the stock rule reads (its quantities were the vendor's JSON numbers). */
export function toFoldable(record: InventoryTransactionRecord): HapihubTransaction & FoldableTransaction {
  return {
    id: record.vendorId,
    createdAt: Date.parse(record.createdAt),
    type: record.type,
    warehouse: record.warehouseId,
    source: record.sourceWarehouseId,
    destination: record.destinationWarehouseId,
    items: record.items.map((item) => ({
      sku: item.vendorSkuCode,
      control: item.lotNumber,
      quantity: item.quantity === null ? null : Number(item.quantity),
      adjustment: item.adjustment === null ? null : Number(item.adjustment),
      // Stored before expiry was read: undefined, no expiry.
      expiresAt: item.expiresAt ? Date.parse(item.expiresAt) : null,
    })),
  };
}
