import type { InventoryLevelRecord, VendorSkuRecord } from '../../model/records.js';
import type { FoldedLevel } from './stock-fold.js';

/** HAPIHub's folded stock and items → opsgraph's unified records. Pure functions. */

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
  };
}

/** `items.sku` is HAPIHub's "item type id": the item's id and its code at once. */
export function toSkuRecord(code: string, name: string | null): VendorSkuRecord {
  return { vendor: 'HAPIHUB', vendorId: code, code, name };
}
