import type { World, WorldCustomer, WorldOrder } from '../world/index.js';
import type { Company, Customer, Inspection, InspectionSample, Inventory, Location, Ncr, NcrSource, Order, OrderItem, Part, Specification, Supplier, UnitType } from './records.js';
import { Table } from './table.js';

const DAY = 86_400_000;

/**
 * A time as the API shows it: `Y-m-d H:i:s`, no zone, as every response sample of the fuller
 * public rendering (https://docs.isolocity.com: `"created_at": "2020-01-01 12:00:00"`). The
 * sandbox's account clock is UTC; a real account's zone is the gateway's ISOLOCITY_TIMEZONE.
 */
export const vendorTime = (d: Date): string => d.toISOString().slice(0, 19).replace('T', ' ');

/** The time a write happened, as the API shows it. */
export const nowIso = (): string => vendorTime(new Date());

/**
 * ISOlocity's records and the indexes the API needs to stay fast at scale 100 (10,000 SKUs,
 * 100,000 orders): lookups by id are map hits, pages are slices, and the few lookups by another key
 * (identification, ncr_number, order_number, inventory of a part) have their own map, kept in step
 * by the mutation methods below. Routes validate first and only then call a mutation, so a rejected
 * write never reaches the store.
 */
export class IsolocityStore {
  readonly companies = new Table<Company>();
  readonly suppliers = new Table<Supplier>();
  readonly customers = new Table<Customer>();
  readonly locations = new Table<Location>();
  readonly specifications = new Table<Specification>();
  readonly parts = new Table<Part>();
  readonly inspections = new Table<Inspection>();
  readonly ncrs = new Table<Ncr>();
  readonly inventory = new Table<Inventory>();
  readonly orders = new Table<Order>();

  readonly partIdByIdentification = new Map<string, number>();
  readonly ncrIdByNumber = new Map<string, number>();
  readonly orderIdByNumber = new Map<number, number>();
  readonly orderItems = new Map<number, OrderItem>();
  private readonly inventoryOfPart = new Map<number, Inventory[]>();
  private lastOrderItemId = 0;
  private lastSampleId = 0;

  /** World keys → ISOlocity ids: how tests (and a seeded gateway) find a world record here. */
  readonly partIdBySkuCode = new Map<string, number>();
  readonly orderIdByWorldKey = new Map<string, number>();
  readonly customerIdByWorldKey = new Map<string, number>();
  readonly locationIdByWorldKey = new Map<string, number>();

  inventoryOf(partId: number): readonly Inventory[] {
    return this.inventoryOfPart.get(partId) ?? [];
  }

  addPart(build: (id: number) => Part): Part {
    const part = this.parts.insert(build);
    this.partIdByIdentification.set(part.identification, part.id);
    return part;
  }

  /** Applies already-validated changes to a part, keeping the identification index in step. */
  updatePart(part: Part, changes: Partial<Omit<Part, 'id' | 'created_at' | 'updated_at'>>): Part {
    if (changes.identification !== undefined && changes.identification !== part.identification) {
      this.partIdByIdentification.delete(part.identification);
      this.partIdByIdentification.set(changes.identification, part.id);
    }
    Object.assign(part, changes, { updated_at: nowIso() });
    return part;
  }

  addInventory(build: (id: number) => Inventory): Inventory {
    const record = this.inventory.insert(build);
    const list = this.inventoryOfPart.get(record.part_id);
    if (list) list.push(record);
    else this.inventoryOfPart.set(record.part_id, [record]);
    return record;
  }

  addNcr(build: (id: number) => Ncr): Ncr {
    const ncr = this.ncrs.insert(build);
    this.ncrIdByNumber.set(ncr.ncr_number, ncr.id);
    return ncr;
  }

  updateNcr(ncr: Ncr, changes: Partial<Omit<Ncr, 'id' | 'created_at' | 'updated_at'>>): Ncr {
    if (changes.ncr_number !== undefined && changes.ncr_number !== ncr.ncr_number) {
      this.ncrIdByNumber.delete(ncr.ncr_number);
      this.ncrIdByNumber.set(changes.ncr_number, ncr.id);
    }
    Object.assign(ncr, changes, { updated_at: nowIso() });
    return ncr;
  }

  addOrder(build: (id: number) => Order): Order {
    const order = this.orders.insert(build);
    this.orderIdByNumber.set(order.order_number, order.id);
    for (const item of order.items) this.orderItems.set(item.id, item);
    return order;
  }

  updateOrder(order: Order, changes: Partial<Omit<Order, 'id' | 'items' | 'created_at' | 'updated_at'>>): Order {
    if (changes.order_number !== undefined && changes.order_number !== order.order_number) {
      this.orderIdByNumber.delete(order.order_number);
      this.orderIdByNumber.set(changes.order_number, order.id);
    }
    Object.assign(order, changes, { updated_at: nowIso() });
    return order;
  }

  /** The order number a new order gets when the client sends none: one above the highest. */
  nextOrderNumber(): number {
    let highest = 0;
    for (const n of this.orderIdByNumber.keys()) if (n > highest) highest = n;
    return highest + 1;
  }

  addOrderItem(order: Order, build: (id: number) => OrderItem): OrderItem {
    const item = build(this.nextOrderItemId());
    order.items.push(item);
    order.items.sort((a, b) => a.order - b.order || a.id - b.id);
    this.orderItems.set(item.id, item);
    order.updated_at = item.created_at;
    return item;
  }

  nextOrderItemId(): number {
    return ++this.lastOrderItemId;
  }

  nextSampleId(): number {
    return ++this.lastSampleId;
  }
}

const iso = vendorTime;
const isoDate = (d: Date): string => d.toISOString().slice(0, 10);
const capitalise = (s: 'internal' | 'customer' | 'supplier'): NcrSource => (s === 'internal' ? 'Internal' : s === 'customer' ? 'Customer' : 'Supplier');
const unitTypeOf = (uom: 'units' | 'g' | 'ml'): UnitType | null => (uom === 'g' ? 'Mass' : uom === 'ml' ? 'Volume' : null);

/** "1234 Main St, Denver, CO" → street, city, province. */
function splitAddress(address: string): Pick<Customer, 'street' | 'city' | 'province'> {
  const [street = null, city = null, province = null] = address.split(',').map((s) => s.trim());
  return { street, city, province };
}

function customerOf(c: WorldCustomer, id: number, at: string): Customer {
  return {
    id,
    name: c.name,
    primary_name: null,
    primary_email: c.email,
    primary_phone: c.phone,
    primary_position: null,
    secondary_name: null,
    secondary_email: null,
    secondary_phone: null,
    secondary_position: null,
    ...splitAddress(c.address),
    country: 'US',
    postal_code: null,
    custom_field_1: null,
    custom_field_2: null,
    created_at: at,
    updated_at: at,
  };
}

/**
 * Projects the shared world into ISOlocity's records: parts are the SKUs ISOlocity carries (under
 * its own code), inventory is the world's ISOlocity stock grouped by part and lot, orders are the
 * world orders held by ISOlocity. Every id is a 1-based sequence in world order, so a seed always
 * gives the same ids. Linear in the size of the world.
 */
export function createIsolocityStore(world: World): IsolocityStore {
  const store = new IsolocityStore();
  const seededAt = iso(new Date(world.now.getTime() - 730 * DAY));

  store.companies.insert((id) => ({ id, name: 'Opsgraph Demo Manufacturing', created_at: seededAt, updated_at: seededAt }));
  const companyId = 1;

  // The world has no suppliers; three fixed ones give the supplier endpoints something to serve.
  for (const name of ['ABC Manufacturing Inc.', 'Northern Packaging Ltd.', 'Pure Botanicals Co.']) {
    store.suppliers.insert((id) => ({
      id,
      name,
      primary_name: null,
      primary_email: null,
      primary_phone: null,
      primary_position: null,
      secondary_name: null,
      secondary_email: null,
      secondary_phone: null,
      secondary_position: null,
      notes: null,
      created_at: seededAt,
      updated_at: seededAt,
    }));
  }

  for (const c of world.customers) {
    const customer = store.customers.insert((id) => customerOf(c, id, seededAt));
    store.customerIdByWorldKey.set(c.key, customer.id);
  }

  for (const l of world.locations) {
    if (!l.vendors.includes('isolocity')) continue;
    const location = store.locations.insert((id) => ({ id, name: l.name, is_active: 1, created_at: seededAt, updated_at: seededAt }));
    store.locationIdByWorldKey.set(l.key, location.id);
  }

  // One inspection template per product category (the "drawing" an inspection follows).
  const specIdByCategory = new Map<string, number>();
  for (const sku of world.skus) {
    if (specIdByCategory.has(sku.category)) continue;
    const spec = store.specifications.insert((id) => ({
      id,
      name: `${sku.category} Release Inspection`,
      identification: `SPEC-${sku.category.toUpperCase()}`,
      created_at: seededAt,
      updated_at: seededAt,
    }));
    specIdByCategory.set(sku.category, spec.id);
  }

  for (const sku of world.skus) {
    const identification = sku.vendorCodes.isolocity;
    if (identification === undefined) continue;
    const part = store.addPart((id) => ({
      id,
      name: sku.name,
      identification,
      company_id: companyId,
      is_activity: false,
      is_finished_product: true,
      batch_ids: (world.lotsBySku.get(sku.code) ?? []).map((lot) => lot.number),
      supplier_id: null,
      parent_part_id: null,
      unit_type: unitTypeOf(sku.unitOfMeasure),
      unit_of_measure: sku.unitOfMeasure,
      density: null,
      density_mass_unit: null,
      density_volume_unit: null,
      created_at: iso(sku.createdAt),
      updated_at: iso(sku.updatedAt),
    }));
    store.partIdBySkuCode.set(sku.code, part.id);
  }
  const partIdOf = (skuCode: string, what: string): number => {
    const id = store.partIdBySkuCode.get(skuCode);
    // The world only puts ISOlocity quality records and orders on SKUs ISOlocity carries.
    if (id === undefined) throw new Error(`world ${what} names SKU ${skuCode}, which ISOlocity does not carry`);
    return id;
  };

  for (const w of world.inspections) {
    const at = iso(w.inspectedAt);
    const sku = world.skuByCode.get(w.skuCode);
    store.inspections.insert((id) => ({
      id,
      entity_id: partIdOf(w.skuCode, 'inspection'),
      entity_type: 'part',
      drawing_id: sku ? (specIdByCategory.get(sku.category) ?? null) : null,
      sample_size: w.sampleSize,
      is_create_batch_records: true,
      passed: w.passed,
      lot_number: w.lotNumber,
      samples: Array.from({ length: w.sampleSize }, (_, i): InspectionSample => ({
        id: store.nextSampleId(),
        inspection_id: id,
        sample_number: i + 1,
        sample_serial: `${w.lotNumber}-S${i + 1}`,
        results: [],
        created_at: at,
        updated_at: at,
      })),
      created_at: at,
      updated_at: at,
    }));
  }

  for (const w of world.ncrs) {
    const at = iso(w.openedAt);
    store.addNcr((id) => ({
      id,
      ncr_number: w.number,
      source: capitalise(w.source),
      status: w.status,
      lot_number: w.lotNumber,
      quantity: w.quantity,
      description: w.description,
      // Containment comes first: every NCR on a lot records what was done at once.
      immediate_action: w.lotNumber ? `Lot ${w.lotNumber} quarantined pending review` : null,
      is_root_cause_determined: w.status === 'Closed',
      has_incomplete_action_items: w.status === 'Open',
      has_unread_notes: false,
      part_id: partIdOf(w.skuCode, 'NCR'),
      created_at: at,
      updated_at: at,
    }));
  }

  // Inventory: one record per (part, lot), linked to every location that holds some of it.
  const inventoryByKey = new Map<string, Inventory>();
  for (const s of world.stock) {
    if (s.vendor !== 'isolocity') continue;
    const locationId = store.locationIdByWorldKey.get(s.locationKey);
    if (locationId === undefined) throw new Error(`world stock of ISOlocity at ${s.locationKey}, which is not an ISOlocity location`);
    const key = `${s.skuCode}\u0000${s.lotNumber}`;
    const at = iso(s.updatedAt);
    const existing = inventoryByKey.get(key);
    if (existing) {
      existing.locations.push({ location_id: locationId, quantity: s.quantity });
      if (at > existing.updated_at) existing.updated_at = at;
      continue;
    }
    const lot = world.lotsBySku.get(s.skuCode)?.find((l) => l.number === s.lotNumber);
    const createdAt = lot ? iso(lot.manufacturedAt) : at;
    inventoryByKey.set(
      key,
      store.addInventory((id) => ({
        id,
        part_id: partIdOf(s.skuCode, 'stock'),
        lot_number: s.lotNumber,
        locations: [{ location_id: locationId, quantity: s.quantity }],
        created_at: createdAt,
        updated_at: at,
      })),
    );
  }

  for (const w of world.orders) {
    if (w.vendor !== 'isolocity') continue;
    const order = store.addOrder((id) => orderOf(w, id, store, partIdOf));
    store.orderIdByWorldKey.set(w.key, order.id);
  }

  return store;
}

function orderOf(w: WorldOrder, id: number, store: IsolocityStore, partIdOf: (skuCode: string, what: string) => number): Order {
  const at = iso(w.orderedAt);
  return {
    id,
    // The world's number is "Q010123"; ISOlocity order numbers are integers (document: `order_number integer`).
    order_number: Number(w.number.replace(/^\D+/, '')),
    po_number: `PO-${w.key.replace(/^\D+/, '')}`,
    contact_id: store.customerIdByWorldKey.get(w.customerKey) ?? null,
    order_date: isoDate(w.orderedAt),
    serial_number: null,
    is_closed: w.status === 'closed' || w.status === 'cancelled',
    items: w.lines.map((line, i) => ({
      id: store.nextOrderItemId(),
      order_id: id,
      part_id: partIdOf(line.skuCode, 'order line'),
      quantity: line.quantity,
      serial_number: line.lotNumber,
      drawing_id: null,
      is_low_inventory: false,
      is_low_materials: false,
      order: i + 1,
      created_at: at,
      updated_at: at,
    })),
    created_at: at,
    updated_at: at,
  };
}
