import type { Decimal } from './decimal.js';

/**
 * The sandbox's own records: what Distru would hold in its database, before rendering. Times are
 * epoch ms, amounts exact decimals; references are ids, resolved when a record is rendered so that
 * a write to one record shows wherever it is referenced.
 */

export interface User {
  id: string;
  email: string;
  fullName: string;
  banned: boolean;
}

export type CompanyKind = 'self' | 'customer' | 'supplier';

export interface Company {
  id: string;
  name: string;
  kind: CompanyKind;
  licenses: string[];
  locationIds: string[];
  insertedAt: number;
  updatedAt: number;
}

export interface Location {
  id: string;
  name: string;
  address: string;
  companyId: string;
  licenseNumber: string | null;
  /** One of the account's own warehouses (where inventory sits), as opposed to a customer's address. */
  own: boolean;
  insertedAt: number;
  updatedAt: number;
}

export interface TestResult {
  name: string;
  thcPercentage: string;
  cbdPercentage: string;
}

/** A quantity discount: at `minQuantity` or more, the price is `price_base` less `percentOff`. */
export interface PriceTier {
  minQuantity: Decimal;
  percentOff: Decimal;
}

export interface Product {
  id: string;
  name: string;
  /** "sku: string, required false" (seed 002): the world gives every product one; tests may clear it. */
  sku: string | null;
  unitPrice: string;
  unitType: string;
  unitsPerCase: number | null;
  category: { id: string; name: string };
  /** Brand and vendor are companies (seed 002, products example). */
  brandCompanyId: string;
  vendorCompanyId: string;
  priceTiers: PriceTier[];
  batchIds: string[];
  insertedAt: number;
  updatedAt: number;
}

export interface Batch {
  id: string;
  name: string;
  batchNumber: string | null;
  productId: string;
  testResult: TestResult | null;
  insertedAt: number;
  updatedAt: number;
}

export interface Package {
  id: string;
  complianceLabel: string;
  batchId: string;
  licenseNumber: string;
  testResult: TestResult | null;
  insertedAt: number;
  updatedAt: number;
}

export type ChargeType = 'CHARGE' | 'DISCOUNT' | 'TAX';
export type ChargeUnitType = 'PERCENT' | 'PRICE';

export interface Charge {
  id: string;
  name: string | null;
  type: ChargeType;
  unitType: ChargeUnitType;
  percent: Decimal | null;
  /** The flat amount of a PRICE charge; a PERCENT charge's price is computed from the subtotal. */
  price: Decimal | null;
}

export const ORDER_STATUSES = ['PENDING', 'PROCESSING', 'READY_TO_SHIP', 'DELIVERING', 'DELIVERED', 'COMPLETED', 'CANCELED'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export interface OrderItem {
  id: string;
  productId: string;
  batchId: string | null;
  packageId: string | null;
  locationId: string | null;
  priceBase: Decimal;
  /** price_base after the best-fit price tier. */
  price: Decimal;
  quantity: Decimal;
  complianceQuantity: Decimal | null;
}

export interface Order {
  id: string;
  number: string;
  companyId: string | null;
  billingLocationId: string | null;
  shippingLocationId: string | null;
  status: OrderStatus;
  orderAt: number;
  dueAt: number | null;
  deliveryAt: number | null;
  insertedAt: number;
  updatedAt: number;
  externalNotes: string | null;
  items: OrderItem[];
  charges: Charge[];
  creatorId: string;
  ownerId: string | null;
}

export const INVOICE_STATUSES = ['NOT_PAID', 'PARTIALLY_PAID', 'FULLY_PAID', 'OVER_PAID'] as const;
export type InvoiceStatus = (typeof INVOICE_STATUSES)[number];

/** Product, batch, package and price come from the order item it bills. */
export interface InvoiceItem {
  id: string;
  orderItemId: string;
  quantity: Decimal;
}

export interface Invoice {
  id: string;
  number: string;
  orderId: string;
  status: InvoiceStatus;
  billingLocationId: string | null;
  invoiceAt: number;
  dueAt: number | null;
  insertedAt: number;
  updatedAt: number;
  items: InvoiceItem[];
  charges: Charge[];
  creatorId: string;
  ownerId: string | null;
}

export const PURCHASE_STATUSES = ['PENDING', 'PROCESSING', 'DELIVERING', 'PARTIALLY_RECEIVED', 'COMPLETED'] as const;
export type PurchaseStatus = (typeof PURCHASE_STATUSES)[number];

export interface PurchaseItem {
  id: string;
  productId: string;
  batchId: string | null;
  locationId: string | null;
  price: Decimal;
  quantity: Decimal;
  receivedQuantity: Decimal;
}

export interface Purchase {
  id: string;
  number: string;
  companyId: string | null;
  locationId: string | null;
  billingLocationId: string | null;
  description: string | null;
  status: PurchaseStatus;
  orderAt: number;
  dueAt: number | null;
  insertedAt: number;
  updatedAt: number;
  items: PurchaseItem[];
  charges: Charge[];
}

/** Stock of one product, at one location (or none), in one batch (or none). */
export interface InventoryCell {
  productId: string;
  locationId: string | null;
  batchNumber: string | null;
  active: Decimal;
  /** Held by open sales orders; available = active − reserved. */
  reserved: Decimal;
  updatedAt: number;
}
