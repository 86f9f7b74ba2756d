/**
 * The unified records that vendor data sources return and resolvers turn into GraphQL objects
 * (they are codegen's "mappers"). Plain, JSON-serialisable data: they can sit in a cross-request
 * cache (or Redis) as they are. Every record says which vendor it came from and keeps the vendor's
 * own id as a string. Quantities and money are exact decimal strings (see decimal.ts), times are
 * ISO-8601 strings.
 */

/** The GraphQL `Vendor` enum values. */
export type Vendor = 'ISOLOCITY' | 'PHARUS' | 'DISTRU' | 'HAPIHUB';
export const VENDORS: readonly Vendor[] = ['ISOLOCITY', 'PHARUS', 'DISTRU', 'HAPIHUB'];
export type OrderVendor = Extract<Vendor, 'DISTRU' | 'PHARUS' | 'ISOLOCITY'>;
export const ORDER_VENDORS: readonly OrderVendor[] = ['DISTRU', 'PHARUS', 'ISOLOCITY'];

/** The GraphQL `OrderStatus` enum: every vendor's order states folded into one lifecycle. */
export type OrderStatus = 'DRAFT' | 'OPEN' | 'FULFILLED' | 'INVOICED' | 'CLOSED' | 'CANCELLED' | 'UNKNOWN';
export const ORDER_STATUSES: readonly OrderStatus[] = ['DRAFT', 'OPEN', 'FULFILLED', 'INVOICED', 'CLOSED', 'CANCELLED', 'UNKNOWN'];

export interface OrderLineRecord {
  vendorId: string | null;
  /** The SKU code exactly as this vendor spells it (the crosswalk maps it to the canonical code). */
  vendorSkuCode: string | null;
  /**
   * The vendor's own id of the line's product (Distru product id, ISOlocity part id), where the
   * vendor names one: stock is joined by it, so a product without a SKU code keeps its stock.
   */
  productVendorId?: string | null;
  productName: string | null;
  quantity: string;
  unitPrice: string | null;
  lotNumber: string | null;
  /** The unit `quantity` counts, where the line itself names it (a Distru item's embedded product `unit_type`). */
  unitOfMeasure?: string | null;
}

export interface OrderRecord {
  vendor: OrderVendor;
  vendorId: string;
  number: string | null;
  status: OrderStatus;
  /** The vendor's own status, verbatim. */
  vendorStatus: string | null;
  orderedAt: string | null;
  dueAt: string | null;
  total: string | null;
  customerName: string | null;
  lines: OrderLineRecord[];
  // Optional: records stored before these fields existed (src/model/records.ts is kept as JSON) lack them.
  billingAddress?: AddressRecord | null;
  shippingAddress?: AddressRecord | null;
  charges?: ChargeRecord[];
  /** The vendor's fulfilment state, verbatim (Pharus). */
  fulfillmentStatus?: string | null;
  /** The vendor's id of the order's sales channel (Pharus `orderChannelId`); its name is read when asked for. */
  channelVendorId?: string | null;
}

/** A location an order is billed or shipped to. */
export interface AddressRecord {
  locationId: string | null;
  name: string | null;
  address: string | null;
}

export type ChargeType = 'TAX' | 'DISCOUNT' | 'CHARGE' | 'OTHER';

/** A tax, discount or other charge line of an order or invoice. */
export interface ChargeRecord {
  vendorId: string | null;
  name: string | null;
  type: ChargeType;
  vendorType: string | null;
  unitType: string | null;
  percent: string | null;
  amount: string | null;
  taxName: string | null;
  taxPercent: string | null;
}

/** One invoiced item. */
export interface InvoiceLineRecord {
  vendorId: string | null;
  orderLineVendorId: string | null;
  vendorSkuCode: string | null;
  productName: string | null;
  quantity: string;
  unitPrice: string | null;
  lotNumber: string | null;
}

export interface InvoiceRecord {
  vendor: 'DISTRU';
  vendorId: string;
  number: string | null;
  /** The vendor's own status, verbatim (Distru: "Not Paid", "Fully Paid", …). */
  status: string | null;
  total: string | null;
  /** What is still owed, when the vendor says. */
  balance: string | null;
  invoicedAt: string | null;
  dueAt: string | null;
  orderVendorId: string | null;
  lines?: InvoiceLineRecord[];
  charges?: ChargeRecord[];
}

/** A vendor's own product record for one SKU (Distru product, Pharus SKU, ISOlocity part, HAPIHub item). */
export interface VendorSkuRecord {
  vendor: Vendor;
  vendorId: string;
  /** The code as this vendor spells it. */
  code: string;
  name: string | null;
  /** The unit the vendor counts this product in (ISOlocity part `unit_of_measure`, Distru `unit_type.name`); absent means unknown. */
  unitOfMeasure?: string | null;
}

export interface PartRecord {
  vendor: 'ISOLOCITY';
  vendorId: string;
  identification: string;
  name: string | null;
  unitOfMeasure: string | null;
  isFinishedProduct: boolean | null;
}

export interface InspectionRecord {
  vendor: 'ISOLOCITY';
  vendorId: string;
  partVendorId: string | null;
  /** null = not started / not finalised. */
  passed: boolean | null;
  sampleSize: number | null;
  lotNumber: string | null;
  inspectedAt: string | null;
  /** The ISOlocity specification (drawing/template) the inspection follows. */
  specificationVendorId?: string | null;
}

export interface NcrRecord {
  vendor: 'ISOLOCITY';
  vendorId: string;
  number: string | null;
  source: string | null;
  status: string | null;
  lotNumber: string | null;
  quantity: number | null;
  description: string | null;
  partVendorId: string | null;
  createdAt: string | null;
  immediateAction?: string | null;
  rootCauseDetermined?: boolean | null;
  hasIncompleteActionItems?: boolean | null;
}

/** A lot by its number: its inspections and NCRs are read when asked for. */
export interface LotRef {
  number: string;
}

export interface LocationRecord {
  /** The vendor's id of the location (warehouse, facility). */
  id: string;
  name: string | null;
}

/** Stock of one SKU at one place (and lot, where the vendor tracks lots) in one vendor. */
export interface InventoryLevelRecord {
  vendor: Vendor;
  /** null for a product that has no SKU code (Distru's `sku` is optional), reached through an order line. */
  vendorSkuCode: string | null;
  location: LocationRecord | null;
  lotNumber: string | null;
  onHand: string;
  /** On hand minus reserved, where the vendor says. */
  available: string | null;
  /** Set aside for confirmed orders, where the vendor says (Pharus's summary); absent means unknown. */
  allocated?: string | null;
  updatedAt: string | null;
  /** When the level's lot expires, where the vendor says (HAPIHub `items.expiresAt`); absent means unknown. */
  expiresAt?: string | null;
  /** The unit the quantities count, as the vendor names it (ISOlocity `unit_of_measure`, Distru product `unit_type.name`); absent means unknown. */
  unitOfMeasure?: string | null;
}

/** One page of a vendor list, with the vendor-opaque cursor to continue after its last item. */
export interface PageResult<T> {
  items: T[];
  endCursor: string | null;
  hasNextPage: boolean;
}

export interface PageRequest {
  /** At most this many items (the source may return fewer; it never returns more). */
  first: number;
  /** A cursor this same source returned, or null for the start. */
  after: string | null;
}
