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
}

/** A vendor's own product record for one SKU (Distru product, Pharus SKU, ISOlocity part, HAPIHub item). */
export interface VendorSkuRecord {
  vendor: Vendor;
  vendorId: string;
  /** The code as this vendor spells it. */
  code: string;
  name: string | null;
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
