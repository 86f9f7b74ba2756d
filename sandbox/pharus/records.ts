/**
 * The records the Pharus sandbox holds. Money and quantities are scaled integers (see decimal.ts),
 * times are Dates; serialize.ts turns them into the document's JSON shapes.
 */

/** Document 001, "SalesOrders / Create sales order": the `status` enum. */
export const ORDER_STATUSES = ['Received', 'Entered', 'Shipped', 'Invoiced', 'Paid', 'Rejected', 'In-Dispute', 'Completed'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

/** Document 001, "SalesOrders / Create sales order": the `fulfillmentStatus` enum. */
export const FULFILLMENT_STATUSES = ['Pending', 'Partial', 'Fulfilled'] as const;
export type FulfillmentStatus = (typeof FULFILLMENT_STATUSES)[number];

/** Document 001, "FinishedGoodsInventory / List FG ledger entries": the `eventType` enum. */
export const FG_EVENT_TYPES = [
  'ORDER', 'RECEIVE', 'PRODUCE', 'DEMAND', 'ALLOCATE', 'CONSUME', 'TRANSFER', 'ADJUST', 'DISPOSE',
  'REVERSE_ORDER', 'REVERSE_RECEIVE', 'REVERSE_PRODUCE', 'REVERSE_DEMAND', 'REVERSE_ALLOCATE', 'REVERSE_CONSUME', 'REVERSE_TRANSFER',
] as const;
/** Document 001, "MaterialsInventory / List materials ledger entries": no PRODUCE events. */
export const MATERIAL_EVENT_TYPES = [
  'ORDER', 'RECEIVE', 'DEMAND', 'ALLOCATE', 'CONSUME', 'TRANSFER', 'ADJUST', 'DISPOSE',
  'REVERSE_ORDER', 'REVERSE_RECEIVE', 'REVERSE_DEMAND', 'REVERSE_ALLOCATE', 'REVERSE_CONSUME', 'REVERSE_TRANSFER',
] as const satisfies readonly (typeof FG_EVENT_TYPES)[number][];
export type LedgerEventType = (typeof FG_EVENT_TYPES)[number];

/** SKU types, material types, customer types, segments, brokers, order channels: one shape. */
export interface LookupRecord {
  id: string;
  name: string;
  sortOrder: number;
  isActive: boolean;
  createdAt: Date;
}

export interface LocationRecord {
  id: string;
  name: string;
  sortOrder: number;
  address: string | null;
  city: string | null;
  state: string | null;
  country: string | null;
  zipCode: string | null;
  notes: string | null;
  isActive: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface SkuRecord {
  id: string;
  skuCode: string;
  name: string;
  skuTypeId: string;
  itemsPerUnit: number;
  /** Scaled by 10^QUANTITY_PLACES. */
  ozPerItem: number | null;
  qboId: string | null;
  notes: string | null;
  isActive: boolean;
  createdAt: Date;
  updatedAt: Date;
  /** Not served: the default `unitPrice` of a new sales order item (scaled money). */
  listPrice: number;
}

export interface MaterialRecord {
  id: string;
  materialCode: string;
  name: string;
  materialTypeId: string;
  notes: string | null;
  isActive: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface CustomerRecord {
  id: string;
  name: string;
  customerTypeId: string;
  customerSegmentId: string | null;
  brokerId: string | null;
  /** Scaled money places (a percentage with two decimals). */
  brokerFeePercent: number | null;
  address: string | null;
  city: string | null;
  state: string | null;
  country: string | null;
  zipCode: string | null;
  parentCustomerId: string | null;
  qboId: string | null;
  notes: string | null;
  isActive: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export interface SalesOrderItemRecord {
  id: string;
  salesOrderId: string;
  skuId: string;
  quantity: number;
  /** Scaled money. */
  unitPrice: number;
}

/** The per-status timestamps of a sales order (document 001, "Update sales order"). */
export const STATUS_TIMESTAMP = {
  Received: 'receivedAt',
  Entered: 'enteredAt',
  Shipped: 'shippedAt',
  Invoiced: 'invoicedAt',
  Paid: 'paidAt',
  Rejected: 'rejectedAt',
  'In-Dispute': 'inDisputeAt',
  Completed: 'completedAt',
} as const satisfies Record<OrderStatus, string>;
export type StatusTimestampField = (typeof STATUS_TIMESTAMP)[OrderStatus];

export interface SalesOrderRecord extends Record<StatusTimestampField, Date | null> {
  id: string;
  soNumber: string;
  customerId: string;
  orderChannelId: string;
  orderStatus: OrderStatus;
  fulfillmentStatus: FulfillmentStatus;
  fulfillmentLocationId: string | null;
  brokerId: string | null;
  brokerFeePercent: number | null;
  /** The four cost fields and broker fees: scaled money. */
  brokerFees: number;
  fulfillmentCosts: number;
  freightCosts: number;
  promoCosts: number;
  otherCosts: number;
  /** "Must arrive by date", `YYYY-MM-DD`. */
  mabd: string;
  placedAt: Date;
  notes: string | null;
  qboId: string | null;
  createdAt: Date;
  updatedAt: Date;
  items: SalesOrderItemRecord[];
}

export interface TimelineNoteRecord {
  id: string;
  salesOrderId: string;
  orderStatus: OrderStatus;
  note: string;
  createdAt: Date;
}

/** One ledger entry, of finished goods (item = SKU) or materials (item = material). */
export interface LedgerEntryRecord {
  id: string;
  /** Append order; the ledger's sort key. */
  seq: number;
  /** The lot (finished goods) the entry moved, when known. */
  code: string | null;
  itemId: string;
  locationId: string;
  eventType: LedgerEventType;
  /** Always positive, scaled by 10^QUANTITY_PLACES: the event type says the direction. */
  quantity: number;
  /** Scaled money, when known. */
  unitCost: number | null;
  ref: string | null;
  toLocationId: string | null;
  notes: string | null;
  eventDate: Date;
  sourceType: string | null;
  sourceId: string | null;
  createdAt: Date;
}

/** Stock of one item at one location: what its ledger adds up to, plus what is on its way there (not served). */
export interface StockCellRecord {
  itemId: string;
  locationId: string;
  onHand: number;
  inTransit: number;
  lastEventDate: Date | null;
}

export interface TransferRecord {
  ref: string;
  itemId: string;
  sourceLocationId: string;
  destinationLocationId: string;
  quantity: number;
  completedAt: Date | null;
}
