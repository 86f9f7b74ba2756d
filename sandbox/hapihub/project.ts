import { createRandom, type Random, type World, type WorldLot, type WorldStock } from '../world/index.js';
import { machineOf, objectId, stableObjectId } from './ids.js';
import type { InventoryTransaction, TransactionItem, TransactionType } from './schemas.js';

/**
 * Projects the shared world into HAPIHub's records: the hapihub locations become warehouses, the
 * SKUs HAPIHub carries become its items (by HAPIHub's own code), and each hapihub stock row
 * (sku, lot, location, quantity) becomes a history of transactions (stock in by receiving, some
 * receivings of a purchase; sales out, a few returns, adjustments and transfers, and purchase and
 * packaging records that move nothing) whose fold (src/vendors/hapihub/stock-rule.ts) is exactly
 * that quantity. Linear in the number of stock rows.
 */

export interface Warehouse {
  id: string;
  locationKey: string;
  name: string;
  address: string;
}

export interface CatalogItem {
  /** HAPIHub's code for the SKU (`sku.vendorCodes.hapihub`), what `items.sku` holds. */
  sku: string;
  canonicalCode: string;
  variantName: string;
  variantIsMedicine: boolean;
  variantIsMedicineDangerous: boolean;
  /** List price as a number: HAPIHub sends prices as JSON numbers. */
  price: number;
}

export interface Projection {
  warehouses: Warehouse[];
  catalog: Map<string, CatalogItem>;
  /** In creation order (createdAt, then id), every createdAt at or before `world.now`. */
  transactions: InventoryTransaction[];
  /** The user the API token belongs to: `createdBy` of transactions created through the API. */
  apiUserId: string;
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Warehouses, users and accounts predate every transaction; their ObjectIds carry this time. */
const REFERENCE_EPOCH = Date.UTC(2023, 0, 1);
const MEDICINE_CATEGORIES = new Set(['Tinctures', 'Capsules']);
const ADJUSTMENT_REASONS = ['cycle count', 'damaged', 'expired', 'found in recount'];

/** One hapihub stock row and what its history will be made of. */
interface RowPlan {
  row: WorldStock;
  item: CatalogItem;
  lot: WorldLot;
  warehouse: Warehouse;
  transferIn: number;
  transferOut: number;
  /** When the row's own stock in (purchase or receiving) arrived. */
  receivedAt: number;
  /** When stock first reached this row's warehouse; its sales and adjustments come after it. */
  from: number;
}

/** A quantity of one row moving at one time, before movements are bundled into transactions. */
interface Movement {
  plan: RowPlan;
  at: number;
  item: TransactionItem;
}

export function projectWorld(world: World): Projection {
  const rng = createRandom((world.options.seed ^ 0x48415049) >>> 0);
  const now = world.now.getTime();
  const machine = machineOf(`seed-${world.options.seed}`);
  let counter = 0;
  const transactions: InventoryTransaction[] = [];
  const staff = Array.from({ length: 4 }, (_, i) => stableObjectId('user', `staff-${i + 1}`, REFERENCE_EPOCH));
  const suppliers = Array.from({ length: 6 }, (_, i) => stableObjectId('supplier', `supplier-${i + 1}`, REFERENCE_EPOCH));
  const accounts = world.customers.map((c) => stableObjectId('account', c.key, REFERENCE_EPOCH));

  const add = (type: TransactionType, warehouse: Warehouse, createdAt: number, items: TransactionItem[], fields: Partial<InventoryTransaction> = {}): InventoryTransaction => {
    const tx: InventoryTransaction = { id: objectId(createdAt, machine, counter++), createdAt, createdBy: rng.pick(staff), warehouse: warehouse.id, type, items, ...fields };
    transactions.push(tx);
    return tx;
  };

  const warehouses: Warehouse[] = world.locations
    .filter((l) => l.vendors.includes('hapihub'))
    .map((l) => ({ id: warehouseIdOf(l.key), locationKey: l.key, name: l.name, address: l.address }));
  const warehouseByLocation = new Map(warehouses.map((w) => [w.locationKey, w]));

  const catalog = new Map<string, CatalogItem>();
  const itemByCanonical = new Map<string, CatalogItem>();
  for (const sku of world.skus) {
    const code = sku.vendorCodes.hapihub;
    if (code === undefined) continue;
    const medicine = MEDICINE_CATEGORIES.has(sku.category);
    const item: CatalogItem = { sku: code, canonicalCode: sku.code, variantName: sku.name, variantIsMedicine: medicine, variantIsMedicineDangerous: medicine && sku.index % 7 === 0, price: Number(sku.unitPrice) };
    catalog.set(code, item);
    itemByCanonical.set(sku.code, item);
  }
  const lotByNumber = new Map(world.lots.map((l) => [l.number, l]));

  const plans: RowPlan[] = [];
  for (const row of world.stock) {
    if (row.vendor !== 'hapihub') continue;
    const item = itemByCanonical.get(row.skuCode);
    const lot = lotByNumber.get(row.lotNumber);
    const warehouse = warehouseByLocation.get(row.locationKey);
    if (!item || !lot || !warehouse) throw new Error(`hapihub stock row ${row.skuCode}/${row.lotNumber}@${row.locationKey} names no known item, lot or warehouse`);
    const receivedAt = Math.min(lot.manufacturedAt.getTime() + rng.int(1, 5) * DAY + rng.int(0, DAY - 1), now - 3 * DAY);
    plans.push({ row, item, lot, warehouse, transferIn: 0, transferOut: 0, receivedAt, from: receivedAt });
  }
  const baseItem = (plan: RowPlan): TransactionItem => ({
    sku: plan.item.sku,
    variantName: plan.item.variantName,
    variantIsMedicine: plan.item.variantIsMedicine,
    variantIsMedicineDangerous: plan.item.variantIsMedicineDangerous,
    control: plan.lot.number,
    expiresAt: plan.lot.expiresAt.getTime(),
  });
  const later = (from: number, margin: number): number => from + margin + rng.int(0, Math.max(0, now - from - margin));

  // Transfers: a lot held at two warehouses sometimes got part of its stock from the other one.
  // Both ends are world rows, so a transfer never creates stock where the world has none.
  const byLot = new Map<string, RowPlan[]>();
  for (const plan of plans) {
    const key = `${plan.row.skuCode}\u0000${plan.lot.number}`;
    const group = byLot.get(key);
    if (group) group.push(plan);
    else byLot.set(key, [plan]);
  }
  const transferMoves: { source: RowPlan; destination: RowPlan; quantity: number; at: number }[] = [];
  for (const group of byLot.values()) {
    const candidates = group.filter((p) => p.row.quantity > 0);
    if (group.length < 2 || candidates.length === 0 || !rng.chance(0.1)) continue;
    const destination = rng.pick(candidates);
    const source = rng.pick(group.filter((p) => p !== destination));
    const quantity = rng.int(1, destination.row.quantity);
    const at = Math.min(Math.max(source.receivedAt, destination.receivedAt) + rng.int(HOUR, 2 * DAY), now - DAY);
    destination.transferIn += quantity;
    source.transferOut += quantity;
    destination.from = at;
    transferMoves.push({ source, destination, quantity, at });
  }

  // Each row: sales out, maybe an adjustment, and the stock in that makes the sum come out right:
  // in = final + sold - returned + transferred out - transferred in - adjusted. A positive
  // adjustment is capped so that `in` never goes below what was sold.
  const inbound: Movement[] = [];
  const sales: Movement[] = [];
  const adjustments: Movement[] = [];
  const returnsOf = new Map<Movement, number>();
  for (const plan of plans) {
    const final = plan.row.quantity;
    let sold = 0;
    // An empty row sold out: it needs at least one sale, or it would have no history at all.
    const saleCount = final === 0 ? rng.int(1, 3) : rng.int(0, 3);
    for (let i = 0; i < saleCount; i++) {
      const quantity = rng.int(1, 24);
      sold += quantity;
      const sale: Movement = { plan, at: later(plan.from, HOUR), item: { ...baseItem(plan), quantity, price: plan.item.price } };
      sales.push(sale);
      if (quantity >= 2 && rng.chance(0.05)) {
        const returned = rng.int(1, Math.floor(quantity / 2));
        returnsOf.set(sale, returned);
        sold -= returned;
      }
    }
    let adjusted = 0;
    if (rng.chance(0.1)) {
      const room = final - plan.transferIn;
      adjusted = room >= 1 && rng.chance(0.3) ? rng.int(1, Math.min(room, 10)) : -rng.int(1, 10);
      adjustments.push({ plan, at: later(plan.from, HOUR), item: { ...baseItem(plan), adjustment: adjusted } });
    }
    const received = final + sold + plan.transferOut - plan.transferIn - adjusted;
    if (received > 0) {
      const unitCost = Math.round(plan.item.price * 60) / 100;
      inbound.push({ plan, at: plan.receivedAt, item: { ...baseItem(plan), quantity: received, price: unitCost } });
    }
  }

  // Bundle movements into transactions of a few items per warehouse, as a pharmacy records them.
  // Stock in is dated at its earliest movement and sales at their latest, so bundling never dates
  // a sale before the stock it sold.
  for (const chunk of bundle(inbound, rng, 5)) {
    const first = chunk[0] as Movement;
    const items = chunk.map((m) => m.item);
    if (rng.chance(0.3)) {
      // A purchase order, acknowledged, then received: only the receiving (naming the purchase)
      // moves stock (src/vendors/hapihub/stock-rule.ts). The order is dated before the goods arrive.
      const orderedAt = first.at - rng.int(HOUR, DAY);
      const purchase = add('purchase', first.plan.warehouse, orderedAt, items, {
        supplier: rng.pick(suppliers),
        supplierType: 'inventory-supplier',
        invoice: `PO-${String(counter).padStart(6, '0')}`,
        acknowledgedAt: orderedAt + rng.int(60_000, first.at - orderedAt),
        acknowledgedBy: rng.pick(staff),
      });
      add('receiving', first.plan.warehouse, first.at, items.map((i) => ({ ...i })), { transaction: purchase.id, invoice: `DR-${String(counter).padStart(6, '0')}` });
    } else {
      add('receiving', first.plan.warehouse, first.at, items, { invoice: `DR-${String(counter).padStart(6, '0')}` });
    }
  }
  for (const move of transferMoves) {
    add('transfer', move.source.warehouse, move.at, [{ ...baseItem(move.source), quantity: move.quantity }], {
      source: move.source.warehouse.id,
      destination: move.destination.warehouse.id,
      shipTo: move.destination.warehouse.address,
      shippedAt: move.at,
      shippedBy: rng.pick(staff),
    });
  }
  for (const chunk of bundle(adjustments, rng, 3)) {
    const first = chunk[0] as Movement;
    add('adjustment', first.plan.warehouse, first.at, chunk.map((m) => m.item), { reason: rng.pick(ADJUSTMENT_REASONS) });
  }
  for (const chunk of bundle(sales, rng, 4)) {
    const last = chunk[chunk.length - 1] as Movement;
    const account = rng.pick(accounts);
    const sale = add('sales', last.plan.warehouse, last.at, chunk.map((m) => m.item), {
      customer: account,
      customerType: 'patient',
      billTo: account,
      invoice: `SI-${String(counter).padStart(6, '0')}`,
      fulfilledAt: last.at,
      fulfilledBy: rng.pick(staff),
    });
    if (rng.chance(0.1)) {
      add('packaging', last.plan.warehouse, Math.min(sale.createdAt + rng.int(10 * 60_000, 6 * HOUR), now), sale.items, { transaction: sale.id, receivedAt: sale.createdAt, receivedBy: rng.pick(staff) });
    }
    const returned = chunk.filter((m) => returnsOf.has(m));
    if (returned.length > 0) {
      add('return', last.plan.warehouse, Math.min(sale.createdAt + rng.int(HOUR, 5 * DAY), now), returned.map((m) => ({ ...baseItem(m.plan), quantity: returnsOf.get(m) ?? 0, note: 'customer return' })), {
        transaction: sale.id,
        reason: 'customer return',
      });
    }
  }

  transactions.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : 1));
  return { warehouses, catalog, transactions, apiUserId: stableObjectId('user', 'api', REFERENCE_EPOCH) };
}

/** The warehouse id of a world location: stable across seeds, so a crosswalk of places stays true. */
export function warehouseIdOf(locationKey: string): string {
  return stableObjectId('warehouse', locationKey, REFERENCE_EPOCH);
}

/** Movements grouped per warehouse in time order, cut into runs of 1..max. */
function bundle(movements: readonly Movement[], rng: Random, max: number): Movement[][] {
  const byWarehouse = new Map<string, Movement[]>();
  for (const m of movements) {
    const list = byWarehouse.get(m.plan.warehouse.id);
    if (list) list.push(m);
    else byWarehouse.set(m.plan.warehouse.id, [m]);
  }
  const chunks: Movement[][] = [];
  for (const list of byWarehouse.values()) {
    list.sort((a, b) => a.at - b.at);
    for (let i = 0; i < list.length; ) {
      const size = rng.int(1, max);
      chunks.push(list.slice(i, i + size));
      i += size;
    }
  }
  return chunks;
}
