import type { InventoryBook } from './inventory.js';
import type { CustomerRecord, LocationRecord, LookupRecord, MaterialRecord, SalesOrderItemRecord, SalesOrderRecord, SkuRecord, TimelineNoteRecord } from './records.js';
import type { Table } from './table.js';

/**
 * The small name lists of document 001 that share one shape (`id, orgId, name, sortOrder, isActive,
 * createdAt`) and one set of operations: SKU types, material types, customer types, customer
 * segments, brokers and order channels.
 */
export const LOOKUP_KINDS = ['skuTypes', 'materialTypes', 'customerTypes', 'customerSegments', 'brokers', 'orderChannels'] as const;
export type LookupKind = (typeof LOOKUP_KINDS)[number];

/** Everything one Pharus organisation holds; mutated in place by the routes. */
export interface PharusStore {
  orgId: string;
  locations: Table<LocationRecord>;
  lookups: Record<LookupKind, Table<LookupRecord>>;
  skus: Table<SkuRecord>;
  /** `skuCode` → id; SKU codes are unique in an organisation. */
  skuIdByCode: Map<string, string>;
  materials: Table<MaterialRecord>;
  materialIdByCode: Map<string, string>;
  customers: Table<CustomerRecord>;
  /** Sorted by `soNumber`, so lists come in order-number order. */
  salesOrders: Table<SalesOrderRecord>;
  salesOrderItems: Map<string, SalesOrderItemRecord>;
  timelineNotes: Map<string, TimelineNoteRecord>;
  /** Number part of the next `soNumber` (`P` + 6 digits, continuing the world's numbering). */
  nextSoNumber: number;
  finishedGoods: InventoryBook;
  materialsInventory: InventoryBook;
}
