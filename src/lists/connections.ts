import type { InspectionRecord, InvoiceRecord, NcrRecord, OrderRecord, PartRecord } from '../model/records.js';
import type { SkuRef } from '../model/sku.js';
import type { PurchaseNode } from './specs/purchases.js';
import type { InventoryTransactionRecord } from '../vendors/hapihub/mapping.js';
import type { Connection } from '../server/pagination.js';

/** What list resolvers return, per connection type (codegen's mappers; `totalCount` is counted when selected). */
export type OrderConnectionValue = Connection<OrderRecord>;
export type InvoiceConnectionValue = Connection<InvoiceRecord>;
export type SkuConnectionValue = Connection<SkuRef>;
export type PartConnectionValue = Connection<PartRecord>;
export type InspectionConnectionValue = Connection<InspectionRecord>;
export type NcrConnectionValue = Connection<NcrRecord>;
export type DistruPurchaseConnectionValue = Connection<PurchaseNode>;
export type InventoryTransactionConnectionValue = Connection<InventoryTransactionRecord>;
