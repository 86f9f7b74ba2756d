import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FLAGSHIP_QUERY } from '../../src/server/flagship.js';
import { toGlobalId } from '../../src/model/global-id.js';
import { distruShowcaseOrderId } from '../../sandbox/showcase.js';
import { warehouseIdOf } from '../../sandbox/hapihub/index.js';
import type { IsolocityStore } from '../../sandbox/isolocity/store.js';
import { startStack, type Stack } from '../support/stack.js';

/**
 * With SYNC=on the vendor runtimes' cross-request lookups (parts by identification, inspections and
 * NCRs of a part, Pharus SKUs, locations and channels, Distru products by SKU code, HAPIHub stock)
 * are answered from the synced store: once the first pass has completed, no vendor list is read
 * again by a request. Only what is read live by design remains: the order by id and live stock
 * (Distru inventory, ISOlocity inventory, Pharus finished-goods summary).
 */

let stack: Stack;
beforeAll(async () => {
  // DISTRU_LIVE_MAX_AGE_MS=0: every order(id:) catches the store up, so the flagship's Distru calls do
  // not depend on how long ago the first pass ended (under the default 2 s, a fast machine makes none).
  stack = await startStack({ sandbox: { scale: 0.2 }, synced: true, env: { DISTRU_LIVE_MAX_AGE_MS: '0' } });
});
afterAll(() => stack?.close());

/**
 * Every list the sync reads: none of them may be read by a request once synced. (Distru orders and
 * invoices are read by `order(id:)`, live by design: a catch-up of the store's copy with their own
 * `updated_datetime=<mark>,` increment, src/sync/catch-up.ts — checked below to be exactly that.)
 */
const SYNCED_LISTS = new Set([
  'GET /api/v2/parts',
  'GET /api/v2/customers',
  'GET /api/v2/inspections',
  'GET /api/v2/ncrs',
  'GET /api/v2/orders',
  'GET /api/skus',
  'GET /api/customers',
  'GET /api/locations',
  'GET /api/order-channels',
  'GET /api/sales-orders',
  'GET /public/v1/products',
  'GET /public/v1/locations',
  'GET /public/v1/companies',
  'GET /public/v1/batches',
  'GET /public/v1/purchases',
  'GET /inventory-transactions',
]);

async function measured<T>(fn: () => Promise<T>): Promise<[T, Record<string, Record<string, number>>]> {
  // The background sync must not be counted as the request's: keep it quiet while measuring.
  await stack.gateway.runtime.sync.stop();
  // Whatever a runtime keeps in memory is dropped: an answer must come from the store, not from an earlier read.
  for (const runtime of Object.values(stack.gateway.runtime.vendors)) runtime.invalidateAll();
  await stack.resetStats();
  const result = await fn();
  const stats = await stack.stats();
  return [result, Object.fromEntries(Object.entries(stats).map(([vendor, s]) => [vendor, s.requests]))];
}

const listCalls = (calls: Record<string, Record<string, number>>) =>
  Object.entries(calls).flatMap(([vendor, requests]) => Object.entries(requests).flatMap(([route, n]) => (SYNCED_LISTS.has(route) ? [`${vendor} ${route} ×${n}`] : [])));

describe('cross-request lookups from the synced store', () => {
  it('answers the flagship query with no vendor list read: the order and live stock only', async () => {
    const id = toGlobalId('Order', 'DISTRU', distruShowcaseOrderId(stack.sandboxes.world, 'fiftyLines'));
    const since = Date.now();
    const [response, calls] = await measured(() => stack.gql<{ order: { lines: { sku: { part: { inspections: unknown[] } | null; inventory: { vendor: string }[] } }[] } }>(FLAGSHIP_QUERY, { id }));
    expect(response.errors).toBeUndefined();
    expect(listCalls(calls)).toEqual([]);
    const catchUps = stack.sandboxes.handles.distru!.stats.requests().filter((r) => r.at >= since && (r.route === '/public/v1/orders' || r.route === '/public/v1/invoices'));
    expect(catchUps.every((r) => new URLSearchParams(r.query).has('updated_datetime'))).toBe(true);
    expect(calls).toEqual({
      distru: { 'GET /public/v1/orders': 1, 'GET /public/v1/invoices': 1, 'GET /public/v1/inventory': 1 },
      isolocity: { 'GET /api/v2/inventory': expect.any(Number) },
      pharus: { 'GET /api/finished-goods-inventory/summary': 1 },
      hapihub: {},
    });
    const lines = response.data!.order.lines;
    expect(lines.some((l) => (l.sku.part?.inspections.length ?? 0) > 0)).toBe(true);
    // Stock from all four systems, HAPIHub's folded from the stored transactions.
    expect(new Set(lines.flatMap((l) => l.sku.inventory.map((i) => i.vendor)))).toEqual(new Set(['DISTRU', 'PHARUS', 'ISOLOCITY', 'HAPIHUB']));
    expect(response.extensions?.freshness).toMatchObject({ isolocity: { state: 'current' }, pharus: { state: 'current' }, distru: { state: 'current' }, hapihub: { state: 'current' } });
  });

  it('finds each vendor’s product by SKU code, and a part’s inspections and NCRs, with 0 vendor calls', async () => {
    const world = stack.sandboxes.world;
    const codes = {
      DISTRU: world.skus.find((s) => s.vendorCodes.distru)!.code,
      PHARUS: world.skus.find((s) => s.vendorCodes.pharus)!.code,
      ISOLOCITY: world.skus.find((s) => s.vendorCodes.isolocity)!.code,
    };
    for (const [vendor, code] of Object.entries(codes)) {
      const [response, calls] = await measured(() => stack.gql<{ sku: { code: string } | null }>(`query($code: String!) { sku(code: $code) { code part { identification inspections { id } ncrs { id } } } }`, { code }));
      expect(response.errors, vendor).toBeUndefined();
      expect(response.data?.sku?.code, vendor).toBe(code);
      expect(Object.values(calls).reduce((n, r) => n + Object.values(r).reduce((a, b) => a + b, 0), 0), vendor).toBe(0);
    }
  });

  it('reads HAPIHub stock from the store, and a stock write is read back at once with no list read', async () => {
    const world = stack.sandboxes.world;
    const row = world.stock.find((s) => s.vendor === 'hapihub' && s.locationKey === 'LOC-1' && s.quantity > 20)!;
    const STOCK = `query($code: String!) { sku(code: $code) { inventory(vendors: [HAPIHUB]) { location { id } lotNumber onHand } } }`;
    type Stock = { sku: { inventory: { location: { id: string } | null; lotNumber: string | null; onHand: string }[] } };
    const at = (r: { data: Stock | null }) => r.data?.sku.inventory.find((l) => l.location?.id === warehouseIdOf('LOC-1') && l.lotNumber === row.lotNumber)?.onHand;

    const [before, readCalls] = await measured(() => stack.gql<Stock>(STOCK, { code: row.skuCode }));
    expect(before.errors).toBeUndefined();
    expect(readCalls.hapihub).toEqual({});
    const onHand = Number(at(before));

    const [written, writeCalls] = await measured(() =>
      stack.gql(`mutation($input: CreateInventoryTransactionInput!) { createInventoryTransaction(input: $input) { levels { location { id } lotNumber onHand } } }`, {
        input: { type: 'SALES', warehouseId: warehouseIdOf('LOC-1'), reason: 'store lookups test', items: [{ skuCode: row.skuCode, lotNumber: row.lotNumber, quantity: '3' }] },
      }),
    );
    expect(written.errors).toBeUndefined();
    // The write itself, and nothing read back from HAPIHub: the store moved the stock.
    expect(writeCalls.hapihub).toEqual({ 'POST /inventory-transactions': 1 });

    const [after, afterCalls] = await measured(() => stack.gql<Stock>(STOCK, { code: row.skuCode }));
    expect(Number(at(after))).toBe(onHand - 3);
    expect(afterCalls.hapihub).toEqual({});
  });

  it('shows an NCR raised through opsgraph on its part at once, with no ISOlocity list read', async () => {
    const store = stack.sandboxes.handles.isolocity?.store as IsolocityStore;
    const sku = stack.sandboxes.world.skus.find((s) => s.vendorCodes.isolocity === s.code)!;
    const partId = toGlobalId('Part', 'ISOLOCITY', String(store.partIdBySkuCode.get(sku.code)));
    const number = `NCR-SL-${Date.now().toString(36)}`;
    const created = await stack.gql(`mutation($input: CreateNcrInput!) { createNcr(input: $input) { ncr { number } } }`, { input: { number, source: 'INTERNAL', partId, lotNumber: 'LOT-SL-1', quantity: 1, description: 'store lookups' } });
    expect(created.errors).toBeUndefined();

    const [read, calls] = await measured(() => stack.gql<{ part: { ncrs: { number: string }[] } }>(`query($id: ID!) { part(id: $id) { ncrs { number } } }`, { id: partId }));
    expect(read.errors).toBeUndefined();
    expect(read.data?.part.ncrs.map((n) => n.number)).toContain(number);
    expect(calls.isolocity).toEqual({});
  });
});
