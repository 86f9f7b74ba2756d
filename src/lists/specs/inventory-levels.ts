import type { InventoryLevelRecord, Vendor } from '../../model/records.js';
import { instantFilter, skuCodeParts, textFilter, vendorsFilter } from '../filter-rules.js';
import type { ListSpec, RowFilter } from '../list-spec.js';

/** The export's filter (`/export/inventoryLevels.csv?skuCode=…&location=…`). */
export interface InventoryLevelListFilter {
  vendors?: readonly string[] | null;
  skuCode?: string | null;
  lotNumber?: string | null;
  location?: string | null;
  updatedSince?: string | null;
}

/**
 * The vendors whose stock the store holds: HAPIHub alone, its stock folded from the synced
 * transactions (src/sync/relations/hapihub.ts, relation `inventory`), since HAPIHub serves no stock
 * (document 003). Distru stock is read live (it moves with every order, and a whole `/inventory`
 * re-read at 25 rows a call would spend Distru's budget of 2 calls a second); Pharus and ISOlocity
 * stock are not synced relations either, so they are read live by `Sku.inventory`.
 */
export const STOCK_IN_STORE: readonly Vendor[] = ['HAPIHUB'];

/** Stock levels in the store: one row per vendor, SKU, lot and location, ordered by SKU code. */
export const inventoryLevelsList: ListSpec<InventoryLevelListFilter, InventoryLevelRecord> = {
  name: 'inventoryLevels',
  relation: 'inventory',
  vendors: STOCK_IN_STORE,
  orderFields: ['NUMBER', 'UPDATED'],
  defaultOrder: { field: 'NUMBER', direction: 'ASC' },
  plan(filter, ctx, field) {
    const vendors = vendorsFilter(filter?.vendors, STOCK_IN_STORE, ctx, `${field}.vendors`);
    const lot = textFilter(filter?.lotNumber, `${field}.lotNumber`);
    const location = textFilter(filter?.location, `${field}.location`);
    const updatedSince = instantFilter(filter?.updatedSince, `${field}.updatedSince`);
    const base: RowFilter = {
      ...(updatedSince !== undefined ? { updatedSince } : {}),
      ...(lot !== undefined ? { tag: { kind: 'lot' as const, value: lot } } : {}),
    };
    // A level's row number is the vendor's SKU code: the code in each vendor's spelling (crosswalk).
    const parts = skuCodeParts(base, vendors, textFilter(filter?.skuCode, `${field}.skuCode`), ctx, 'number');
    return {
      parts,
      // The location is inside the stored level (HAPIHub's warehouse id), not a store column.
      ...(location !== undefined ? { residual: (level: InventoryLevelRecord) => level.location?.id === location } : {}),
      empty: vendors.length === 0,
    };
  },
  node: (_vendor, _key, data) => data as InventoryLevelRecord,
};
