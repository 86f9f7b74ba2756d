import { createRandom, type Random } from './random.js';
import { vendorCode, vendorPresence } from './crosswalk.js';
import {
  VENDORS,
  type VendorName,
  type World,
  type WorldCustomer,
  type WorldInspection,
  type WorldInvoice,
  type WorldLocation,
  type WorldLot,
  type WorldNcr,
  type WorldOptions,
  type WorldOrder,
  type WorldOrderStatus,
  type WorldSku,
  type WorldStock,
} from './types.js';

/** The fixed "now" of generated data. */
const NOW = new Date('2026-06-01T12:00:00.000Z');
const DAY = 86_400_000;

const ADJECTIVES = ['Blue', 'Green', 'Golden', 'Pure', 'Night', 'Citrus', 'Alpine', 'Ruby', 'Silver', 'Wild'];
const NOUNS = ['Juice', 'Tincture', 'Gummies', 'Balm', 'Capsules', 'Syrup', 'Tablets', 'Drops', 'Spray', 'Powder'];
const SIZES = ['30 mL', '60 mL', '100 mL', '250 mL', '500 mL', '10 ct', '30 ct', '60 ct', '5 g', '50 g'];
const CATEGORIES = ['Edibles', 'Topicals', 'Tinctures', 'Capsules', 'Beverages'];
const LOCATION_NAMES = ['Main Warehouse', 'East Distribution Center', 'West Distribution Center', 'Production Floor', 'Quarantine Cage', 'Retail Backroom'];
const CITIES = ['Denver, CO', 'Portland, OR', 'Oakland, CA', 'Austin, TX', 'Boston, MA', 'Tulsa, OK'];
const COMPANY_WORDS = ['Green', 'Leaf', 'Harbor', 'Summit', 'Valley', 'River', 'Canyon', 'Pine', 'Cedar', 'Mesa'];
const COMPANY_KINDS = ['Dispensary', 'Wellness', 'Pharmacy', 'Supply Co.', 'Collective'];
const NCR_TEXT = ['Label misprint', 'Seal failure', 'Fill volume below spec', 'Foreign particle found', 'Potency out of range', 'Damaged in transit'];

const pad = (n: number, width: number) => String(n).padStart(width, '0');
const money = (cents: number) => `${Math.floor(cents / 100)}.${pad(cents % 100, 2)}`;
const daysBefore = (days: number, rng: Random) => new Date(NOW.getTime() - days * DAY - rng.int(0, DAY - 1));

export const DEFAULT_WORLD_OPTIONS: WorldOptions = { seed: 42, scale: 1 };

/**
 * Builds the world for a seed and scale. Scale 1 is ~100 SKUs and 1,000 orders; scale 100 is
 * 10,000 SKUs and 100,000 orders (a few seconds, well under a GiB).
 */
export function generateWorld(options: Partial<WorldOptions> = {}): World {
  const opts: WorldOptions = { ...DEFAULT_WORLD_OPTIONS, ...options };
  if (!Number.isInteger(opts.seed)) throw new Error(`seed must be an integer, got ${opts.seed}`);
  if (!(opts.scale > 0)) throw new Error(`scale must be positive, got ${opts.scale}`);
  const rng = createRandom(opts.seed);
  const skuCount = Math.max(80, Math.round(100 * opts.scale));
  const orderCount = Math.max(200, Math.round(1000 * opts.scale));
  const customerCount = Math.max(20, Math.round(40 * Math.sqrt(opts.scale)));

  const locations: WorldLocation[] = LOCATION_NAMES.map((name, index) => ({
    index,
    key: `LOC-${index + 1}`,
    name,
    address: `${100 + index * 17} Commerce Way, ${CITIES[index % CITIES.length]}`,
    // Every vendor stocks at the first three; the others are one vendor's own places.
    vendors: index < 3 ? [...VENDORS] : [VENDORS[index % VENDORS.length] as VendorName],
  }));

  const customers: WorldCustomer[] = Array.from({ length: customerCount }, (_, index) => {
    const name = `${rng.pick(COMPANY_WORDS)} ${rng.pick(COMPANY_WORDS)} ${rng.pick(COMPANY_KINDS)}`;
    return {
      index,
      key: `CUST-${pad(index + 1, 4)}`,
      name,
      email: `orders${index + 1}@${name.toLowerCase().replace(/[^a-z]+/g, '')}.example`,
      phone: `1-555-${pad(rng.int(100, 999), 3)}-${pad(rng.int(0, 9999), 4)}`,
      address: `${rng.int(1, 9999)} Main St, ${rng.pick(CITIES)}`,
    };
  });

  const skus: WorldSku[] = [];
  const lots: WorldLot[] = [];
  const lotsBySku = new Map<string, WorldLot[]>();
  for (let index = 0; index < skuCount; index++) {
    const code = `OG-${pad(index + 1, 5)}`;
    const presence = vendorPresence(index);
    const vendorCodes: WorldSku['vendorCodes'] = {};
    for (const vendor of VENDORS) if (presence[vendor]) vendorCodes[vendor] = vendorCode(index, code, vendor);
    const createdAt = daysBefore(rng.int(200, 700), rng);
    const sku: WorldSku = {
      index,
      code,
      name: `${rng.pick(ADJECTIVES)} ${rng.pick(NOUNS)} (${rng.pick(SIZES)})`,
      category: rng.pick(CATEGORIES),
      unitOfMeasure: rng.pick(['units', 'units', 'g', 'ml'] as const),
      unitPrice: money(rng.int(199, 9999)),
      vendorCodes,
      createdAt,
      updatedAt: new Date(createdAt.getTime() + rng.int(0, 150) * DAY),
    };
    skus.push(sku);
    const skuLots: WorldLot[] = [];
    const lotCount = rng.int(1, 4);
    for (let l = 0; l < lotCount; l++) {
      const manufacturedAt = daysBefore(rng.int(10, 360), rng);
      const lot: WorldLot = {
        index: lots.length,
        number: `LOT-${pad(index + 1, 5)}-${pad(l + 1, 2)}`,
        skuCode: code,
        manufacturedAt,
        expiresAt: new Date(manufacturedAt.getTime() + rng.int(180, 720) * DAY),
      };
      lots.push(lot);
      skuLots.push(lot);
    }
    lotsBySku.set(code, skuLots);
  }
  const skuByCode = new Map(skus.map((s) => [s.code, s]));
  const skusIn = (vendor: VendorName) => skus.filter((s) => s.vendorCodes[vendor] !== undefined);
  const skusInAll = skus.filter((s) => VENDORS.every((v) => s.vendorCodes[v] !== undefined));

  // Stock: every lot of a SKU sits at one or two locations in each vendor that carries the SKU.
  const stock: WorldStock[] = [];
  for (const sku of skus) {
    for (const vendor of VENDORS) {
      if (sku.vendorCodes[vendor] === undefined) continue;
      const places = locations.filter((l) => l.vendors.includes(vendor));
      for (const lot of lotsBySku.get(sku.code) ?? []) {
        for (const place of rng.sample(places, rng.int(1, 2))) {
          stock.push({
            vendor,
            skuCode: sku.code,
            lotNumber: lot.number,
            locationKey: place.key,
            quantity: rng.int(0, 500),
            updatedAt: daysBefore(rng.int(0, 30), rng),
          });
        }
      }
    }
  }

  const orders: WorldOrder[] = [];
  const orderVendorFor = (i: number): WorldOrder['vendor'] => (i % 20 < 12 ? 'distru' : i % 20 < 17 ? 'pharus' : 'isolocity');
  const makeOrder = (vendor: WorldOrder['vendor'], lineSkus: WorldSku[]): WorldOrder => {
    const index = orders.length;
    const ageDays = rng.int(0, 365);
    const status: WorldOrderStatus =
      ageDays < 7 ? rng.pick(['draft', 'open'] as const) : ageDays < 30 ? rng.pick(['open', 'fulfilled', 'invoiced'] as const) : rng.pick(['invoiced', 'closed', 'closed', 'cancelled'] as const);
    const orderedAt = daysBefore(ageDays, rng);
    const order: WorldOrder = {
      index,
      vendor,
      key: `SO-${pad(index + 1, 6)}`,
      number: `${vendor === 'distru' ? 'D' : vendor === 'pharus' ? 'P' : 'Q'}${pad(10000 + index, 6)}`,
      customerKey: rng.pick(customers).key,
      locationKey: rng.pick(locations.slice(0, 3)).key,
      status,
      orderedAt,
      dueAt: new Date(orderedAt.getTime() + rng.int(7, 45) * DAY),
      lines: lineSkus.map((sku) => {
        const skuLots = lotsBySku.get(sku.code) ?? [];
        return {
          skuCode: sku.code,
          lotNumber: rng.pick(skuLots).number,
          quantity: rng.int(1, 48),
          unitPrice: sku.unitPrice,
        };
      }),
    };
    orders.push(order);
    return order;
  };

  // The showcase orders come first so their keys are the same at every scale; their lines use
  // SKUs that every vendor carries, so the flagship query fans out to all four vendors.
  const showcaseOf = (vendor: WorldOrder['vendor'], size: number) => makeOrder(vendor, rng.sample(skusInAll, size)).key;
  const showcase: World['showcase'] = {
    distru: { oneLine: showcaseOf('distru', 1), tenLines: showcaseOf('distru', 10), fiftyLines: showcaseOf('distru', 50), sixtyLines: showcaseOf('distru', 60) },
    pharus: { oneLine: showcaseOf('pharus', 1), tenLines: showcaseOf('pharus', 10), fiftyLines: showcaseOf('pharus', 50) },
    isolocity: { oneLine: showcaseOf('isolocity', 1), tenLines: showcaseOf('isolocity', 10), fiftyLines: showcaseOf('isolocity', 50) },
  };
  const vendorSkus = { distru: skusIn('distru'), pharus: skusIn('pharus'), isolocity: skusIn('isolocity') };
  while (orders.length < orderCount) {
    const vendor = orderVendorFor(orders.length);
    const size = rng.chance(0.02) ? rng.int(20, 60) : rng.int(1, 6);
    makeOrder(vendor, rng.sample(vendorSkus[vendor], size));
  }

  // Invoices bill Distru orders that have moved past open; some partially, a few in two parts.
  const invoices: WorldInvoice[] = [];
  for (const order of orders) {
    if (order.vendor !== 'distru' || !['fulfilled', 'invoiced', 'closed'].includes(order.status)) continue;
    const parts = order.status === 'fulfilled' ? 0 : order.lines.length > 1 && rng.chance(0.2) ? 2 : 1;
    for (let p = 0; p < parts; p++) {
      const lineIndexes = order.lines.map((_, i) => i).filter((i) => (parts === 1 ? true : i % 2 === p));
      const invoicedAt = new Date(order.orderedAt.getTime() + rng.int(1, 10) * DAY);
      invoices.push({
        index: invoices.length,
        key: `INV-${pad(invoices.length + 1, 6)}`,
        number: `INV-${pad(50000 + invoices.length, 6)}`,
        orderKey: order.key,
        status: order.status === 'closed' ? 'paid' : rng.pick(['open', 'open', 'paid'] as const),
        invoicedAt,
        dueAt: new Date(invoicedAt.getTime() + 30 * DAY),
        lines: lineIndexes.map((lineIndex) => {
          const line = order.lines[lineIndex] as WorldOrder['lines'][number];
          // An open invoice on an "invoiced" order sometimes bills less than the whole line,
          // so that some quantity stays uninvoiced for write tests.
          const quantity = order.status === 'invoiced' && rng.chance(0.3) ? Math.max(1, Math.floor(line.quantity / 2)) : line.quantity;
          return { lineIndex, quantity };
        }),
      });
    }
  }

  // Quality: inspections on lots of SKUs that have an ISOlocity part; NCRs on some lots.
  const inspections: WorldInspection[] = [];
  const ncrs: WorldNcr[] = [];
  for (const sku of skusIn('isolocity')) {
    for (const lot of lotsBySku.get(sku.code) ?? []) {
      const count = rng.int(0, 2);
      for (let i = 0; i < count; i++) {
        inspections.push({
          index: inspections.length,
          skuCode: sku.code,
          lotNumber: lot.number,
          passed: rng.chance(0.1) ? null : rng.chance(0.85),
          sampleSize: rng.int(1, 10),
          inspectedAt: new Date(lot.manufacturedAt.getTime() + rng.int(0, 5) * DAY),
        });
      }
      if (rng.chance(0.12)) {
        ncrs.push({
          index: ncrs.length,
          number: `NCR-${pad(ncrs.length + 1, 5)}`,
          skuCode: sku.code,
          lotNumber: lot.number,
          source: rng.pick(['internal', 'internal', 'customer', 'supplier'] as const),
          status: rng.chance(0.4) ? 'Open' : 'Closed',
          quantity: rng.int(1, 100),
          description: rng.pick(NCR_TEXT),
          openedAt: new Date(lot.manufacturedAt.getTime() + rng.int(1, 20) * DAY),
        });
      }
    }
  }

  return {
    options: opts,
    now: NOW,
    skus,
    locations,
    customers,
    lots,
    orders,
    invoices,
    inspections,
    ncrs,
    stock,
    showcase,
    skuByCode,
    lotsBySku,
    orderByKey: new Map(orders.map((o) => [o.key, o])),
  };
}
