import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../src/store/index.js';
import {
  countRows,
  deleteRows,
  queryRows,
  readSyncStates,
  rowsByKey,
  rowsByParent,
  toSortTime,
  upsertRows,
  writeSyncState,
  type RowQuery,
  type StoredRow,
} from '../../src/sync/record-store.js';
import { startPostgres, type TestPostgres } from '../support/postgres.js';

function order(n: number, extra: Partial<StoredRow> = {}): StoredRow {
  return {
    key: `o${n}`,
    sortAt: toSortTime(`2024-01-${String((n % 28) + 1).padStart(2, '0')}T10:00:00Z`),
    number: `SO-${String(n).padStart(4, '0')}`,
    status: n % 2 === 0 ? 'OPEN' : 'CLOSED',
    customer: n % 3 === 0 ? 'Acme' : 'Globex',
    parentKey: '',
    vendorUpdatedAt: toSortTime(`2024-02-01T00:00:${String(n % 60).padStart(2, '0')}.5Z`),
    tags: [
      { kind: 'sku', value: `SKU-${n % 4}` },
      { kind: 'lot', value: `LOT-${n}` },
    ],
    data: { id: `o${n}`, n },
    ...extra,
  };
}

/** Reads every page of a query, returning the keys in page order. */
async function readAll(store: Store, q: Omit<RowQuery, 'after'>): Promise<string[]> {
  const keys: string[] = [];
  let after: RowQuery['after'] = null;
  for (let guard = 0; guard < 100; guard++) {
    const page = await queryRows(store.db, { ...q, after });
    keys.push(...page.rows.map((r) => `${r.vendor}:${r.key}`));
    if (!page.hasNext) return keys;
    const last = page.rows.at(-1)!;
    after = { value: last.value, vendor: last.vendor, key: last.key };
  }
  throw new Error('more than 100 pages');
}

function behaves(name: string, open: () => Promise<Store>) {
  describe(`synced-record store on ${name}`, () => {
    let store: Store;
    beforeAll(async () => {
      store = await open();
      await upsertRows(store.db, 'DISTRU', 'orders', Array.from({ length: 30 }, (_, i) => order(i)), 1_000);
      await upsertRows(store.db, 'PHARUS', 'orders', Array.from({ length: 10 }, (_, i) => order(i)), 1_000);
    });
    afterAll(async () => {
      await store?.close();
    });

    it('upserts by vendor, relation and key: a second write replaces the row and its tags', async () => {
      await upsertRows(store.db, 'DISTRU', 'invoices', [order(1, { key: 'i1', parentKey: 'o1' })]);
      await upsertRows(store.db, 'DISTRU', 'invoices', [order(1, { key: 'i1', parentKey: 'o1', status: 'PAID', tags: [{ kind: 'sku', value: 'NEW' }], data: { v: 2 } })]);
      expect(await countRows(store.db, { relation: 'invoices' })).toBe(1);
      expect(await rowsByKey(store.db, 'DISTRU', 'invoices', ['i1', 'missing'])).toEqual(new Map([['i1', { v: 2 }]]));
      expect(await countRows(store.db, { relation: 'invoices', tag: { kind: 'sku', value: 'NEW' } })).toBe(1);
      expect(await countRows(store.db, { relation: 'invoices', tag: { kind: 'sku', value: 'SKU-1' } })).toBe(0);
      expect(await countRows(store.db, { relation: 'invoices', statuses: ['PAID'] })).toBe(1);
      await deleteRows(store.db, 'DISTRU', 'invoices', ['i1']);
      expect(await countRows(store.db, { relation: 'invoices' })).toBe(0);
      expect(await countRows(store.db, { relation: 'invoices', tag: { kind: 'sku', value: 'NEW' } })).toBe(0);
    });

    it('pages in keyset order both directions, every row exactly once, and the order matches a full sort', async () => {
      const asc = await readAll(store, { relation: 'orders', orderBy: 'sort_at', direction: 'asc', first: 7 });
      const desc = await readAll(store, { relation: 'orders', orderBy: 'sort_at', direction: 'desc', first: 7 });
      expect(asc).toHaveLength(40);
      expect(new Set(asc).size).toBe(40);
      expect(desc).toEqual([...asc].reverse());
      const one = await queryRows(store.db, { relation: 'orders', orderBy: 'sort_at', direction: 'asc', first: 40 });
      const values = one.rows.map((r) => `${r.value}|${r.vendor}|${r.key}`);
      expect(values).toEqual([...values].sort());
      expect(one.hasNext).toBe(false);
      const byNumber = await readAll(store, { relation: 'orders', orderBy: 'number', direction: 'asc', first: 9 });
      expect(byNumber.slice(0, 4)).toEqual(['DISTRU:o0', 'PHARUS:o0', 'DISTRU:o1', 'PHARUS:o1']);
    });

    it('a cursor stays stable across inserts: rows inserted before it are not repeated, rows after it appear', async () => {
      const q = { relation: 'orders' as const, vendors: ['DISTRU' as const], orderBy: 'number' as const, direction: 'asc' as const, first: 10 };
      const page1 = await queryRows(store.db, q);
      expect(page1.rows.map((r) => r.key)).toEqual(['o0', 'o1', 'o2', 'o3', 'o4', 'o5', 'o6', 'o7', 'o8', 'o9']);
      const last = page1.rows.at(-1)!;
      // One new row sorts before the cursor, one after it.
      await upsertRows(store.db, 'DISTRU', 'orders', [order(100, { key: 'early', number: 'SO-0000a' }), order(101, { key: 'late', number: 'SO-9999' })]);
      const page2 = await queryRows(store.db, { ...q, first: 100, after: { value: last.value, vendor: last.vendor, key: last.key } });
      const keys = page2.rows.map((r) => r.key);
      expect(keys).not.toContain('early');
      expect(keys.at(-1)).toBe('late');
      expect(keys).toHaveLength(30 + 2 - 10 - 1);
      await deleteRows(store.db, 'DISTRU', 'orders', ['early', 'late']);
    });

    it('filters by vendor, status, customer, number, tag, time ranges and updatedSince; counts match the pages', async () => {
      const cases: [Omit<RowQuery, 'after' | 'first' | 'orderBy' | 'direction'>, number][] = [
        [{ relation: 'orders', vendors: ['PHARUS'] }, 10],
        [{ relation: 'orders', vendors: [] }, 0],
        [{ relation: 'orders', vendors: ['DISTRU'], statuses: ['OPEN'] }, 15],
        [{ relation: 'orders', customer: 'Acme' }, 10 + 4],
        [{ relation: 'orders', number: 'SO-0003' }, 2],
        [{ relation: 'orders', tag: { kind: 'sku', value: 'SKU-2' } }, 7 + 2],
        [{ relation: 'orders', vendors: ['DISTRU'], tag: { kind: 'lot', value: 'LOT-29' } }, 1],
        [{ relation: 'orders', vendors: ['DISTRU'], sortFrom: toSortTime('2024-01-02'), sortTo: toSortTime("2024-01-04") }, 3],
        [{ relation: 'orders', vendors: ['DISTRU'], updatedSince: toSortTime('2024-02-01T00:00:25Z') }, 5],
        [{ relation: 'skus' }, 0],
      ];
      for (const [filter, expected] of cases) {
        expect({ filter, count: await countRows(store.db, filter) }).toEqual({ filter, count: expected });
        const rows = await readAll(store, { ...filter, orderBy: 'vendor_updated_at', direction: 'desc', first: 4 });
        expect({ filter, rows: rows.length }).toEqual({ filter, rows: expected });
      }
    });

    it('reads children by parent key in time order, and keeps sync progress per vendor and relation', async () => {
      await upsertRows(store.db, 'DISTRU', 'invoices', [
        order(5, { key: 'b', parentKey: 'o1', data: 'second' }),
        order(2, { key: 'a', parentKey: 'o1', data: 'first' }),
        order(3, { key: 'c', parentKey: 'o2', data: 'other' }),
      ]);
      const byParent = await rowsByParent(store.db, 'DISTRU', 'invoices', ['o1', 'o2', 'o3']);
      expect(byParent).toEqual(new Map([['o1', ['first', 'second']], ['o2', ['other']], ['o3', []]]));
      expect(await countRows(store.db, { relation: 'invoices', parentKeys: ['o1'] })).toBe(2);
      await deleteRows(store.db, 'DISTRU', 'invoices', ['a', 'b', 'c']);

      const state = { vendor: 'DISTRU' as const, relation: 'orders' as const, state: 'initial' as const, highWater: null, resumeCursor: '/orders?page=3', rows: 50, expectedRows: 1000, lastSyncedAt: null, lastError: null, nextRunAt: 0 };
      await writeSyncState(store.db, state);
      await writeSyncState(store.db, { ...state, state: 'current', highWater: '2024-02-01T00:00:00.000000Z', resumeCursor: null, rows: 1000, lastSyncedAt: 1_700_000_000_000, nextRunAt: 1_700_000_060_000 });
      expect(await readSyncStates(store.db)).toEqual([
        { ...state, state: 'current', highWater: '2024-02-01T00:00:00.000000Z', resumeCursor: null, rows: 1000, lastSyncedAt: 1_700_000_000_000, nextRunAt: 1_700_000_060_000 },
      ]);
    });
  });
}

it('normalises times so that text order is time order', () => {
  expect(toSortTime('2021-03-08T10:28:28.507476Z')).toBe('2021-03-08T10:28:28.507476Z');
  expect(toSortTime('2021-03-08T10:28:28Z')).toBe('2021-03-08T10:28:28.000000Z');
  expect(toSortTime('2021-03-08T12:28:28.5+02:00')).toBe('2021-03-08T10:28:28.500000Z');
  expect(toSortTime(null)).toBe('');
  expect(toSortTime('yesterday')).toBe('');
});

behaves('SQLite', () => openStore({ dataDir: mkdtempSync(path.join(tmpdir(), 'opsgraph-rows-')), databaseUrl: null }));

let pg: TestPostgres | undefined;
afterAll(async () => {
  await pg?.stop();
});
behaves('PostgreSQL (real server)', async () => {
  pg ??= await startPostgres();
  return openStore({ dataDir: '/nonexistent', databaseUrl: await pg.createDatabase() });
});
