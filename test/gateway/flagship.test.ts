import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startStack, type Stack } from '../support/stack.js';
import { FLAGSHIP_QUERY } from '../../src/server/flagship.js';
import { toGlobalId } from '../../src/model/global-id.js';
import { distruShowcaseOrderId } from '../../sandbox/showcase.js';
import type { World } from '../../sandbox/world/index.js';

/**
 * The flagship query's vendor calls, counted by the sandboxes themselves. Distru's 2 calls/s
 * client budget is lifted here so the test measures the query plan, not the rate limiter (the
 * resilience tests hold the budget).
 */
const httpOverrides = { DISTRU: { rateLimit: { maxCalls: 1000, windowMs: 1_000, maxQueue: 1000 } } };

interface FlagshipData {
  order: {
    number: string;
    invoices: { number: string }[];
    lines: {
      quantity: string;
      lotNumber: string;
      sku: {
        code: string;
        part: { identification: string; inspections: { lotNumber: string | null }[]; ncrs: { lotNumber: string | null }[] } | null;
        inventory: { vendor: string; onHand: string; lotNumber: string | null }[];
      };
    }[];
  };
}

let stack: Stack;
let world: World;
const orderId = (size: keyof World['showcase']['distru']) => toGlobalId('Order', 'DISTRU', distruShowcaseOrderId(world, size));

async function flagshipCalls(size: keyof World['showcase']['distru']) {
  await stack.resetStats();
  const response = await stack.gql<FlagshipData>(FLAGSHIP_QUERY, { id: orderId(size) }, { 'x-opsgraph-trace': '1' });
  expect(response.errors).toBeUndefined();
  const stats = await stack.stats();
  const byVendor = Object.fromEntries(Object.entries(stats).map(([v, s]) => [v, s.requests]));
  return { response, byVendor, total: Object.values(stats).reduce((n, s) => n + s.total, 0) };
}

beforeAll(async () => {
  stack = await startStack({ gateway: { httpOverrides } });
  world = stack.sandboxes.world;
});
afterAll(() => stack?.close());

describe('the flagship query', () => {
  it('costs a bounded number of vendor calls on a cold start: one read of each index, never one per line', async () => {
    const cold = await flagshipCalls('fiftyLines');
    // Every index is read whole once (at scale 1 each fits in the pages shown); the order, its
    // invoices and Distru stock are one call each whatever the number of lines.
    expect(cold.byVendor).toEqual({
      isolocity: { 'GET /api/v2/parts': 1, 'GET /api/v2/inventory': 2, 'GET /api/v2/inspections': 1, 'GET /api/v2/ncrs': 1 },
      pharus: { 'GET /api/skus': 1, 'GET /api/finished-goods-inventory/summary': 1, 'GET /api/locations': 1 },
      distru: { 'GET /public/v1/orders/:id': 1, 'GET /public/v1/invoices': 1, 'GET /public/v1/products': 1, 'GET /public/v1/inventory': 1, 'GET /public/v1/locations': 1 },
      hapihub: { 'GET /inventory-transactions': 1 },
    });
    expect(cold.response.extensions?.upstream).toMatchObject({ calls: 14, byVendor: { isolocity: 5, pharus: 3, distru: 5, hapihub: 1 } });
  });

  it('makes the same vendor calls for an order of 1 line and one of 50 lines once caches are warm', async () => {
    await flagshipCalls('oneLine'); // warms the one line's live stock
    const one = await flagshipCalls('oneLine');
    await flagshipCalls('fiftyLines');
    const fifty = await flagshipCalls('fiftyLines');
    const expected = { isolocity: {}, pharus: {}, distru: { 'GET /public/v1/orders/:id': 1, 'GET /public/v1/invoices': 1 }, hapihub: {} };
    expect(one.byVendor).toEqual(expected);
    expect(fifty.byVendor).toEqual(expected);
    expect(one.total).toBe(fifty.total);
  });

  it('answers every line with its SKU, part, inspections, NCRs, stock in all four vendors and the order’s invoices', async () => {
    const { response } = await flagshipCalls('fiftyLines');
    const order = response.data?.order;
    const expected = world.orderByKey.get(world.showcase.distru.fiftyLines);
    expect(order?.lines).toHaveLength(50);
    expect(order?.lines.map((l) => [l.sku.code, l.lotNumber, l.quantity])).toEqual(expected?.lines.map((l) => [l.skuCode, l.lotNumber, String(l.quantity)]));
    expect(order?.invoices.map((i) => i.number).sort()).toEqual(world.invoices.filter((i) => i.orderKey === expected?.key).map((i) => i.number).sort());
    for (const line of order?.lines ?? []) {
      // The showcase lines use SKUs every vendor carries: stock comes from all four.
      expect(new Set(line.sku.inventory.map((l) => l.vendor))).toEqual(new Set(['ISOLOCITY', 'PHARUS', 'DISTRU', 'HAPIHUB']));
      const sku = world.skuByCode.get(line.sku.code);
      expect(line.sku.part?.identification).toBe(sku?.vendorCodes.isolocity);
      const lotsInspected = world.inspections.filter((i) => i.skuCode === line.sku.code).map((i) => i.lotNumber).sort();
      expect(line.sku.part?.inspections.map((i) => i.lotNumber).sort()).toEqual(lotsInspected);
      const ncrLots = world.ncrs.filter((n) => n.skuCode === line.sku.code).map((n) => n.lotNumber).sort();
      expect(line.sku.part?.ncrs.map((n) => n.lotNumber).sort()).toEqual(ncrLots);
    }
  });

  it('joins a SKU whose code differs between vendors through the crosswalk', async () => {
    // OG-00008 is spelled OG00008 in Pharus (sandbox/world/crosswalk.ts).
    const r = await stack.gql<{ sku: { code: string; vendorRecords: { vendor: string; code: string }[]; inventory: { vendor: string }[] } }>(
      '{ sku(code: "OG00008") { code vendorRecords { vendor code } inventory { vendor } } }',
    );
    expect(r.errors).toBeUndefined();
    expect(r.data?.sku.code).toBe('OG-00008');
    expect(r.data?.sku.vendorRecords.find((v) => v.vendor === 'PHARUS')?.code).toBe('OG00008');
    expect(new Set(r.data?.sku.inventory.map((l) => l.vendor))).toContain('PHARUS');
  });
});
