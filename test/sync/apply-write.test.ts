import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Crosswalk } from '../../src/catalog/crosswalk.js';
import type { InventoryLevelRecord, OrderRecord } from '../../src/model/records.js';
import { SoleLease } from '../../src/scale/sync-lease.js';
import { openStore, type Store } from '../../src/store/index.js';
import { DEFAULT_SYNC_SETTINGS, SyncEngine } from '../../src/sync/index.js';
import { countRows, queryRows, rowsByKey } from '../../src/sync/record-store.js';
import { stockKey } from '../../src/vendors/hapihub/stock-rule.js';
import type { InventoryTransactionRecord } from '../../src/vendors/hapihub/mapping.js';
import { oneItemTransaction } from '../support/hapihub-records.js';

// Read-your-writes: what a mutation wrote is in the store at once, as the sync would store it.

let store: Store;
let engine: SyncEngine;
const NOW = Date.parse('2026-01-02T03:04:05.000Z');
beforeAll(async () => {
  store = await openStore({ dataDir: mkdtempSync(path.join(tmpdir(), 'opsgraph-ryw-')), databaseUrl: null });
  engine = new SyncEngine({ db: store.db, vendors: {}, settings: DEFAULT_SYNC_SETTINGS, context: { crosswalk: new Crosswalk() }, lease: new SoleLease(), now: () => NOW });
});
afterAll(async () => {
  await store?.close();
});

const order: OrderRecord = {
  vendor: 'DISTRU',
  vendorId: 'o-1',
  number: 'SO-0000001',
  status: 'OPEN',
  vendorStatus: 'PROCESSING',
  orderedAt: '2026-01-01T00:00:00.000Z',
  dueAt: null,
  total: '10.00',
  customerName: 'Acme',
  lines: [{ vendorId: 'l1', vendorSkuCode: 'SKU-1', productName: null, quantity: '1', unitPrice: '10', lotNumber: 'LOT-9' }],
};

function transaction(id: string, type: string, quantity: number): InventoryTransactionRecord {
  return oneItemTransaction({ id, type, sku: 'MED-1', quantity });
}

it('a written order is listed at once, filterable by its SKU and lot, and counts as updated now', async () => {
  await engine.applyWrite('DISTRU', 'orders', [order]);
  expect(await rowsByKey(store.db, 'DISTRU', 'orders', ['o-1'])).toEqual(new Map([['o-1', order]]));
  expect(await countRows(store.db, { relation: 'orders', tag: { kind: 'sku', value: 'SKU-1' } })).toBe(1);
  expect(await countRows(store.db, { relation: 'orders', tag: { kind: 'lot', value: 'LOT-9' } })).toBe(1);
  const page = await queryRows(store.db, { relation: 'orders', updatedSince: '2026-01-02T03:04:05.000000Z', orderBy: 'vendor_updated_at', direction: 'asc', first: 10 });
  expect(page.rows.map((r) => r.value)).toEqual(['2026-01-02T03:04:05.000000Z']);
});

it('a written HAPIHub transaction moves the stored stock, and writing it again (patched) replaces its share rather than adding twice', async () => {
  const level = async () => ((await rowsByKey(store.db, 'HAPIHUB', 'inventory', [stockKey('MED-1', null, 'W1')])).get(stockKey('MED-1', null, 'W1')) as InventoryLevelRecord | undefined)?.onHand;
  await engine.applyWrite('HAPIHUB', 'transactions', [transaction('t1', 'receiving', 5)]);
  expect(await level()).toBe('5');
  await engine.applyWrite('HAPIHUB', 'transactions', [transaction('t2', 'sales', 2)]);
  expect(await level()).toBe('3');
  await engine.applyWrite('HAPIHUB', 'transactions', [transaction('t1', 'receiving', 7)]);
  expect(await level()).toBe('5');
});
