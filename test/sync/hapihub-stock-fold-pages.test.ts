import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Crosswalk } from '../../src/catalog/crosswalk.js';
import type { VendorHttp } from '../../src/http/vendor-http.js';
import type { InventoryLevelRecord } from '../../src/model/records.js';
import { openStore, type Store } from '../../src/store/index.js';
import { upsertRows } from '../../src/sync/record-store.js';
import type { PassContext, RelationSpec } from '../../src/sync/relation.js';
import { hapihubRelations } from '../../src/sync/relations/hapihub.js';
import { transactionRow } from '../../src/sync/rows.js';
import type { InventoryTransactionRecord } from '../../src/vendors/hapihub/mapping.js';
import { oneItemTransaction } from '../support/hapihub-records.js';

// HAPIHub's stock folded whole from the stored transactions is written a page of levels at a time:
// at scale 100 (33,000 levels) every level's row at once held about 70 MB until written.

const LEVELS = 2_001;
let store: Store;
const inventory = hapihubRelations.find((spec) => spec.relation === 'inventory') as RelationSpec;

/** One receiving per SKU: as many levels as transactions. */
function receiving(i: number): InventoryTransactionRecord {
  return oneItemTransaction({ id: `tx-${i}`, type: 'receiving', sku: `SKU-${String(i).padStart(5, '0')}`, quantity: i + 1, createdAt: new Date(Date.parse('2026-01-01T00:00:00.000Z') + i * 1_000).toISOString() });
}

/** A pass's context: the fold reads only the store (no vendor call), so no HTTP client is given. */
const passContext = (): PassContext => ({ vendor: 'HAPIHUB', http: null as unknown as VendorHttp, db: store.db, settings: { crosswalk: new Crosswalk() }, now: Date.now, scope: { call: { priority: 'background', client: 'test' }, noteStale: () => undefined } });
const codesOf = (rows: { data: unknown }[]) => rows.map((row) => (row.data as InventoryLevelRecord).vendorSkuCode);

beforeAll(async () => {
  store = await openStore({ dataDir: mkdtempSync(path.join(tmpdir(), 'opsgraph-fold-pages-')), databaseUrl: null });
  await upsertRows(store.db, 'HAPIHUB', 'transactions', Array.from({ length: LEVELS }, (_, i) => transactionRow(receiving(i))));
});
afterAll(async () => {
  await store?.close();
});

it('writes the folded levels 2,000 a page, the next page continuing where the last ended, until every level is written', async () => {
  const ctx = passContext();
  const first = await inventory.readPage(ctx, null, null);
  expect(first.rows).toHaveLength(2_000);
  expect(first.expectedRows).toBe(LEVELS);
  expect(first.next).toBe('2000');
  const second = await inventory.readPage(ctx, first.next, null);
  expect(second.next).toBeNull();
  expect(codesOf(second.rows)).toEqual(['SKU-02000']);
  expect(second.rows[0]?.data).toMatchObject({ onHand: '2001', location: { id: 'W1' } });
  expect(new Set([...codesOf(first.rows), ...codesOf(second.rows)]).size).toBe(LEVELS);
});

it('a pass resumed without its fold (a new process, a failed page) folds again and writes from the first level, so its end deletes none it skipped', async () => {
  const resumed = await inventory.readPage(passContext(), '2000', null);
  expect(resumed.rows).toHaveLength(2_000);
  expect(codesOf(resumed.rows)[0]).toBe('SKU-00000');
  expect(resumed.next).toBe('2000');
});

it('folds once more when a transaction opsgraph wrote moved the stored stock while the fold wrote its pages, and only once', async () => {
  const ctx = passContext();
  const first = await inventory.readPage(ctx, null, null);
  // Read-your-writes stores a new transaction (and moves its level) between two pages of the fold.
  await upsertRows(store.db, 'HAPIHUB', 'transactions', [transactionRow(receiving(LEVELS))], Date.now());
  const last = await inventory.readPage(ctx, first.next, null);
  expect(last.next).toBe('0');
  // The new fold has the written transaction's level, and ends even though the store moved again.
  const again = await inventory.readPage(ctx, last.next, null);
  expect(again.expectedRows).toBe(LEVELS + 1);
  await upsertRows(store.db, 'HAPIHUB', 'transactions', [transactionRow(receiving(LEVELS + 1))], Date.now());
  const end = await inventory.readPage(ctx, again.next, null);
  expect(codesOf(end.rows)).toEqual(['SKU-02000', 'SKU-02001']);
  expect(end.next).toBeNull();
});
