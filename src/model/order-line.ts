import type { OrderLineRecord, OrderVendor } from './records.js';

/** An order line as resolvers hold it: the vendor's record plus the vendor of its order (for the crosswalk). */
export interface OrderLineRef extends OrderLineRecord {
  vendor: OrderVendor;
}
