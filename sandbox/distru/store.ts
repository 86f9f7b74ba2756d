import type { SandboxCredentials } from '../core/server.js';
import type { Decimal } from './decimal.js';
import type { Batch, Company, InventoryCell, Invoice, Location, Order, OrderStatus, Package, Product, Purchase, User } from './records.js';
import { SortedIndex } from './sorted-index.js';
import { SessionBook } from './sessions.js';

/** Sales orders in these statuses hold (reserve) the stock of their items. */
const RESERVING: ReadonlySet<OrderStatus> = new Set(['PENDING', 'PROCESSING', 'READY_TO_SHIP']);

/** Records of another Distru company: they exist, but this account may neither read nor use them. */
export interface ForeignRecords {
  companies: Map<string, Company>;
  locations: Map<string, Location>;
  products: Map<string, Product>;
  batches: Map<string, Batch>;
  packages: Map<string, Package>;
}

const byNewestThenId =
  <T extends { id: string }>(at: (r: T) => number) =>
  (a: T, b: T): number =>
    at(b) - at(a) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/** Invoices newest invoice date first (seed 002, "sorted by Invoice Date descendingly"). */
export const newestInvoiceFirst = byNewestThenId<Invoice>((i) => i.invoiceAt);

const byOldestThenId = <T extends { id: string; insertedAt: number }>(a: T, b: T): number => a.insertedAt - b.insertedAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Everything the Distru sandbox holds, with the indexes its routes page through. Catalog records
 * (companies, locations, products, batches, packages) are fixed after projection; orders, invoices
 * and purchases change through `put*`, which keep every index and the stock reservations in step.
 */
export class DistruStore {
  /** Strict mode: no page larger than this on any list, whatever the endpoint's own maximum. */
  maxPageSize = Infinity;
  readonly companies = new Map<string, Company>();
  readonly locations = new Map<string, Location>();
  readonly products = new Map<string, Product>();
  readonly batches = new Map<string, Batch>();
  readonly packages = new Map<string, Package>();
  readonly users = new Map<string, User>();
  readonly orders = new Map<string, Order>();
  readonly invoices = new Map<string, Invoice>();
  readonly purchases = new Map<string, Purchase>();
  readonly foreign: ForeignRecords = { companies: new Map(), locations: new Map(), products: new Map(), batches: new Map(), packages: new Map() };

  /** Lists in creation order ("sorted by their creation date", seed 002). */
  companyList: Company[] = [];
  locationList: Location[] = [];
  productList: Product[] = [];
  batchList: Batch[] = [];
  packageList: Package[] = [];

  /** Orders and purchases by order date, invoices by invoice date, newest first (seed 002). */
  readonly orderIndex = new SortedIndex<Order>(byNewestThenId((o) => o.orderAt));
  readonly invoiceIndex = new SortedIndex<Invoice>(newestInvoiceFirst);
  readonly purchaseIndex = new SortedIndex<Purchase>(byNewestThenId((p) => p.orderAt));

  /** Which order an order item belongs to, which invoice an invoice item, and so on. */
  readonly orderItemOwner = new Map<string, string>();
  readonly invoiceItemOwner = new Map<string, string>();
  readonly purchaseItemOwner = new Map<string, string>();
  readonly chargeOwner = new Map<string, string>();
  readonly invoicesByOrder = new Map<string, Set<string>>();

  /** Stock cells by product, and product ids in id order (inventory groups sort by id, seed 002). */
  readonly inventory = new Map<string, InventoryCell[]>();
  productIdsSorted: string[] = [];

  readonly sessions: SessionBook;
  private readonly counters = { order: 0, invoice: 0, purchase: 0 };
  private readonly startedAt = Date.now();
  private lastTick = 0;
  /** Time the clock has been moved on (skipClock), so tests need not wait it out. */
  private skipped = 0;

  constructor(
    readonly self: Company,
    readonly apiUser: User,
    credentials: SandboxCredentials,
    /** "Now" of the world the store was projected from: the sandbox clock starts there. */
    private readonly worldNow: number,
  ) {
    this.sessions = new SessionBook(apiUser, credentials);
  }

  /**
   * The sandbox clock: the world's "now" plus the real time since start, strictly increasing, so
   * writes sort after every projected record and an `updated_datetime=<last seen>,` sync sees them.
   */
  now(): number {
    const tick = Math.max(this.worldNow + this.skipped + (Date.now() - this.startedAt), this.lastTick + 1);
    this.lastTick = tick;
    return tick;
  }

  /** The sandbox clock read without moving it: the `Date` of every answer, as a real server's shares its records' clock. */
  clockNow(): number {
    return Math.max(this.worldNow + this.skipped + (Date.now() - this.startedAt), this.lastTick);
  }

  /** Moves the clock on by `ms`, as that much time passing would (tests of what depends on Distru's clock). */
  skipClock(ms: number): void {
    this.skipped += ms;
  }

  nextNumber(kind: 'order' | 'invoice' | 'purchase'): string {
    this.counters[kind] += 1;
    const prefix = kind === 'order' ? 'SO' : kind === 'invoice' ? 'INV' : 'PO';
    // Seven digits, as the numbers Distru gives records created through the API (seed 002: "SO-0000002").
    return `${prefix}-${String(this.counters[kind]).padStart(7, '0')}`;
  }

  /** Rows each list serves, by the name opsgraph's sync gives the list (tests and benches count pages from it). */
  listSizes(): Record<'locations' | 'companies' | 'skus' | 'batches' | 'orders' | 'invoices' | 'purchases', number> {
    return {
      locations: this.locationList.length,
      companies: this.companyList.length,
      skus: this.productList.length,
      batches: this.batchList.length,
      orders: this.orders.size,
      invoices: this.invoices.size,
      purchases: this.purchases.size,
    };
  }

  /** Freezes the catalog lists after projection. */
  indexCatalog(): void {
    this.companyList = [...this.companies.values()].filter((c) => c.kind !== 'self').sort(byOldestThenId);
    this.locationList = [...this.locations.values()].sort(byOldestThenId);
    this.productList = [...this.products.values()].sort(byOldestThenId);
    this.batchList = [...this.batches.values()].sort(byOldestThenId);
    this.packageList = [...this.packages.values()].sort(byOldestThenId);
    this.productIdsSorted = [...this.products.keys()].sort();
  }

  addStock(cell: InventoryCell): void {
    const cells = this.inventory.get(cell.productId);
    if (cells) cells.push(cell);
    else this.inventory.set(cell.productId, [cell]);
  }

  /**
   * Loads the projected orders, invoices and purchases, sorting each index once. Ids are unique in
   * a projection, so no record replaces another.
   */
  load(records: { orders: readonly Order[]; invoices: readonly Invoice[]; purchases: readonly Purchase[] }): void {
    for (const order of records.orders) {
      this.orders.set(order.id, order);
      this.register(order.id, order.items, this.orderItemOwner, order.charges);
      this.reserve(order, 1n);
    }
    for (const invoice of records.invoices) {
      this.invoices.set(invoice.id, invoice);
      this.register(invoice.id, invoice.items, this.invoiceItemOwner, invoice.charges);
      this.linkToOrder(invoice);
    }
    for (const purchase of records.purchases) {
      this.purchases.set(purchase.id, purchase);
      this.register(purchase.id, purchase.items, this.purchaseItemOwner, purchase.charges);
    }
    this.orderIndex.load(this.orders.values());
    this.invoiceIndex.load(this.invoices.values());
    this.purchaseIndex.load(this.purchases.values());
  }

  /** Inserts or replaces an order (a new object: sort keys of the stored one must not change in place). */
  putOrder(order: Order): void {
    const previous = this.orders.get(order.id);
    if (previous) {
      this.orderIndex.remove(previous);
      this.reserve(previous, -1n);
      for (const item of previous.items) this.orderItemOwner.delete(item.id);
      for (const charge of previous.charges) this.chargeOwner.delete(charge.id);
    }
    this.orders.set(order.id, order);
    this.orderIndex.insert(order);
    this.reserve(order, 1n);
    this.register(order.id, order.items, this.orderItemOwner, order.charges);
  }

  putInvoice(invoice: Invoice): void {
    const previous = this.invoices.get(invoice.id);
    if (previous) {
      this.invoiceIndex.remove(previous);
      for (const item of previous.items) this.invoiceItemOwner.delete(item.id);
      for (const charge of previous.charges) this.chargeOwner.delete(charge.id);
    }
    this.invoices.set(invoice.id, invoice);
    this.invoiceIndex.insert(invoice);
    this.register(invoice.id, invoice.items, this.invoiceItemOwner, invoice.charges);
    this.linkToOrder(invoice);
  }

  putPurchase(purchase: Purchase): void {
    const previous = this.purchases.get(purchase.id);
    if (previous) {
      this.purchaseIndex.remove(previous);
      for (const item of previous.items) this.purchaseItemOwner.delete(item.id);
      for (const charge of previous.charges) this.chargeOwner.delete(charge.id);
    }
    this.purchases.set(purchase.id, purchase);
    this.purchaseIndex.insert(purchase);
    this.register(purchase.id, purchase.items, this.purchaseItemOwner, purchase.charges);
  }

  private register(ownerId: string, items: readonly { id: string }[], itemOwners: Map<string, string>, charges: readonly { id: string }[]): void {
    for (const item of items) itemOwners.set(item.id, ownerId);
    for (const charge of charges) this.chargeOwner.set(charge.id, ownerId);
  }

  private linkToOrder(invoice: Invoice): void {
    const ofOrder = this.invoicesByOrder.get(invoice.orderId);
    if (ofOrder) ofOrder.add(invoice.id);
    else this.invoicesByOrder.set(invoice.orderId, new Set([invoice.id]));
  }

  /** The quantity of an order item already billed, leaving out one invoice (the one being rewritten). */
  invoicedQuantity(orderId: string, orderItemId: string, exceptInvoiceId: string | null): Decimal {
    let total = 0n;
    for (const invoiceId of this.invoicesByOrder.get(orderId) ?? []) {
      if (invoiceId === exceptInvoiceId) continue;
      for (const item of this.invoices.get(invoiceId)?.items ?? []) if (item.orderItemId === orderItemId) total += item.quantity;
    }
    return total;
  }

  /** The batch number an item's stock is counted under: its batch's, or its package's batch's. */
  batchNumberOf(item: { batchId: string | null; packageId?: string | null }): string | null {
    const batchId = item.batchId ?? (item.packageId ? (this.packages.get(item.packageId)?.batchId ?? null) : null);
    return batchId ? (this.batches.get(batchId)?.batchNumber ?? null) : null;
  }

  /**
   * Holds (sign 1) or releases (sign −1) the stock of an open order's items. Only stock that exists
   * is held: an item at a location or batch with no stock reserves nothing (see docs/vendors/distru.md).
   */
  private reserve(order: Order, sign: 1n | -1n): void {
    if (!RESERVING.has(order.status)) return;
    for (const item of order.items) {
      const batchNumber = this.batchNumberOf(item);
      const cell = this.inventory.get(item.productId)?.find((c) => c.locationId === item.locationId && c.batchNumber === batchNumber);
      if (cell) cell.reserved += sign * item.quantity;
    }
  }
}
