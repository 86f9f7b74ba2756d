import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LoggedRequest } from '../../sandbox/core/stats.js';
import { distruId } from '../../sandbox/distru/project.js';
import type { DistruStore } from '../../sandbox/distru/store.js';
import { groupsOf } from '../../sandbox/distru/routes/inventory.js';
import { toGlobalId } from '../../src/model/global-id.js';
import { readSyncStates } from '../../src/sync/record-store.js';
import { FLAGSHIP_QUERY } from '../../src/server/flagship.js';
import { startStack, type GqlResponse, type Stack } from '../support/stack.js';

// Single-object Distru reads with a synced store, against a Distru as strict as the real one (pages
// of 25, 429 past 2 calls in any second) and Distru's real client budget (2 calls in any second):
// `order(id:)` is served from the store after ONE incremental call shared by every concurrent
// request (`GET /orders?updated_datetime=<mark>,`), instead of one call per order.

const ORDERS = '/public/v1/orders';
const INVOICES = '/public/v1/invoices';
const INVENTORY = '/public/v1/inventory';
const env = { LOG_LEVEL: 'silent', SYNC_INTERVAL_MS: '600000', DISTRU_SYNC_REREAD_MS: '600000', REQUEST_DEADLINE_MS: '30000' };
const param = (r: LoggedRequest, name: string) => new URLSearchParams(r.query).getAll(name);
const distruLog = (stack: Stack) => stack.sandboxes.handles.distru!.stats.requests();

/** The most calls the log shows inside any `windowMs` (on the sandbox's own clock). */
function busiestWindow(log: readonly LoggedRequest[], windowMs: number): number {
  const times = log.map((r) => r.at).sort((a, b) => a - b);
  let most = 0;
  for (let i = 0, j = 0; i < times.length; i++) {
    while (times[i]! - times[j]! >= windowMs) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

function errorsOf(response: GqlResponse<unknown>): string[] {
  return (response.errors ?? []).map((e) => `${e.path?.join('.')}: ${String(e.extensions?.code)} ${e.message}`);
}

const orderIdOf = (key: string) => toGlobalId('Order', 'DISTRU', distruId('order', key));

describe('order(id:) with a synced store and the default bound (DISTRU_LIVE_MAX_AGE_MS 2 s)', () => {
  let stack: Stack;
  beforeAll(async () => {
    stack = await startStack({ sandbox: { scale: 0.05, strict: true }, synced: true, realDistruBudget: true, env });
  }, 180_000);
  afterAll(async () => {
    await stack?.close();
  });

  it('answers 20 concurrent flagship queries on 20 different orders with a shared orders and invoices catch-up instead of reads by id, stock batched, never 3 Distru calls in a second', async () => {
    const distruOrders = stack.sandboxes.world.orders.filter((o) => o.vendor === 'distru');
    expect(distruOrders.length).toBeGreaterThan(21);
    const [warm, ...rest] = distruOrders;
    const burst = rest.slice(0, 20);
    // The reference indexes (products by SKU, location names) load on their first use: one query first.
    expect(errorsOf(await stack.gql(FLAGSHIP_QUERY, { id: orderIdOf(warm!.key) }))).toEqual([]);
    // Past the 2 s bound of the warm-up's catch-up (so the burst makes its own) and into a new second
    // of budget (so the burst starts with the whole window).
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    await stack.resetStats();
    const mark = (await readSyncStates(stack.gateway.runtime.store.db)).find((s) => s.vendor === 'DISTRU' && s.relation === 'orders')?.highWater;

    const responses = await Promise.all(burst.map((o) => stack.gql<{ order: { id: string; number: string; lines: unknown[] } }>(FLAGSHIP_QUERY, { id: orderIdOf(o.key) })));

    for (const [i, response] of responses.entries()) {
      expect({ i, errors: errorsOf(response) }).toEqual({ i, errors: [] });
      expect(response.data?.order.id).toBe(orderIdOf(burst[i]!.key));
      expect(response.data?.order.lines).toHaveLength(burst[i]!.lines.length);
      // Served from the store, so the answer says how fresh Distru's copy is.
      expect(response.extensions?.freshness).toMatchObject({ distru: { state: 'current', lastSyncedAt: expect.any(String) } });
    }
    const log = distruLog(stack);
    // No order is read by id: one catch-up of the orders, one of the invoices, from the store's marks
    // (a second one only when a loaded machine spreads the twenty requests over more than the 2 s bound).
    expect(log.filter((r) => r.route.startsWith('GET /public/v1/orders/'))).toEqual([]);
    const orders = log.filter((r) => r.path === ORDERS);
    expect(orders.length).toBeGreaterThanOrEqual(1);
    expect(orders.length).toBeLessThanOrEqual(2);
    expect(param(orders[0]!, 'updated_datetime')).toEqual([`${mark},`]);
    const invoices = log.filter((r) => r.path === INVOICES);
    expect(invoices.length).toBeGreaterThanOrEqual(1);
    expect(invoices.length).toBeLessThanOrEqual(2);
    for (const call of [...orders, ...invoices]) expect(param(call, 'updated_datetime')).toHaveLength(1);
    // Stock: every product of the 20 orders asked for exactly once, in as few batches as the budget
    // allows: one at a time, the first leaving with the products asked before the budget let it out,
    // the next with all asked meanwhile (100 a call). Each batch pays only the pages its rows fill
    // (25 a page; the sandbox, like an offset API, follows a full last page with an empty one).
    const inventory = log.filter((r) => r.path === INVENTORY);
    const firstPages = inventory.filter((r) => (param(r, 'page[number]')[0] ?? '1') === '1');
    const asked = firstPages.flatMap((r) => param(r, 'product_ids[]'));
    expect(new Set(asked).size).toBe(asked.length);
    const distru = stack.sandboxes.handles.distru!.store as DistruStore;
    const productsOf = (orders: typeof burst) => new Set(orders.flatMap((o) => distru.orders.get(distruId('order', o.key))?.items.map((item) => item.productId) ?? []));
    // The warm-up's products may still be cached (their stock is 2 s old): all others are asked for.
    const shown = productsOf(burst);
    const warmedUp = productsOf([warm!]);
    expect(asked.filter((id) => !shown.has(id))).toEqual([]);
    expect([...shown].filter((id) => !warmedUp.has(id) && !asked.includes(id))).toEqual([]);
    expect(firstPages.length).toBeLessThanOrEqual(Math.ceil(asked.length / 100) + 1);
    for (const first of firstPages) {
      const products = param(first, 'product_ids[]');
      const pages = inventory.filter((r) => param(r, 'product_ids[]').join() === products.join());
      const rows = products.reduce((sum, id) => sum + groupsOf(distru.inventory.get(id) ?? [], { location: true, batch: true }).length, 0);
      expect({ products: products.length, pages: pages.length }).toEqual({ products: products.length, pages: Math.floor(rows / 25) + 1 });
    }
    expect(log.filter((r) => ![ORDERS, INVOICES, INVENTORY].includes(r.path))).toEqual([]);
    // As Distru counts them: never a third call in any second.
    expect(busiestWindow(log, 1_000)).toBeLessThanOrEqual(2);
  }, 120_000);
});

describe('order(id:) catching up at every read (DISTRU_LIVE_MAX_AGE_MS 0)', () => {
  let stack: Stack;
  let distru: DistruStore;
  beforeAll(async () => {
    stack = await startStack({ sandbox: { scale: 0.05, strict: true, only: ['distru'] }, synced: true, realDistruBudget: true, env: { ...env, DISTRU_LIVE_MAX_AGE_MS: '0' } });
    distru = stack.sandboxes.handles.distru!.store as DistruStore;
  }, 180_000);
  afterAll(async () => {
    await stack?.close();
  });

  const query = 'query One($id: ID!) { order(id: $id) { id number status invoices { id } } }';

  it('shows an order changed in Distru after the sync, read by the increment and not by id', async () => {
    const order = [...distru.orders.values()].find((o) => o.status === 'PENDING' || o.status === 'PROCESSING')!;
    const before = await stack.gql<{ order: { status: string } }>(query, { id: toGlobalId('Order', 'DISTRU', order.id) });
    expect(before.data?.order.status).not.toBe('CANCELLED');
    distru.putOrder({ ...order, status: 'CANCELED', updatedAt: distru.now() });
    await stack.resetStats();

    const after = await stack.gql<{ order: { status: string } }>(query, { id: toGlobalId('Order', 'DISTRU', order.id) });

    expect(errorsOf(after)).toEqual([]);
    expect(after.data?.order.status).toBe('CANCELLED');
    const log = distruLog(stack);
    expect(log.map((r) => r.path).sort()).toEqual([INVOICES, ORDERS]);
    expect(log.every((r) => param(r, 'updated_datetime').length === 1)).toBe(true);
  });

  it('finds an order created in Distru after the sync in the store after the catch-up', async () => {
    const template = [...distru.orders.values()][0]!;
    const created = { ...template, id: '0f0e0d0c-0b0a-4908-8706-050403020100', number: 'SO-LIVE-1', insertedAt: distru.now(), updatedAt: distru.now() };
    distru.putOrder(created);
    await stack.resetStats();

    const found = await stack.gql<{ order: { id: string; number: string } }>(query, { id: toGlobalId('Order', 'DISTRU', created.id) });

    expect(errorsOf(found)).toEqual([]);
    expect(found.data?.order.number).toBe('SO-LIVE-1');
    expect(distruLog(stack).filter((r) => r.path.startsWith(`${ORDERS}/`))).toEqual([]);
  });

  it('reads an order the increment does not return by id, as without a store', async () => {
    // Listed with an update time before the store's mark (a vendor clock behind ours): not in any increment.
    const template = [...distru.orders.values()][1]!;
    const hidden = { ...template, id: '1f1e1d1c-1b1a-4918-8716-151413121110', number: 'SO-LIVE-2', insertedAt: 0, updatedAt: 0 };
    distru.putOrder(hidden);
    await stack.resetStats();

    const found = await stack.gql<{ order: { number: string } }>(query, { id: toGlobalId('Order', 'DISTRU', hidden.id) });

    expect(errorsOf(found)).toEqual([]);
    expect(found.data?.order.number).toBe('SO-LIVE-2');
    expect(distruLog(stack).filter((r) => r.path === `${ORDERS}/${hidden.id}`)).toHaveLength(1);
  });

  it('answers an unknown order NOT_FOUND after the catch-up and one read by id', async () => {
    await stack.resetStats();
    const missing = await stack.gql<{ order: null }>(query, { id: toGlobalId('Order', 'DISTRU', '2f2e2d2c-2b2a-4928-8726-252423222120') });
    expect(missing.errors?.map((e) => e.extensions?.code)).toEqual(['NOT_FOUND']);
    expect(distruLog(stack).map((r) => r.path)).toEqual([ORDERS, `${ORDERS}/2f2e2d2c-2b2a-4928-8726-252423222120`]);
  });
});

describe('live stock kept fresh in the background (LIVE_STOCK_REFRESH_WINDOW_MS)', () => {
  let stack: Stack;
  beforeAll(async () => {
    // A 1 s bound: the refresher re-reads what was asked once it is half a second old.
    stack = await startStack({ sandbox: { scale: 0.05, strict: true, only: ['distru'] }, realDistruBudget: true, stockRefresh: true, env: { ...env, LIVE_STOCK_MAX_AGE_MS: '1000' } });
  }, 180_000);
  afterAll(async () => {
    await stack?.close();
  });

  it('serves a product asked for recently with 0 interactive Distru calls after its first read would have expired, re-reading it in one background call', async () => {
    const distru = stack.sandboxes.handles.distru!.store as DistruStore;
    const products = [...distru.products.values()].filter((p) => p.sku && (distru.inventory.get(p.id)?.length ?? 0) > 0).slice(0, 3);
    const query = `{ inventoryLevels(skuCodes: ${JSON.stringify(products.map((p) => p.sku))}, vendors: [DISTRU]) { vendor onHand available lotNumber location { name } } }`;
    type Levels = { inventoryLevels: unknown[] };
    const first = await stack.gql<Levels>(query, {}, { 'x-opsgraph-trace': '1' });
    expect(errorsOf(first)).toEqual([]);
    expect(first.data?.inventoryLevels.length).toBeGreaterThan(0);
    const readAt = Date.now();
    // Until the refresher has read the products again after their first read's bound ran out.
    for (let waited = 0; !distruLog(stack).some((r) => r.path === INVENTORY && r.at > readAt + 1_000); waited += 50) {
      if (waited > 20_000) throw new Error('no background stock refresh within 20 s');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }

    const again = await stack.gql<Levels>(query, {}, { 'x-opsgraph-trace': '1' });

    expect(errorsOf(again)).toEqual([]);
    expect(again.data?.inventoryLevels).toEqual(first.data?.inventoryLevels);
    // Nothing read for this request: the stock was fresh, the products index too.
    expect((again.extensions?.upstream as { byVendor: Record<string, number> }).byVendor.distru ?? 0).toBe(0);
    // Every stock read, the request's and the refresher's, asked for the three products together.
    const stockReads = distruLog(stack).filter((r) => r.path === INVENTORY);
    expect(stockReads.length).toBeGreaterThanOrEqual(2);
    for (const read of stockReads) expect(param(read, 'product_ids[]').sort()).toEqual(products.map((p) => p.id).sort());
    expect(busiestWindow(distruLog(stack), 1_000)).toBeLessThanOrEqual(2);
  }, 60_000);
});
