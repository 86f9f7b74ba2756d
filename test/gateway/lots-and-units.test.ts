import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toGlobalId } from '../../src/model/global-id.js';
import { warehouseIdOf } from '../../sandbox/hapihub/index.js';
import type { HapihubStore } from '../../sandbox/hapihub/store.js';
import type { World } from '../../sandbox/world/index.js';
import { readFromSandbox, type ReadableVendor } from '../support/sandbox-read.js';
import { startStack, type Stack } from '../support/stack.js';

/**
 * Lot expiry and units of measure on the unified types (issue 13, "fields dropped from the unified
 * types"), read through GraphQL against the sandboxes and compared with what each vendor itself
 * answers for the same record (read straight from the sandbox's HTTP API).
 */
type Json = Record<string, unknown>;
interface Level {
  vendor: string;
  lotNumber: string | null;
  expiresAt: string | null;
  unitOfMeasure: string | null;
}

let stack: Stack;
let world: World;

const vendorGet = (vendor: ReadableVendor, path: string): Promise<Json> => readFromSandbox(stack, vendor, path);

/** Every Distru product's unit name by its SKU code, as Distru lists them. */
async function distruUnits(): Promise<Map<string, string | null>> {
  const products = (await vendorGet('distru', '/public/v1/products?page[size]=500')).data as Json[];
  return new Map(products.map((p) => [p.sku as string, ((p.unit_type as Json | null)?.name as string | undefined) ?? null]));
}

/** Every ISOlocity part's unit by its id, as ISOlocity lists them. */
async function isolocityUnits(): Promise<Map<string, string | null>> {
  const parts = (await vendorGet('isolocity', '/parts?per_page=200')).data as Json[];
  return new Map(parts.map((p) => [String(p.id), (p.unit_of_measure as string | null) ?? null]));
}

/** A SKU that ISOlocity, Distru and HAPIHub all carry, with HAPIHub stock of one lot. */
function skuInEveryStockVendor() {
  const row = world.stock.find((s) => {
    const codes = world.skuByCode.get(s.skuCode)?.vendorCodes;
    return s.vendor === 'hapihub' && codes?.isolocity !== undefined && codes.distru !== undefined;
  });
  expect(row, 'a world SKU held by ISOlocity, Distru and HAPIHub').toBeDefined();
  const sku = world.skuByCode.get(row!.skuCode)!;
  const lot = world.lots.find((l) => l.number === row!.lotNumber)!;
  return { sku, lot };
}

// Both ways a gateway reads: from the vendors (SYNC=off) and from the synced store (SYNC=on, the default).
describe.each([
  ['the vendors (SYNC=off)', false],
  ['the synced store (SYNC=on)', true],
])('read from %s', (_way, synced) => {
  beforeAll(async () => {
    stack = await startStack({ sandbox: { scale: 0.2 }, synced });
    world = stack.sandboxes.world;
  });
  afterAll(async () => {
    await stack?.close();
  });

  describe('lot expiry', () => {
    it('shows a HAPIHub level’s lot expiry from its transactions’ items.expiresAt, and null where a vendor does not say', async () => {
      const { sku, lot } = skuInEveryStockVendor();
      const r = await stack.gql<{ sku: { inventory: Level[] } }>(`query($code: String!) { sku(code: $code) { inventory { vendor lotNumber expiresAt unitOfMeasure } } }`, { code: sku.code });
      expect(r.errors).toBeUndefined();
      const levels = r.data!.sku.inventory;
      const ofLot = levels.filter((l) => l.vendor === 'HAPIHUB' && l.lotNumber === lot.number);
      expect(ofLot.length).toBeGreaterThan(0);
      for (const level of ofLot) expect(level.expiresAt).toBe(lot.expiresAt.toISOString());
      // ISOlocity, Distru and Pharus state no expiry on their stock.
      const others = levels.filter((l) => l.vendor !== 'HAPIHUB');
      expect(others.length).toBeGreaterThan(0);
      for (const level of others) expect(level.expiresAt).toBeNull();
    });

    it('records a lot’s expiry with a HAPIHub transaction, echoes it on the item and shows it on the new lot’s level', async () => {
      const { sku } = skuInEveryStockVendor();
      const expiresAt = '2031-05-01T00:00:00.000Z';
      const lotNumber = `LOT-EXP-${Date.now()}`;
      const r = await stack.gql<{ createInventoryTransaction: { transaction: { items: { lotNumber: string; expiresAt: string | null }[] }; levels: Level[] } }>(
        `mutation($input: CreateInventoryTransactionInput!) { createInventoryTransaction(input: $input) { transaction { items { lotNumber expiresAt } } levels { vendor lotNumber expiresAt unitOfMeasure } } }`,
        { input: { type: 'RECEIVING', warehouseId: warehouseIdOf('LOC-1'), items: [{ skuCode: sku.code, lotNumber, quantity: '3', expiresAt }] } },
      );
      expect(r.errors).toBeUndefined();
      expect(r.data!.createInventoryTransaction.transaction.items).toEqual([{ lotNumber, expiresAt }]);
      expect(r.data!.createInventoryTransaction.levels.filter((l) => l.lotNumber === lotNumber)).toEqual([{ vendor: 'HAPIHUB', lotNumber, expiresAt, unitOfMeasure: null }]);
      // The vendor holds what was sent (epoch ms, document 003).
      const store = stack.sandboxes.handles.hapihub!.store as HapihubStore;
      const written = store.all().flatMap((t) => t.items ?? []).find((i) => i.control === lotNumber);
      expect(written?.expiresAt).toBe(Date.parse(expiresAt));
    });
  });

  describe('Lot.expiresAt', () => {
    it('gives a lot reached from a Distru batch the expiry HAPIHub states for it, and null for a lot HAPIHub never held', async () => {
      const heldByHapihub = new Set(world.stock.filter((s) => s.vendor === 'hapihub').map((s) => s.lotNumber));
      const r = await stack.gql<{ distru: { batches: { nodes: { name: string; lot: { number: string; expiresAt: string | null } | null }[] } } }>(
        `{ distru { batches(first: 200) { nodes { name lot { number expiresAt } } } } }`,
      );
      expect(r.errors).toBeUndefined();
      const lots = r.data!.distru.batches.nodes.flatMap((b) => (b.lot ? [b.lot] : []));
      const held = lots.filter((l) => heldByHapihub.has(l.number));
      const notHeld = lots.filter((l) => !heldByHapihub.has(l.number));
      expect(held.length).toBeGreaterThan(0);
      expect(notHeld.length).toBeGreaterThan(0);
      for (const lot of held) expect(lot.expiresAt, lot.number).toBe(world.lots.find((l) => l.number === lot.number)!.expiresAt.toISOString());
      for (const lot of notHeld) expect(lot.expiresAt, lot.number).toBeNull();
    });
  });

  describe('units of measure', () => {
    it('names each vendor’s unit on its SKU record and its stock: ISOlocity’s part, Distru’s product unit type, none for Pharus and HAPIHub', async () => {
      const { sku } = skuInEveryStockVendor();
      const [distru, isolocity] = await Promise.all([distruUnits(), isolocityUnits()]);
      const r = await stack.gql<{ sku: { unitOfMeasure: string | null; vendorRecords: { vendor: string; vendorId: string; unitOfMeasure: string | null }[]; inventory: Level[] } }>(
        `query($code: String!) { sku(code: $code) { unitOfMeasure vendorRecords { vendor vendorId unitOfMeasure } inventory { vendor unitOfMeasure } } }`,
        { code: sku.code },
      );
      expect(r.errors).toBeUndefined();
      const { vendorRecords, inventory } = r.data!.sku;
      const expected = (vendor: string, vendorId: string): string | null => {
        if (vendor === 'ISOLOCITY') return isolocity.get(vendorId) ?? null;
        if (vendor === 'DISTRU') return distru.get(sku.vendorCodes.distru!) ?? null;
        return null;
      };
      expect(vendorRecords.map((v) => v.vendor).sort()).toEqual(expect.arrayContaining(['DISTRU', 'HAPIHUB', 'ISOLOCITY']));
      for (const record of vendorRecords) expect(record.unitOfMeasure, record.vendor).toBe(expected(record.vendor, record.vendorId));
      const isolocityUnit = vendorRecords.find((v) => v.vendor === 'ISOLOCITY')!.unitOfMeasure;
      const distruUnit = distru.get(sku.vendorCodes.distru!);
      expect(isolocityUnit).toBeTruthy();
      expect(distruUnit).toBeTruthy();
      // The SKU's unit: the first vendor (in vendorRecords order) that names one.
      expect(r.data!.sku.unitOfMeasure).toBe(vendorRecords.find((v) => v.unitOfMeasure !== null)!.unitOfMeasure);
      const unitOf = { ISOLOCITY: isolocityUnit, DISTRU: distruUnit, PHARUS: null, HAPIHUB: null } as Record<string, string | null | undefined>;
      for (const vendor of ['ISOLOCITY', 'DISTRU', 'HAPIHUB']) expect(inventory.some((l) => l.vendor === vendor), vendor).toBe(true);
      for (const level of inventory) expect(level.unitOfMeasure, level.vendor).toBe(unitOf[level.vendor]);
    });

    it('gives order lines the unit their vendor counts the product in', async () => {
      const [distru, isolocity] = await Promise.all([distruUnits(), isolocityUnits()]);
      const distruOrder = ((await vendorGet('distru', '/public/v1/orders?page[size]=20')).data as Json[]).find((o) => (o.items as Json[]).length > 1)!;
      const isolocityOrder = ((await vendorGet('isolocity', '/orders?per_page=20')).data as Json[]).find((o) => (o.items as Json[]).length > 1)!;
      const pharusOrder = ((await vendorGet('pharus', '/sales-orders?limit=1')).data as Json[])[0]!;
      const query = `query($id: ID!) { order(id: $id) { lines { vendorSkuCode unitOfMeasure } } }`;
      const lines = async (vendor: 'DISTRU' | 'ISOLOCITY' | 'PHARUS', id: unknown) => {
        const r = await stack.gql<{ order: { lines: { vendorSkuCode: string | null; unitOfMeasure: string | null }[] } }>(query, { id: toGlobalId('Order', vendor, String(id)) });
        expect(r.errors).toBeUndefined();
        return r.data!.order.lines;
      };
      const distruLines = await lines('DISTRU', distruOrder.id);
      expect(distruLines.map((l) => l.unitOfMeasure)).toEqual((distruOrder.items as Json[]).map((i) => distru.get((i.product as Json).sku as string) ?? null));
      expect(distruLines.every((l) => l.unitOfMeasure !== null)).toBe(true);
      const isolocityLines = await lines('ISOLOCITY', isolocityOrder.id);
      expect(isolocityLines.map((l) => l.unitOfMeasure)).toEqual((isolocityOrder.items as Json[]).map((i) => isolocity.get(String(i.part_id)) ?? null));
      expect(isolocityLines.every((l) => l.unitOfMeasure !== null)).toBe(true);
      const pharusLines = await lines('PHARUS', pharusOrder.id);
      expect(pharusLines.length).toBeGreaterThan(0);
      for (const line of pharusLines) expect(line.unitOfMeasure).toBeNull();
    });
  });
});
