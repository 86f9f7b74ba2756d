/**
 * The vendor-neutral world that every sandbox projects into its own API shape. One world, four
 * views: the same SKU codes, lots, orders and stock appear in each vendor as that vendor would hold
 * them, so that opsgraph's joins across vendors can be tested on data that really joins.
 */

export type VendorName = 'isolocity' | 'pharus' | 'distru' | 'hapihub';
export const VENDORS: readonly VendorName[] = ['isolocity', 'pharus', 'distru', 'hapihub'];

/** A product, keyed by its canonical code. */
export interface WorldSku {
  /** Position in `world.skus`; stable for a seed. */
  index: number;
  /** Canonical code, e.g. `OG-00007`: what opsgraph calls the SKU. */
  code: string;
  name: string;
  category: string;
  unitOfMeasure: 'units' | 'g' | 'ml';
  /** List price, exact decimal string with 2 places, e.g. `"12.50"`. */
  unitPrice: string;
  /**
   * The code each vendor uses for this product, or absent when the vendor does not carry it.
   * Mostly equal to `code`; for a few SKUs a vendor uses its own spelling (see crosswalk.ts).
   */
  vendorCodes: Partial<Record<VendorName, string>>;
  createdAt: Date;
  updatedAt: Date;
}

export interface WorldLocation {
  index: number;
  key: string; // e.g. `LOC-1`
  name: string;
  address: string;
  /** Vendors that hold stock at this location. */
  vendors: VendorName[];
}

export interface WorldCustomer {
  index: number;
  key: string; // e.g. `CUST-0001`
  name: string;
  email: string;
  phone: string;
  address: string;
}

/** A manufactured lot (Distru batch, ISOlocity lot_number, HAPIHub items.control). */
export interface WorldLot {
  index: number;
  number: string; // e.g. `LOT-00007-02`
  skuCode: string;
  manufacturedAt: Date;
  expiresAt: Date;
}

export type WorldOrderStatus = 'draft' | 'open' | 'fulfilled' | 'invoiced' | 'closed' | 'cancelled';

export interface WorldOrderLine {
  skuCode: string;
  lotNumber: string;
  quantity: number; // whole units
  unitPrice: string; // exact decimal string, 2 places
}

export interface WorldOrder {
  index: number;
  /** Which vendor holds the order. */
  vendor: 'distru' | 'pharus' | 'isolocity';
  key: string; // e.g. `SO-000123`, unique across vendors
  number: string; // the human order number
  customerKey: string;
  locationKey: string;
  status: WorldOrderStatus;
  orderedAt: Date;
  dueAt: Date;
  lines: WorldOrderLine[];
}

export interface WorldInvoice {
  index: number;
  key: string; // e.g. `INV-000045`
  number: string;
  /** The Distru order it bills. */
  orderKey: string;
  status: 'open' | 'paid' | 'void';
  invoicedAt: Date;
  dueAt: Date;
  /** Index into the order's lines, and the quantity billed (never above the line's quantity). */
  lines: { lineIndex: number; quantity: number }[];
}

export interface WorldInspection {
  index: number;
  skuCode: string;
  lotNumber: string;
  /** null = not started, true/false = finished. */
  passed: boolean | null;
  sampleSize: number;
  inspectedAt: Date;
}

export interface WorldNcr {
  index: number;
  number: string; // e.g. `NCR-0007`
  skuCode: string;
  lotNumber: string;
  source: 'internal' | 'customer' | 'supplier';
  status: 'Open' | 'Closed';
  quantity: number;
  description: string;
  openedAt: Date;
}

/** Stock of one SKU, one lot, at one location, in one vendor. */
export interface WorldStock {
  vendor: VendorName;
  skuCode: string;
  lotNumber: string;
  locationKey: string;
  quantity: number;
  updatedAt: Date;
}

export interface WorldOptions {
  seed: number;
  /** 1 = ~100 SKUs and 1,000 orders; 100 = 10,000 SKUs and 100,000 orders. */
  scale: number;
}

/** Orders that tests and benchmarks name: one of each interesting size, per vendor. */
export interface WorldShowcase {
  distru: { oneLine: string; tenLines: string; fiftyLines: string; sixtyLines: string };
  pharus: { oneLine: string; tenLines: string; fiftyLines: string };
  isolocity: { oneLine: string; tenLines: string; fiftyLines: string };
}

export interface World {
  options: WorldOptions;
  /** "Now" for the generated data: fixed, so a seed always gives the same timestamps. */
  now: Date;
  skus: WorldSku[];
  locations: WorldLocation[];
  customers: WorldCustomer[];
  lots: WorldLot[];
  orders: WorldOrder[];
  invoices: WorldInvoice[];
  inspections: WorldInspection[];
  ncrs: WorldNcr[];
  stock: WorldStock[];
  showcase: WorldShowcase;
  /** Lookups, built once. */
  skuByCode: Map<string, WorldSku>;
  lotsBySku: Map<string, WorldLot[]>;
  orderByKey: Map<string, WorldOrder>;
}
