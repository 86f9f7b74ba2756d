import type { SandboxCredentials } from '../core/server.js';
import type { World, WorldLot, WorldOrder, WorldSku } from '../world/index.js';
import { fromInteger, multiply, parseDecimal, type Decimal } from './decimal.js';
import { distruId, lineUuid } from './ids.js';
import type { Charge, Company, Invoice, InvoiceStatus, Location, Order, OrderStatus, PriceTier, Product, Purchase, PurchaseStatus, TestResult, User } from './records.js';
import { DistruStore } from './store.js';

/** Re-exported for sandbox/showcase.ts, which names showcase orders by their Distru id. */
export { distruId } from './ids.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const pad = (n: number, width: number) => String(n).padStart(width, '0');

const UNIT_TYPES: Record<WorldSku['unitOfMeasure'], string> = { units: 'Each', g: 'Gram', ml: 'Milliliter' };

/**
 * World order status → Distru sales order status. Open and fulfilled orders alternate between two
 * Distru statuses so that every status the `status[]` filter accepts occurs in the data.
 */
function orderStatus(order: WorldOrder): OrderStatus {
  const even = order.index % 2 === 0;
  switch (order.status) {
    case 'draft':
      return 'PENDING';
    case 'open':
      return even ? 'PROCESSING' : 'READY_TO_SHIP';
    case 'fulfilled':
      return even ? 'DELIVERING' : 'DELIVERED';
    case 'invoiced':
    case 'closed':
      return 'COMPLETED';
    case 'cancelled':
      return 'CANCELED';
  }
}

/** Every tenth product has quantity price tiers: 5 % off from 20 units, 20 % off from 100 (as recorded in seed 002). */
function priceTiersFor(sku: WorldSku): PriceTier[] {
  if (sku.index % 10 !== 0) return [];
  return [
    { minQuantity: fromInteger(20), percentOff: fromInteger(5) },
    { minQuantity: fromInteger(100), percentOff: fromInteger(20) },
  ];
}

function testResultFor(lot: WorldLot): TestResult | null {
  if (lot.index % 3 !== 0) return null;
  return { name: `${lot.number}-COA.pdf`, thcPercentage: String(lot.index % 30), cbdPercentage: String((lot.index * 7) % 25) };
}

/** Projects the shared world into Distru's records: one Distru account that sells, buys and stocks. */
export function projectWorld(world: World, credentials: SandboxCredentials): DistruStore {
  const now = world.now.getTime();
  const epoch = now - 1000 * DAY;
  const licenseOf = (prefix: string, n: number) => `${prefix}-${pad(n, 7)}-LIC`;

  const ownLocations = world.locations.filter((l) => l.vendors.includes('distru'));
  const self: Company = {
    id: distruId('company', 'self'),
    name: 'Opsgraph Distribution',
    kind: 'self',
    licenses: [licenseOf('C11', 1)],
    locationIds: ownLocations.map((l) => distruId('location', l.key)),
    insertedAt: epoch,
    updatedAt: epoch,
  };
  const apiUser: User = { id: distruId('user', 'api'), email: credentials.email ?? 'dev@distru.example', fullName: 'Dev Integration', banned: false };
  const store = new DistruStore(self, apiUser, credentials, now);
  store.companies.set(self.id, self);
  store.users.set(apiUser.id, apiUser);
  const reps: User[] = ['Avery Stone', 'Jordan Reyes', 'Sam Okafor'].map((fullName, i) => ({
    id: distruId('user', `rep-${i + 1}`),
    email: `${fullName.split(' ')[0]?.toLowerCase()}@opsgraph-distribution.example`,
    fullName,
    banned: false,
  }));
  for (const rep of reps) store.users.set(rep.id, rep);

  for (const loc of ownLocations) {
    const at = epoch + loc.index * HOUR;
    const location: Location = { id: distruId('location', loc.key), name: loc.name, address: loc.address, companyId: self.id, licenseNumber: licenseOf('C11', loc.index + 2), own: true, insertedAt: at, updatedAt: at };
    store.locations.set(location.id, location);
  }

  // Customers are companies with one ship-to location each.
  for (const customer of world.customers) {
    const at = epoch + (100 + customer.index) * HOUR;
    const companyId = distruId('company', customer.key);
    const license = licenseOf('C10', customer.index + 1);
    const location: Location = { id: distruId('location', customer.key), name: `${customer.name} — ${customer.key}`, address: customer.address, companyId, licenseNumber: license, own: false, insertedAt: at, updatedAt: at };
    store.locations.set(location.id, location);
    store.companies.set(companyId, { id: companyId, name: customer.name, kind: 'customer', licenses: [license], locationIds: [location.id], insertedAt: at, updatedAt: at + 30 * DAY });
  }

  // One supplier per product category: the brand and vendor of its products, the seller of purchases.
  const supplierOf = new Map<string, Company>();
  for (const category of [...new Set(world.skus.map((s) => s.category))].sort()) {
    const at = epoch + supplierOf.size * HOUR;
    const supplier: Company = { id: distruId('company', `supplier:${category}`), name: `${category} Supply Partners`, kind: 'supplier', licenses: [licenseOf('C12', supplierOf.size + 1)], locationIds: [], insertedAt: at, updatedAt: at };
    supplierOf.set(category, supplier);
    store.companies.set(supplier.id, supplier);
  }

  const productOfSku = new Map<string, Product>();
  const batchIdOfLot = new Map<string, string>();
  for (const sku of world.skus) {
    const code = sku.vendorCodes.distru;
    const supplier = supplierOf.get(sku.category);
    if (code === undefined || !supplier) continue;
    const product: Product = {
      id: distruId('product', sku.code),
      name: sku.name,
      sku: code,
      unitPrice: sku.unitPrice,
      unitType: UNIT_TYPES[sku.unitOfMeasure],
      unitsPerCase: sku.index % 3 === 0 ? 12 : null,
      category: { id: distruId('category', sku.category), name: sku.category },
      brandCompanyId: supplier.id,
      vendorCompanyId: supplier.id,
      priceTiers: priceTiersFor(sku),
      batchIds: [],
      insertedAt: sku.createdAt.getTime(),
      updatedAt: sku.updatedAt.getTime(),
    };
    for (const lot of world.lotsBySku.get(sku.code) ?? []) {
      const at = lot.manufacturedAt.getTime();
      const batchId = distruId('batch', lot.number);
      const testResult = testResultFor(lot);
      store.batches.set(batchId, { id: batchId, name: lot.number, batchNumber: lot.number, productId: product.id, testResult, insertedAt: at, updatedAt: at });
      // Each lot is also one compliance-tracked package (a Metrc-style 24-character label).
      const packageId = distruId('package', lot.number);
      store.packages.set(packageId, { id: packageId, complianceLabel: `1A4060300000${pad(lot.index + 1, 12)}`, batchId, licenseNumber: self.licenses[0] ?? '', testResult, insertedAt: at, updatedAt: at });
      product.batchIds.push(batchId);
      batchIdOfLot.set(lot.number, batchId);
    }
    store.products.set(product.id, product);
    productOfSku.set(sku.code, product);
  }

  const stockLocationOf = memo((key: string) => distruId('location', key));
  for (const row of world.stock) {
    const product = productOfSku.get(row.skuCode);
    if (row.vendor !== 'distru' || !product) continue;
    store.addStock({ productId: product.id, locationId: stockLocationOf(row.locationKey), batchNumber: row.lotNumber, active: fromInteger(row.quantity), reserved: 0n, updatedAt: row.updatedAt.getTime() });
  }
  store.indexCatalog();

  // Customer and location ids repeat on every order: computed once per key.
  const idOf = memo((key: string) => distruId('location', key));
  const companyIdOf = memo((key: string) => distruId('company', key));
  // Order lines use only SKUs Distru carries (the world draws Distru orders from them).
  const productIdOf = (code: string) => productOfSku.get(code)?.id ?? distruId('product', code);
  const priceOf = memoDecimal((text) => parseDecimal(text) ?? 0n);
  const orders: Order[] = [];
  const orderByKey = new Map<string, Order>();
  for (const order of world.orders) {
    if (order.vendor !== 'distru') continue;
    const status = orderStatus(order);
    const orderAt = order.orderedAt.getTime();
    const orderId = distruId('order', order.key);
    const customerLocation = idOf(order.customerKey);
    const rep = reps[order.index % reps.length] as User;
    const record: Order = {
      id: orderId,
      number: order.number,
      companyId: companyIdOf(order.customerKey),
      billingLocationId: customerLocation,
      shippingLocationId: customerLocation,
      status,
      orderAt,
      dueAt: order.dueAt.getTime(),
      deliveryAt: status === 'DELIVERED' || status === 'COMPLETED' ? order.dueAt.getTime() : null,
      insertedAt: orderAt,
      updatedAt: Math.min(now, orderAt + (order.index % 10) * DAY),
      externalNotes: null,
      items: order.lines.map((line, lineIndex) => {
        const price = priceOf(line.unitPrice);
        return {
          id: lineUuid(orderId, lineIndex),
          productId: productIdOf(line.skuCode),
          batchId: batchIdOfLot.get(line.lotNumber) ?? null,
          packageId: null,
          locationId: idOf(order.locationKey),
          priceBase: price,
          price,
          quantity: wholeNumber(line.quantity),
          complianceQuantity: null,
        };
      }),
      charges: chargesOf(orderId, order.index),
      creatorId: rep.id,
      ownerId: rep.id,
    };
    orders.push(record);
    orderByKey.set(order.key, record);
  }

  const invoices: Invoice[] = [];
  for (const invoice of world.invoices) {
    // Distru has no void invoice status (its filter accepts only payment states): void ones are not projected.
    if (invoice.status === 'void') continue;
    const order = world.orderByKey.get(invoice.orderKey);
    const projected = orderByKey.get(invoice.orderKey);
    if (!order || !projected) continue;
    const invoiceId = distruId('invoice', invoice.key);
    const invoiceAt = invoice.invoicedAt.getTime();
    const status: InvoiceStatus = invoice.status === 'paid' ? (invoice.index % 17 === 0 ? 'OVER_PAID' : 'FULLY_PAID') : invoice.index % 5 === 0 ? 'PARTIALLY_PAID' : 'NOT_PAID';
    const rep = reps[order.index % reps.length] as User;
    const record: Invoice = {
      id: invoiceId,
      number: invoice.number,
      orderId: projected.id,
      status,
      billingLocationId: idOf(order.customerKey),
      invoiceAt,
      dueAt: invoice.dueAt.getTime(),
      insertedAt: invoiceAt,
      updatedAt: Math.min(now, invoiceAt + (invoice.index % 7) * DAY),
      items: invoice.lines.flatMap((line) => {
        const orderItem = projected.items[line.lineIndex];
        return orderItem ? [{ id: lineUuid(invoiceId, line.lineIndex), orderItemId: orderItem.id, quantity: wholeNumber(line.quantity) }] : [];
      }),
      // An invoice carries the charges of the order it bills (as Distru copies them when invoicing).
      charges: projected.charges.map((c, n) => ({ ...c, id: lineUuid(`${invoiceId}-charge`, n) })),
      creatorId: rep.id,
      ownerId: rep.id,
    };
    invoices.push(record);
  }

  store.load({ orders, invoices, purchases: projectPurchases(world, store, productOfSku, batchIdOfLot, supplierOf) });
  projectForeignCompany(store);
  return store;
}

/**
 * Charge lines (seed 002 "Charge", the order example: a percentage DISCOUNT, a TAX, a flat CHARGE):
 * every third order pays excise tax, every fifth has a family discount, every seventh a flat
 * delivery fee. The rest have none, as most of the recorded orders.
 */
function chargesOf(orderId: string, index: number): Charge[] {
  const charges: Charge[] = [];
  const add = (charge: Omit<Charge, 'id'>) => charges.push({ ...charge, id: lineUuid(`${orderId}-charge`, charges.length) });
  if (index % 3 === 0) add({ name: 'Excise Tax', type: 'TAX', unitType: 'PERCENT', percent: parseDecimal('15'), price: null });
  if (index % 5 === 0) add({ name: 'Friends and Family', type: 'DISCOUNT', unitType: 'PERCENT', percent: parseDecimal('-10'), price: null });
  if (index % 7 === 0) add({ name: 'Delivery Fee', type: 'CHARGE', unitType: 'PRICE', percent: null, price: parseDecimal('25') });
  return charges;
}

/** Line quantities are small whole numbers: one shared bigint each instead of one per line. */
const SMALL_WHOLE = Array.from({ length: 1001 }, (_, n) => fromInteger(n));
const wholeNumber = (n: number): Decimal => SMALL_WHOLE[n] ?? fromInteger(n);

function memoDecimal(compute: (text: string) => Decimal): (text: string) => Decimal {
  const cache = new Map<string, Decimal>();
  return (text) => {
    let value = cache.get(text);
    if (value === undefined) {
      value = compute(text);
      cache.set(text, value);
    }
    return value;
  };
}

function memo(compute: (key: string) => string): (key: string) => string {
  const cache = new Map<string, string>();
  return (key) => {
    let value = cache.get(key);
    if (value === undefined) {
      value = compute(key);
      cache.set(key, value);
    }
    return value;
  };
}

/**
 * The world has no purchase orders, so the sandbox derives them from lots: every fourth lot starts
 * a purchase of that lot and the next two, from the supplier of the first lot's category. The older
 * the lot, the further the purchase has got (pending → completed).
 */
function projectPurchases(world: World, store: DistruStore, productOfSku: Map<string, Product>, batchIdOfLot: Map<string, string>, supplierOf: Map<string, Company>): Purchase[] {
  const now = world.now.getTime();
  const stockedAt = new Map<string, string>();
  for (const row of world.stock) if (row.vendor === 'distru' && !stockedAt.has(row.lotNumber)) stockedAt.set(row.lotNumber, distruId('location', row.locationKey));
  const lots = world.lots.filter((lot) => productOfSku.has(lot.skuCode));
  const fallbackLocation = store.self.locationIds[0] ?? null;
  const purchases: Purchase[] = [];
  for (let i = 0; i < lots.length; i += 4) {
    const first = lots[i] as WorldLot;
    const supplier = supplierOf.get(world.skuByCode.get(first.skuCode)?.category ?? '');
    const locationId = stockedAt.get(first.number) ?? fallbackLocation;
    const orderAt = first.manufacturedAt.getTime() - 3 * DAY;
    const ageDays = (now - orderAt) / DAY;
    const status: PurchaseStatus = ageDays < 20 ? 'PENDING' : ageDays < 30 ? 'PROCESSING' : ageDays < 40 ? 'DELIVERING' : ageDays < 50 ? 'PARTIALLY_RECEIVED' : 'COMPLETED';
    const purchase: Purchase = {
      id: distruId('purchase', first.number),
      number: `PO-${pad(purchases.length + 1, 6)}`,
      companyId: supplier?.id ?? null,
      locationId,
      billingLocationId: locationId,
      description: null,
      status,
      orderAt,
      dueAt: orderAt + 30 * DAY,
      insertedAt: orderAt,
      updatedAt: Math.min(now, orderAt + 10 * DAY),
      items: lots.slice(i, i + 3).flatMap((lot, n) => {
        const product = productOfSku.get(lot.skuCode);
        const cost = parseDecimal(world.skuByCode.get(lot.skuCode)?.unitPrice ?? '');
        if (!product || cost === null) return [];
        const quantity: Decimal = fromInteger(100 + (lot.index % 5) * 50);
        const received = status === 'COMPLETED' ? quantity : status === 'PARTIALLY_RECEIVED' && n === 0 ? quantity : 0n;
        return [{ id: distruId('purchase-item', lot.number), productId: product.id, batchId: batchIdOfLot.get(lot.number) ?? null, locationId, price: multiply(cost, parseDecimal('0.5') ?? 0n), quantity, receivedQuantity: received }];
      }),
      charges: [],
    };
    purchases.push(purchase);
  }
  return purchases;
}

/**
 * A second Distru company whose records this account may not use: writes that reference them are
 * refused with "This record does not belong to your company." (seed 002, purchases examples).
 */
function projectForeignCompany(store: DistruStore): void {
  const at = store.self.insertedAt;
  const company: Company = { id: distruId('foreign-company', 1), name: 'Another Tenant Inc.', kind: 'customer', licenses: [], locationIds: [], insertedAt: at, updatedAt: at };
  store.foreign.companies.set(company.id, company);
  const location: Location = { id: distruId('foreign-location', 1), name: 'Another Tenant Warehouse', address: '1 Elsewhere Rd', companyId: company.id, licenseNumber: null, own: true, insertedAt: at, updatedAt: at };
  store.foreign.locations.set(location.id, location);
  company.locationIds.push(location.id);
  const product: Product = {
    id: distruId('foreign-product', 1),
    name: 'Foreign Product',
    sku: 'FOREIGN-1',
    unitPrice: '1.00',
    unitType: 'Each',
    unitsPerCase: null,
    category: { id: distruId('foreign-category', 1), name: 'Foreign' },
    brandCompanyId: company.id,
    vendorCompanyId: company.id,
    priceTiers: [],
    batchIds: [distruId('foreign-batch', 1)],
    insertedAt: at,
    updatedAt: at,
  };
  store.foreign.products.set(product.id, product);
  store.foreign.batches.set(distruId('foreign-batch', 1), { id: distruId('foreign-batch', 1), name: 'FOREIGN-LOT', batchNumber: 'FOREIGN-LOT', productId: product.id, testResult: null, insertedAt: at, updatedAt: at });
  store.foreign.packages.set(distruId('foreign-package', 1), { id: distruId('foreign-package', 1), complianceLabel: '1A4060300000999999999999', batchId: distruId('foreign-batch', 1), licenseNumber: '', testResult: null, insertedAt: at, updatedAt: at });
}
