import { afterAll, beforeAll, expect, it } from 'vitest';
import type { LoggedRequest } from '../../sandbox/core/stats.js';
import type { PharusStore } from '../../sandbox/pharus/store.js';
import type { HapihubStore } from '../../sandbox/hapihub/store.js';
import type { InventoryLevelRecord, OrderRecord } from '../../src/model/records.js';
import { countRows, queryRows, rowsByKey, type RowQuery } from '../../src/sync/record-store.js';
import { toFoldable, toLevelRecord, type InventoryTransactionRecord } from '../../src/vendors/hapihub/mapping.js';
import { StockFold } from '../../src/vendors/hapihub/stock-fold.js';
import { stockKey } from '../../src/vendors/hapihub/stock-rule.js';
import { startStack, type Stack } from '../support/stack.js';

// ISOlocity, Pharus and HAPIHub synced against their sandboxes, counting every call: the first
// pass reads each list's pages once; later passes read what changed (HAPIHub: one `createdAt[$gte]`
// call; Pharus: its list pages plus one detail per changed order only).

let stack: Stack;
const log = (vendor: 'isolocity' | 'pharus' | 'hapihub'): readonly LoggedRequest[] => stack.sandboxes.handles[vendor]!.stats.requests();
const routes = (requests: readonly LoggedRequest[]) => requests.map((r) => `${r.method} ${r.route}`);

async function until(what: string, ok: () => boolean, withinMs = 25_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Asks for a HAPIHub transactions pass and waits for it. */
async function transactionsPass(): Promise<void> {
  const sync = stack.gateway.runtime.sync;
  const read = sync.state('HAPIHUB', 'transactions').lastSyncedAt;
  sync.requestPass('HAPIHUB', 'transactions');
  await until('the transactions pass', () => sync.state('HAPIHUB', 'transactions').lastSyncedAt !== read);
}

/** Creates a transaction at the HAPIHub sandbox, as another HAPIHub client would. */
async function createTransaction(body: object): Promise<void> {
  const handle = stack.sandboxes.handles.hapihub!;
  const created = await fetch(`${handle.url}/inventory-transactions`, { method: 'POST', headers: { authorization: `Bearer ${handle.credentials.token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(created.status).toBeLessThan(300);
}

/** Every stored HAPIHub record of a relation, in sort order. */
async function allRows(relation: 'transactions' | 'inventory'): Promise<unknown[]> {
  const rows: unknown[] = [];
  let after: RowQuery['after'] = null;
  for (;;) {
    const page = await queryRows(stack.gateway.runtime.store.db, { relation, vendors: ['HAPIHUB'], orderBy: 'sort_at', direction: 'asc', first: 500, after });
    rows.push(...page.rows.map((r) => r.data));
    const last = page.rows.at(-1);
    if (!page.hasNext || !last) return rows;
    after = { value: last.value, vendor: last.vendor, key: last.key };
  }
}

function levelFields(level: InventoryLevelRecord): Pick<InventoryLevelRecord, 'onHand' | 'expiresAt' | 'updatedAt'> {
  return { onHand: level.onHand, expiresAt: level.expiresAt ?? null, updatedAt: level.updatedAt };
}

beforeAll(async () => {
  stack = await startStack({ sandbox: { scale: 0.02 }, unconfigured: ['DISTRU'], env: { SYNC: 'on', SYNC_INTERVAL_MS: '600000', ISOLOCITY_SYNC_REREAD_MS: '600000', PHARUS_SYNC_REREAD_MS: '600000', HAPIHUB_SYNC_REREAD_MS: '600000' } });
  await until('the initial sync', () => stack.gateway.runtime.sync.initialSyncDone());
});
afterAll(async () => {
  await stack?.close();
});

it('the first pass reads every list page once (Pharus: one detail per order) and stores every record', async () => {
  const db = stack.gateway.runtime.store.db;
  const iso = routes(log('isolocity'));
  // Fewer than 200 rows each: one page per list.
  expect(iso.sort()).toEqual(['GET /api/v2/customers', 'GET /api/v2/inspections', 'GET /api/v2/ncrs', 'GET /api/v2/orders', 'GET /api/v2/parts']);
  const pharusOrders = (stack.sandboxes.handles.pharus!.store as PharusStore).salesOrders.size;
  const pharus = routes(log('pharus'));
  expect(pharus.filter((r) => r === 'GET /api/sales-orders/:id')).toHaveLength(pharusOrders);
  // Locations and order channels are bounded lists (one call each): the runtime's lookups read them from the store.
  expect(pharus.filter((r) => r !== 'GET /api/sales-orders/:id').sort()).toEqual(['GET /api/customers', 'GET /api/locations', 'GET /api/order-channels', 'GET /api/sales-orders', 'GET /api/skus']);
  expect(await countRows(db, { relation: 'locations', vendors: ['PHARUS'] })).toBe((stack.sandboxes.handles.pharus!.store as PharusStore).locations.size);
  expect(await countRows(db, { relation: 'orders', vendors: ['PHARUS'] })).toBe(pharusOrders);
  expect(routes(log('hapihub'))).toEqual(['GET /inventory-transactions']);
  expect(await countRows(db, { relation: 'transactions', vendors: ['HAPIHUB'] })).toBe((stack.sandboxes.handles.hapihub!.store as HapihubStore).all().length);
  // Pharus order lines carry their SKU codes from the stored SKUs.
  const page = await queryRows(db, { relation: 'orders', vendors: ['PHARUS'], orderBy: 'sort_at', direction: 'desc', first: 5 });
  expect(page.rows.every((r) => (r.data as OrderRecord).lines.every((l) => l.vendorSkuCode !== null))).toBe(true);
});

it('after two Pharus orders change, a pass reads the list and exactly those two details', async () => {
  const orders = (stack.sandboxes.handles.pharus!.store as PharusStore).salesOrders.all().slice(0, 2);
  for (const order of orders) order.updatedAt = new Date(Date.now() + 60_000);
  stack.sandboxes.handles.pharus!.stats.reset();
  const sync = stack.gateway.runtime.sync;
  const before = sync.state('PHARUS', 'orders').lastSyncedAt;
  sync.requestPass('PHARUS', 'orders');
  await until('the Pharus orders pass', () => sync.state('PHARUS', 'orders').lastSyncedAt !== before);
  const requests = log('pharus');
  expect(routes(requests).sort()).toEqual(['GET /api/sales-orders', 'GET /api/sales-orders/:id', 'GET /api/sales-orders/:id']);
  expect(requests.filter((r) => r.route === '/api/sales-orders/:id').map((r) => r.path.split('/').at(-1)).sort()).toEqual(orders.map((o) => o.id).sort());
});

it('a transaction created at HAPIHub is read by one createdAt[$gte] call, and the stored stock moves with it', async () => {
  const db = stack.gateway.runtime.store.db;
  const sample = (await queryRows(db, { relation: 'transactions', vendors: ['HAPIHUB'], orderBy: 'sort_at', direction: 'desc', first: 1 })).rows[0]!.data as InventoryTransactionRecord;
  const item = sample.items.find((i) => i.vendorSkuCode)!;
  const warehouse = sample.warehouseId ?? sample.destinationWarehouseId!;
  const key = stockKey(item.vendorSkuCode!, null, warehouse);
  const onHand = async () => ((await rowsByKey(db, 'HAPIHUB', 'inventory', [key])).get(key) as InventoryLevelRecord | undefined)?.onHand ?? '0';
  const before = Number(await onHand());
  const handle = stack.sandboxes.handles.hapihub!;
  const created = await fetch(`${handle.url}/inventory-transactions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${handle.credentials.token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ type: 'adjustment', warehouse, items: [{ sku: item.vendorSkuCode, adjustment: 4 }] }),
  });
  expect(created.status).toBeLessThan(300);
  handle.stats.reset();
  const sync = stack.gateway.runtime.sync;
  const folded = sync.state('HAPIHUB', 'inventory').lastSyncedAt;
  await transactionsPass();
  const requests = log('hapihub');
  expect(routes(requests)).toEqual(['GET /inventory-transactions']);
  expect(new URLSearchParams(requests[0]!.query).get('createdAt[$gte]')).toMatch(/^\d+$/);
  expect(Number(await onHand())).toBe(before + 4);
  // The pass moved the level it touched; the stock was not folded again from every transaction.
  expect(sync.state('HAPIHUB', 'inventory').lastSyncedAt).toBe(folded);
});

it('transactions read by increments keep the stored stock equal to a fold of every stored transaction, lot expiries included', async () => {
  const db = stack.gateway.runtime.store.db;
  const stored = (await allRows('transactions')) as InventoryTransactionRecord[];
  const [a, b] = [...new Set(stored.flatMap((t) => (t.warehouseId ? [t.warehouseId] : [])))];
  const sku = stored.flatMap((t) => t.items).find((i) => i.vendorSkuCode)?.vendorSkuCode;
  if (!a || !b || !sku) throw new Error('the sandbox holds no two warehouses and a SKU');
  const [first, later] = [Date.UTC(2031, 0, 1), Date.UTC(2032, 0, 1)];
  // A lot received with its expiry, moved to a second warehouse (a new level, no expiry stated),
  // then received again with a later expiry: each read by its own increment.
  await createTransaction({ type: 'receiving', warehouse: a, items: [{ sku, control: 'LOT-MOVES', quantity: 5, expiresAt: first }] });
  await transactionsPass();
  await createTransaction({ type: 'transfer', warehouse: a, source: a, destination: b, items: [{ sku, control: 'LOT-MOVES', quantity: 2 }] });
  await transactionsPass();
  const level = async (warehouse: string) => (await rowsByKey(db, 'HAPIHUB', 'inventory', [stockKey(sku, 'LOT-MOVES', warehouse)])).get(stockKey(sku, 'LOT-MOVES', warehouse)) as InventoryLevelRecord | undefined;
  expect(await level(b)).toMatchObject({ onHand: '2', expiresAt: new Date(first).toISOString() });
  await createTransaction({ type: 'receiving', warehouse: a, items: [{ sku, control: 'LOT-MOVES', quantity: 1, expiresAt: later }] });
  await transactionsPass();
  expect(await level(a)).toMatchObject({ onHand: '4', expiresAt: new Date(later).toISOString() });
  expect(await level(b)).toMatchObject({ onHand: '2', expiresAt: new Date(later).toISOString() });

  const fold = new StockFold();
  for (const transaction of (await allRows('transactions')) as InventoryTransactionRecord[]) fold.apply(toFoldable(transaction));
  const asFolded = new Map(fold.allLevels().map((l) => [stockKey(l.sku, l.control, l.warehouse), levelFields(toLevelRecord(l))]));
  const asStored = new Map(((await allRows('inventory')) as InventoryLevelRecord[]).map((l) => [stockKey(l.vendorSkuCode ?? '', l.lotNumber, l.location?.id ?? ''), levelFields(l)]));
  expect(asStored.size).toBe(asFolded.size);
  expect(asStored).toEqual(asFolded);
});

it('an increment that finds only the transactions already stored (those at its mark) writes no stock', async () => {
  const db = stack.gateway.runtime.store.db;
  const sync = stack.gateway.runtime.sync;
  const lastStockWrite = async () => Number((await db.selectFrom('synced_record').select((eb) => eb.fn.max('synced_at').as('at')).where('vendor', '=', 'HAPIHUB').where('relation', '=', 'inventory').executeTakeFirst())?.at ?? 0);
  const folded = sync.state('HAPIHUB', 'inventory').lastSyncedAt;
  const written = await lastStockWrite();
  stack.sandboxes.handles.hapihub!.stats.reset();
  await transactionsPass();
  // It read the records at its mark again (createdAt[$gte] is inclusive)...
  expect(routes(log('hapihub'))).toEqual(['GET /inventory-transactions']);
  // ...and, nothing having changed, no level was written again and the stock was not folded again.
  await new Promise((resolve) => setTimeout(resolve, 300));
  expect(await lastStockWrite()).toBe(written);
  expect(sync.state('HAPIHUB', 'inventory').lastSyncedAt).toBe(folded);
});
