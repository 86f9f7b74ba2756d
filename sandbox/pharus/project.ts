import type { SandboxCredentials } from '../core/server.js';
import { createRandom, stableUuid, type World, type WorldOrder, type WorldOrderStatus } from '../world/index.js';
import { MONEY_PLACES, QUANTITY_PLACES, scaleText } from './decimal.js';
import { InventoryBook, type LedgerSeed } from './inventory.js';
import type { CustomerRecord, FulfillmentStatus, LocationRecord, LookupRecord, MaterialRecord, OrderStatus, SalesOrderItemRecord, SalesOrderRecord, SkuRecord, StockCellRecord } from './records.js';
import type { LookupKind, PharusStore } from './store.js';
import { Table } from './table.js';

/**
 * Projects the shared world into one Pharus organisation. Ids are `stableUuid('pharus:<kind>', key)`
 * of the world key, so they are the same at every start. Linear in the world's size (maps, no
 * nested scans), sorted once per table.
 */

const DAY = 86_400_000;
/** When the organisation's reference data was set up: a fixed time before the world's "now". */
const setupTime = (world: World) => new Date(world.now.getTime() - 3 * 365 * DAY);

export const pharusId = (kind: string, key: string | number) => stableUuid(`pharus:${kind}`, key);

/** World order status → Pharus `orderStatus` and `fulfillmentStatus`. */
const STATUS_OF: Record<WorldOrderStatus, { order: OrderStatus; fulfillment: FulfillmentStatus }> = {
  draft: { order: 'Received', fulfillment: 'Pending' },
  open: { order: 'Entered', fulfillment: 'Pending' },
  fulfilled: { order: 'Shipped', fulfillment: 'Fulfilled' },
  invoiced: { order: 'Invoiced', fulfillment: 'Fulfilled' },
  closed: { order: 'Completed', fulfillment: 'Fulfilled' },
  cancelled: { order: 'Rejected', fulfillment: 'Pending' },
};

/** The statuses an order passed through to reach its status (one day apart from `placedAt`). */
const HISTORY: Record<OrderStatus, readonly OrderStatus[]> = {
  Received: ['Received'],
  Entered: ['Received', 'Entered'],
  Shipped: ['Received', 'Entered', 'Shipped'],
  Invoiced: ['Received', 'Entered', 'Shipped', 'Invoiced'],
  Paid: ['Received', 'Entered', 'Shipped', 'Invoiced', 'Paid'],
  Completed: ['Received', 'Entered', 'Shipped', 'Invoiced', 'Paid', 'Completed'],
  Rejected: ['Received', 'Rejected'],
  'In-Dispute': ['Received', 'Entered', 'Shipped', 'In-Dispute'],
};

const CUSTOMER_TYPES = ['Retail', 'Wholesale'];
const ORDER_CHANNELS = ['Direct', 'Broker', 'Online'];
const BROKER = 'North Star Brokerage';
const MATERIAL_TYPES = ['Ingredient', 'Packaging'];
/** Materials are not in the shared world: a fixed catalogue, stocked at every Pharus location. */
const MATERIALS: readonly { name: string; type: 'Ingredient' | 'Packaging' }[] = [
  { name: 'MCT Oil (L)', type: 'Ingredient' },
  { name: 'Hemp Extract (kg)', type: 'Ingredient' },
  { name: 'Gelatin (kg)', type: 'Ingredient' },
  { name: 'Cane Sugar (kg)', type: 'Ingredient' },
  { name: 'Citric Acid (kg)', type: 'Ingredient' },
  { name: 'Natural Flavor Blend (L)', type: 'Ingredient' },
  { name: 'Beeswax (kg)', type: 'Ingredient' },
  { name: 'Glass Dropper Bottle 30 mL', type: 'Packaging' },
  { name: 'Glass Dropper Bottle 60 mL', type: 'Packaging' },
  { name: 'PET Jar 100 mL', type: 'Packaging' },
  { name: 'Child-Resistant Cap', type: 'Packaging' },
  { name: 'Product Label', type: 'Packaging' },
  { name: 'Folding Carton', type: 'Packaging' },
  { name: 'Shipping Case (24 ct)', type: 'Packaging' },
];

/** `"100 Commerce Way, Denver, CO"` → street, city, state (the world's address format). */
function splitAddress(address: string): Pick<LocationRecord, 'address' | 'city' | 'state' | 'country' | 'zipCode'> {
  const [street = address, city = null, state = null] = address.split(', ');
  return { address: street, city, state, country: 'US', zipCode: null };
}

/** Items per unit and ounces per item, read from the size in a world SKU name such as `(30 mL)`. */
function packOf(name: string): { itemsPerUnit: number; ozPerItem: number | null } {
  const match = /\((\d+) (mL|g|ct)\)$/.exec(name);
  if (!match) return { itemsPerUnit: 1, ozPerItem: null };
  const amount = Number(match[1]);
  const scale = 10 ** QUANTITY_PLACES;
  if (match[2] === 'ct') return { itemsPerUnit: amount, ozPerItem: null };
  const ounces = match[2] === 'mL' ? amount / 29.5735 : amount / 28.3495;
  return { itemsPerUnit: 1, ozPerItem: Math.round(ounces * scale) };
}

const idOf = (r: { id: string }) => r.id;

function lookupTable(kind: string, names: readonly string[], createdAt: Date): Table<LookupRecord> {
  return new Table<LookupRecord>(
    idOf,
    idOf,
    names.map((name, sortOrder) => ({ id: pharusId(kind, name), name, sortOrder, isActive: true, createdAt })),
  );
}

export function createPharusStore(world: World, credentials: SandboxCredentials): PharusStore {
  const setup = setupTime(world);
  const orgId = credentials.orgId ?? 'dev-org';

  const worldLocations = world.locations.filter((l) => l.vendors.includes('pharus'));
  const locationIdByKey = new Map(worldLocations.map((l) => [l.key, pharusId('location', l.key)]));
  const locations = new Table<LocationRecord>(
    idOf,
    idOf,
    worldLocations.map((l, sortOrder) => ({
      id: pharusId('location', l.key),
      name: l.name,
      sortOrder,
      ...splitAddress(l.address),
      notes: null,
      isActive: true,
      createdAt: setup,
      updatedAt: setup,
    })),
  );

  const categories = [...new Set(world.skus.map((s) => s.category))].sort();
  const customerKinds = [...new Set(world.customers.map((c) => segmentOf(c.name)))].sort();
  const lookups: Record<LookupKind, Table<LookupRecord>> = {
    skuTypes: lookupTable('sku-type', categories, setup),
    materialTypes: lookupTable('material-type', MATERIAL_TYPES, setup),
    customerTypes: lookupTable('customer-type', CUSTOMER_TYPES, setup),
    customerSegments: lookupTable('customer-segment', customerKinds, setup),
    brokers: lookupTable('broker', [BROKER], setup),
    orderChannels: lookupTable('order-channel', ORDER_CHANNELS, setup),
  };

  const skuRecords: SkuRecord[] = [];
  const skuIdByCode = new Map<string, string>();
  /** Canonical world code → Pharus SKU id. */
  const skuIdByWorldCode = new Map<string, string>();
  for (const sku of world.skus) {
    const code = sku.vendorCodes.pharus;
    if (code === undefined) continue;
    const id = pharusId('sku', sku.code);
    skuRecords.push({
      id,
      skuCode: code,
      name: sku.name,
      skuTypeId: pharusId('sku-type', sku.category),
      ...packOf(sku.name),
      qboId: null,
      notes: null,
      isActive: true,
      createdAt: sku.createdAt,
      updatedAt: sku.updatedAt,
      listPrice: scaleText(sku.unitPrice, MONEY_PLACES),
    });
    skuIdByCode.set(code, id);
    skuIdByWorldCode.set(sku.code, id);
  }

  // Every fifth customer buys through the broker, at a 5% fee.
  const brokerId = pharusId('broker', BROKER);
  const brokerFeePercent = 500;
  const customerRecords: CustomerRecord[] = world.customers.map((c) => {
    const segment = segmentOf(c.name);
    const brokered = c.index % 5 === 4;
    const createdAt = new Date(setup.getTime() + c.index * DAY);
    return {
      id: pharusId('customer', c.key),
      name: c.name,
      customerTypeId: pharusId('customer-type', segment === 'Supply Co.' ? 'Wholesale' : 'Retail'),
      customerSegmentId: pharusId('customer-segment', segment),
      brokerId: brokered ? brokerId : null,
      brokerFeePercent: brokered ? brokerFeePercent : null,
      ...splitAddress(c.address),
      parentCustomerId: null,
      qboId: null,
      notes: null,
      isActive: true,
      createdAt,
      updatedAt: createdAt,
    };
  });
  const customerById = new Map(customerRecords.map((c) => [c.id, c]));

  const salesOrderItems = new Map<string, SalesOrderItemRecord>();
  let maxSoNumber = 0;
  const orderRecords = world.orders
    .filter((o) => o.vendor === 'pharus')
    .map((o) => {
      const record = projectOrder(o, customerById, locationIdByKey, skuIdByWorldCode);
      for (const item of record.items) salesOrderItems.set(item.id, item);
      maxSoNumber = Math.max(maxSoNumber, Number(record.soNumber.slice(1)));
      return record;
    });

  const finishedGoods = projectFinishedGoods(world, locationIdByKey, skuIdByWorldCode);
  const { materials, materialsInventory } = projectMaterials(world, [...locationIdByKey.values()], setup);

  return {
    orgId,
    locations,
    lookups,
    skus: new Table(idOf, idOf, skuRecords),
    skuIdByCode,
    materials: new Table(idOf, idOf, materials),
    materialIdByCode: new Map(materials.map((m) => [m.materialCode, m.id])),
    customers: new Table(idOf, idOf, customerRecords),
    salesOrders: new Table(idOf, (o) => o.soNumber, orderRecords),
    salesOrderItems,
    timelineNotes: new Map(),
    nextSoNumber: maxSoNumber + 1,
    finishedGoods,
    materialsInventory,
  };
}

/** The world's customer names end in their kind of business ("… Pharmacy"): the Pharus segment. */
function segmentOf(name: string): string {
  return name.split(' ').slice(2).join(' ') || name;
}

function projectOrder(
  o: WorldOrder,
  customers: ReadonlyMap<string, CustomerRecord>,
  locationIdByKey: ReadonlyMap<string, string>,
  skuIdByWorldCode: ReadonlyMap<string, string>,
): SalesOrderRecord {
  const id = pharusId('sales-order', o.key);
  const customerId = pharusId('customer', o.customerKey);
  const customer = customers.get(customerId);
  const { order: orderStatus, fulfillment } = STATUS_OF[o.status];
  // One hash per order, not per line (there are ~4 lines an order): the line number goes into
  // the last four hex digits of the order's item-id base.
  const itemBase = pharusId('sales-order-items', o.key).slice(0, -4);
  const items: SalesOrderItemRecord[] = o.lines.map((line, i) => {
    const skuId = skuIdByWorldCode.get(line.skuCode);
    // The world only gives Pharus orders lines of SKUs that Pharus carries.
    if (skuId === undefined) throw new Error(`world order ${o.key} has a line of ${line.skuCode}, which Pharus does not carry`);
    return { id: itemBase + i.toString(16).padStart(4, '0'), salesOrderId: id, skuId, quantity: line.quantity, unitPrice: scaleText(line.unitPrice, MONEY_PLACES) };
  });
  const subtotal = items.reduce((sum, item) => sum + item.quantity * item.unitPrice, 0);
  const brokerFeePercent = customer?.brokerFeePercent ?? null;
  const stamps: Partial<Record<OrderStatus, Date>> = {};
  HISTORY[orderStatus].forEach((status, step) => {
    stamps[status] = new Date(o.orderedAt.getTime() + step * DAY);
  });
  const updatedAt = new Date(o.orderedAt.getTime() + (HISTORY[orderStatus].length - 1) * DAY);
  return {
    id,
    soNumber: o.number,
    customerId,
    orderChannelId: pharusId('order-channel', customer?.brokerId ? 'Broker' : o.index % 4 === 0 ? 'Online' : 'Direct'),
    orderStatus,
    fulfillmentStatus: fulfillment,
    fulfillmentLocationId: locationIdByKey.get(o.locationKey) ?? null,
    brokerId: customer?.brokerId ?? null,
    brokerFeePercent,
    brokerFees: brokerFeePercent === null ? 0 : Math.round((subtotal * brokerFeePercent) / 10_000),
    fulfillmentCosts: 0,
    freightCosts: 0,
    promoCosts: 0,
    otherCosts: 0,
    mabd: o.dueAt.toISOString().slice(0, 10),
    placedAt: o.orderedAt,
    receivedAt: stamps.Received ?? null,
    enteredAt: stamps.Entered ?? null,
    shippedAt: stamps.Shipped ?? null,
    invoicedAt: stamps.Invoiced ?? null,
    paidAt: stamps.Paid ?? null,
    rejectedAt: stamps.Rejected ?? null,
    inDisputeAt: stamps['In-Dispute'] ?? null,
    completedAt: stamps.Completed ?? null,
    notes: null,
    qboId: null,
    createdAt: o.orderedAt,
    updatedAt,
    items,
  };
}

/**
 * Finished goods: each world stock row of Pharus (a lot of a SKU at a location) is one PRODUCE
 * entry whose `code` is the lot number; the summary adds them up per SKU and location. Rows of zero
 * keep their summary row but write no entry.
 */
function projectFinishedGoods(world: World, locationIdByKey: ReadonlyMap<string, string>, skuIdByWorldCode: ReadonlyMap<string, string>): InventoryBook {
  const cells = new Map<string, StockCellRecord>();
  const entries: LedgerSeed[] = [];
  for (const row of world.stock) {
    if (row.vendor !== 'pharus') continue;
    const itemId = skuIdByWorldCode.get(row.skuCode);
    const locationId = locationIdByKey.get(row.locationKey);
    if (itemId === undefined || locationId === undefined) throw new Error(`Pharus stock of ${row.skuCode} at ${row.locationKey} has no SKU or location`);
    const quantity = row.quantity * 10 ** QUANTITY_PLACES;
    const key = `${itemId}:${locationId}`;
    const cell = cells.get(key) ?? { itemId, locationId, onHand: 0, inTransit: 0, lastEventDate: null };
    cells.set(key, cell);
    if (quantity === 0) continue;
    cell.onHand += quantity;
    if (cell.lastEventDate === null || row.updatedAt > cell.lastEventDate) cell.lastEventDate = row.updatedAt;
    entries.push({
      id: pharusId('fg-ledger', `${row.skuCode}:${row.lotNumber}:${row.locationKey}`),
      code: row.lotNumber,
      itemId,
      locationId,
      eventType: 'PRODUCE',
      quantity,
      unitCost: null,
      ref: null,
      toLocationId: null,
      notes: null,
      eventDate: row.updatedAt,
      sourceType: null,
      sourceId: null,
      createdAt: row.updatedAt,
    });
  }
  entries.sort((a, b) => a.eventDate.getTime() - b.eventDate.getTime() || (a.id < b.id ? -1 : 1));
  return new InventoryBook('TFR-FG', [...cells.values()], entries);
}

/** Materials: the fixed catalogue, each received once at every Pharus location (seeded amounts). */
function projectMaterials(world: World, locationIds: readonly string[], setup: Date): { materials: MaterialRecord[]; materialsInventory: InventoryBook } {
  const rng = createRandom(world.options.seed ^ 0x50484152);
  const materials: MaterialRecord[] = MATERIALS.map((m, i) => {
    const materialCode = `MAT-${String(i + 1).padStart(4, '0')}`;
    return { id: pharusId('material', materialCode), materialCode, name: m.name, materialTypeId: pharusId('material-type', m.type), notes: null, isActive: true, createdAt: setup, updatedAt: setup };
  });
  const cells: StockCellRecord[] = [];
  const entries: LedgerSeed[] = [];
  materials.forEach((material, i) => {
    const isIngredient = MATERIALS[i]?.type === 'Ingredient';
    for (const locationId of locationIds) {
      // Ingredients in tenths of a litre or kilogram, packaging in whole pieces.
      const quantity = isIngredient ? rng.int(5, 5000) * 10 ** (QUANTITY_PLACES - 1) : rng.int(100, 20_000) * 10 ** QUANTITY_PLACES;
      const eventDate = new Date(world.now.getTime() - rng.int(1, 60) * DAY);
      cells.push({ itemId: material.id, locationId, onHand: quantity, inTransit: 0, lastEventDate: eventDate });
      entries.push({
        id: pharusId('materials-ledger', `${material.materialCode}:${locationId}`),
        code: null,
        itemId: material.id,
        locationId,
        eventType: 'RECEIVE',
        quantity,
        unitCost: null,
        ref: null,
        toLocationId: null,
        notes: null,
        eventDate,
        sourceType: null,
        sourceId: null,
        createdAt: eventDate,
      });
    }
  });
  entries.sort((a, b) => a.eventDate.getTime() - b.eventDate.getTime() || (a.id < b.id ? -1 : 1));
  return { materials, materialsInventory: new InventoryBook('TFR-MI', cells, entries) };
}
