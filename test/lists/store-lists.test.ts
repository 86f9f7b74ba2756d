import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Crosswalk } from '../../src/catalog/crosswalk.js';
import { errorCode } from '../../src/errors.js';
import { planList, listConnection } from '../../src/lists/read-list.js';
import type { ListContext, ListSpec } from '../../src/lists/list-spec.js';
import { ordersList, type OrderListFilter } from '../../src/lists/specs/orders.js';
import { skusList } from '../../src/lists/specs/skus.js';
import { ncrsList } from '../../src/lists/specs/quality.js';
import { invoicesList } from '../../src/lists/specs/invoices.js';
import type { NcrRecord, OrderRecord, OrderVendor, Vendor } from '../../src/model/records.js';
import { openStore, type Store } from '../../src/store/index.js';
import { toSortTime, upsertRows, type StoredRow } from '../../src/sync/record-store.js';

/** An order row as the sync writes it: the unified record, its time, number, status, customer and line tags. */
function orderRow(vendor: OrderVendor, n: number, extra: { sku?: string; lot?: string; customer?: string; day?: number } = {}): StoredRow {
  const orderedAt = `2026-03-${String(extra.day ?? (n % 28) + 1).padStart(2, '0')}T10:00:00.000Z`;
  const record: OrderRecord = {
    vendor,
    vendorId: `${vendor.toLowerCase()}-${n}`,
    number: `${vendor[0]}-${String(n).padStart(4, '0')}`,
    status: n % 3 === 0 ? 'OPEN' : 'CLOSED',
    vendorStatus: null,
    orderedAt,
    dueAt: null,
    total: '10.5',
    customerName: extra.customer ?? (n % 2 === 0 ? 'Acme' : 'Globex'),
    lines: [{ vendorId: null, vendorSkuCode: extra.sku ?? `OG-${n % 5}`, productName: null, quantity: '1', unitPrice: '10.5', lotNumber: extra.lot ?? `LOT-${n}` }],
  };
  return {
    key: record.vendorId,
    sortAt: toSortTime(orderedAt),
    number: record.number ?? '',
    status: record.status,
    customer: record.customerName ?? '',
    parentKey: '',
    vendorUpdatedAt: toSortTime(`2026-04-01T00:00:${String(n % 60).padStart(2, '0')}Z`),
    tags: [
      { kind: 'sku', value: record.lines[0]?.vendorSkuCode ?? '' },
      { kind: 'lot', value: record.lines[0]?.lotNumber ?? '' },
    ],
    data: record,
  };
}

function skuRow(vendor: Vendor, code: string): StoredRow {
  return { key: `${vendor}-${code}`, sortAt: '', number: code, status: '', customer: '', parentKey: '', vendorUpdatedAt: '', data: { vendor, vendorId: `${vendor}-${code}`, code, name: `name of ${code}` } };
}

function ncrRow(n: number, source: string): StoredRow {
  const record: NcrRecord = { vendor: 'ISOLOCITY', vendorId: String(n), number: `NCR-${n}`, source, status: n % 2 ? 'Open' : 'Closed', lotNumber: `LOT-${n}`, quantity: 1, description: null, partVendorId: '7', createdAt: `2026-02-${String((n % 28) + 1).padStart(2, '0')}T00:00:00.000Z` };
  return { key: String(n), sortAt: toSortTime(record.createdAt), number: record.number ?? '', status: record.status ?? '', customer: '', parentKey: '7', vendorUpdatedAt: '', tags: [{ kind: 'lot', value: record.lotNumber ?? '' }], data: record };
}

let store: Store;
let dataDir: string;
const skipped: Vendor[] = [];
// OG-1 is spelled OG001 in Pharus: a SKU filter must find both spellings and merge them in one ordering.
const crosswalk = new Crosswalk([{ code: 'OG-1', pharus: 'OG001' }]);
let configured: Vendor[] = ['DISTRU', 'PHARUS', 'ISOLOCITY', 'HAPIHUB'];
const ctx = (): ListContext => ({ crosswalk, db: store.db, configuredVendors: () => configured, noteSkipped: (v) => skipped.push(v) });

async function page<F, N>(spec: ListSpec<F, N>, args: { first?: number; after?: string | null; filter?: F; orderBy?: { field: string; direction?: string } }) {
  return listConnection(await planList(spec, args, ctx()), args);
}

/** Every node of a list, paged `size` at a time through endCursor (at most 100 pages). */
async function readAll<F, N>(spec: ListSpec<F, N>, size: number, args: { filter?: F; orderBy?: { field: string; direction?: string } } = {}): Promise<N[]> {
  const out: N[] = [];
  let after: string | null = null;
  for (let i = 0; i < 100; i++) {
    const conn: Awaited<ReturnType<typeof page<F, N>>> = await page(spec, { ...args, first: size, after });
    out.push(...conn.nodes);
    if (!conn.pageInfo.hasNextPage) return out;
    after = conn.pageInfo.endCursor;
  }
  throw new Error('more than 100 pages');
}

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(tmpdir(), 'opsgraph-lists-'));
  store = await openStore({ dataDir, databaseUrl: null });
  await upsertRows(store.db, 'DISTRU', 'orders', Array.from({ length: 25 }, (_, n) => orderRow('DISTRU', n)));
  await upsertRows(
    store.db,
    'PHARUS',
    'orders',
    Array.from({ length: 12 }, (_, n) => orderRow('PHARUS', n, n % 5 === 1 ? { sku: 'OG001' } : {})),
  );
  await upsertRows(store.db, 'ISOLOCITY', 'orders', Array.from({ length: 8 }, (_, n) => orderRow('ISOLOCITY', n)));
  await upsertRows(store.db, 'DISTRU', 'skus', ['OG-0', 'OG-1', 'OG-2', 'OG-9'].map((c) => skuRow('DISTRU', c)));
  await upsertRows(store.db, 'PHARUS', 'skus', ['OG-0', 'OG001', 'OG-3'].map((c) => skuRow('PHARUS', c)));
  // HAPIHub's items are its stock rows, one per SKU, lot and warehouse: OG-4 twice.
  const level = (code: string, lot: string): StoredRow => ({ key: `${code}|${lot}|w1`, sortAt: '', number: code, status: '', customer: '', parentKey: code, vendorUpdatedAt: '', data: { vendor: 'HAPIHUB', vendorSkuCode: code, location: null, lotNumber: lot, onHand: '1', available: null, updatedAt: null } });
  await upsertRows(store.db, 'HAPIHUB', 'inventory', [level('OG-2', 'L1'), level('OG-4', 'L1'), level('OG-4', 'L2')]);
  await upsertRows(store.db, 'ISOLOCITY', 'parts', [{ key: '7', sortAt: '', number: 'OG-7', status: '', customer: '', parentKey: '', vendorUpdatedAt: '', data: { vendor: 'ISOLOCITY', vendorId: '7', identification: 'OG-7', name: 'Seven', unitOfMeasure: null, isFinishedProduct: null } }]);
  await upsertRows(store.db, 'ISOLOCITY', 'ncrs', Array.from({ length: 30 }, (_, n) => ncrRow(n, ['internal', 'Customer', 'supplier'][n % 3] as string)));
});
afterAll(async () => {
  await store?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('lists from the synced store', () => {
  it('merges every vendor in one ordering (newest first by default) and pages through each order once', async () => {
    const all = await readAll(ordersList, 7);
    expect(all).toHaveLength(45);
    expect(new Set(all.map((o) => o.vendorId)).size).toBe(45);
    const times = all.map((o) => o.orderedAt ?? '');
    expect(times).toEqual([...times].sort().reverse());
    // Not one vendor's segment after another: oldest first, the first page mixes all three vendors.
    const oldest = await page(ordersList, { first: 3, orderBy: { field: 'TIME', direction: 'ASC' } });
    expect(oldest.nodes.map((o) => o.vendorId)).toEqual(['distru-0', 'isolocity-0', 'pharus-0']);
  });

  it('orders by number ascending and by update time, ties broken by vendor and key', async () => {
    const byNumber = await readAll(ordersList, 10, { orderBy: { field: 'NUMBER', direction: 'ASC' } });
    const numbers = byNumber.map((o) => o.number ?? '');
    expect(numbers).toEqual([...numbers].sort());
    const byUpdate = await readAll(ordersList, 500, { orderBy: { field: 'UPDATED', direction: 'DESC' } });
    expect(byUpdate).toHaveLength(45);
  });

  it('counts what the filter matches, whatever the page', async () => {
    const conn = await page(ordersList, { first: 2, filter: { statuses: ['OPEN'], customer: 'Acme' } });
    const expected = [25, 12, 8].reduce((sum, count) => sum + Array.from({ length: count }, (_, n) => n).filter((n) => n % 3 === 0 && n % 2 === 0).length, 0);
    expect(await conn.totalCount()).toBe(expected);
    expect(conn.nodes.every((o) => o.status === 'OPEN' && o.customerName === 'Acme')).toBe(true);
  });

  it('filters by SKU code in every vendor’s spelling (the crosswalk), by lot, by time range and by update time', async () => {
    const bySku = await readAll(ordersList, 3, { filter: { skuCode: 'OG-1' } });
    const expected = [...Array.from({ length: 25 }, (_, n) => n).filter((n) => n % 5 === 1).map((n) => `distru-${n}`), ...Array.from({ length: 12 }, (_, n) => n).filter((n) => n % 5 === 1).map((n) => `pharus-${n}`), ...[1, 6].map((n) => `isolocity-${n}`)];
    expect(bySku.map((o) => o.vendorId).sort()).toEqual(expected.sort());
    const times = bySku.map((o) => o.orderedAt ?? '');
    expect(times).toEqual([...times].sort().reverse());
    expect(await (await page(ordersList, { first: 1, filter: { skuCode: 'OG001' } })).totalCount()).toBe(expected.length);

    const byLot = await page(ordersList, { first: 10, filter: { lotNumber: 'LOT-3', vendors: ['DISTRU'] } });
    expect(byLot.nodes.map((o) => o.vendorId)).toEqual(['distru-3']);

    const range = await readAll(ordersList, 500, { filter: { orderedAt: { from: '2026-03-02T00:00:00.000Z', to: '2026-03-04T00:00:00.000Z' } } });
    expect(range.every((o) => (o.orderedAt ?? '') >= '2026-03-02' && (o.orderedAt ?? '') < '2026-03-04')).toBe(true);
    expect(range.length).toBe(6);

    const since = await readAll(ordersList, 500, { filter: { updatedSince: '2026-04-01T00:00:20.000Z' } });
    expect(since.map((o) => o.vendorId).sort()).toEqual(Array.from({ length: 5 }, (_, i) => `distru-${20 + i}`).sort());
  });

  it('keeps cursors stable when orders are added before and after them', async () => {
    const first = await page(ordersList, { first: 5, orderBy: { field: 'NUMBER' } });
    const expectedNext = (await page(ordersList, { first: 5, after: first.pageInfo.endCursor, orderBy: { field: 'NUMBER' } })).nodes.map((o) => o.vendorId);
    await upsertRows(store.db, 'DISTRU', 'orders', [orderRow('DISTRU', 900, { day: 1 })]);
    const number = (n: number) => ({ ...orderRow('DISTRU', n), number: `A-${n}` });
    await upsertRows(store.db, 'DISTRU', 'orders', [number(901)]);
    const next = await page(ordersList, { first: 5, after: first.pageInfo.endCursor, orderBy: { field: 'NUMBER' } });
    expect(next.nodes.map((o) => o.vendorId)).toEqual(expectedNext);
    await upsertRows(store.db, 'DISTRU', 'orders', []);
  });

  it('refuses unknown filter values, an unsupported orderBy, a malformed or foreign cursor and a page too large, naming the field', async () => {
    const refusal = async (run: () => Promise<unknown>) => {
      const error = await run().then(
        () => null,
        (e: unknown) => e as { extensions?: { field?: string } },
      );
      return { code: errorCode(error), field: error?.extensions?.field };
    };
    expect(await refusal(() => page(ordersList, { filter: { statuses: ['SHIPPED'] } }))).toEqual({ code: 'BAD_USER_INPUT', field: 'filter.statuses' });
    expect(await refusal(() => page(ordersList, { filter: { vendors: ['HAPIHUB'] } }))).toEqual({ code: 'BAD_USER_INPUT', field: 'filter.vendors' });
    expect(await refusal(() => page(ordersList, { filter: { customer: '  ' } }))).toEqual({ code: 'BAD_USER_INPUT', field: 'filter.customer' });
    expect(await refusal(() => page(ordersList, { filter: { orderedAt: { from: '2026-03-04T00:00:00.000Z', to: '2026-03-02T00:00:00.000Z' } } }))).toEqual({ code: 'BAD_USER_INPUT', field: 'filter.orderedAt' });
    expect(await refusal(() => page(invoicesList, { filter: { statuses: ['Paid-ish'] } }))).toEqual({ code: 'BAD_USER_INPUT', field: 'filter.statuses' });
    expect(await refusal(() => page(ncrsList, { filter: { source: 'vendor' } }))).toEqual({ code: 'BAD_USER_INPUT', field: 'filter.source' });
    expect(await refusal(() => page(skusList, { orderBy: { field: 'TIME' } }))).toEqual({ code: 'BAD_USER_INPUT', field: 'orderBy.field' });
    expect(await refusal(() => page(ordersList, { first: 501 }))).toEqual({ code: 'BAD_USER_INPUT', field: 'first' });
    expect(await refusal(() => page(ordersList, { after: 'bogus' }))).toEqual({ code: 'BAD_USER_INPUT', field: 'after' });
    const ncrCursor = (await page(ncrsList, { first: 1 })).pageInfo.endCursor;
    expect(await refusal(() => page(ordersList, { after: ncrCursor }))).toEqual({ code: 'BAD_USER_INPUT', field: 'after' });
    const byTime = (await page(ordersList, { first: 1 })).pageInfo.endCursor;
    expect(await refusal(() => page(ordersList, { after: byTime, orderBy: { field: 'NUMBER' } }))).toEqual({ code: 'BAD_USER_INPUT', field: 'after' });
  });

  it('lists each SKU once across vendors (joined by the crosswalk) and counts distinct codes', async () => {
    const codes = (await readAll(skusList, 2)).map((s) => s.code);
    expect(codes.sort()).toEqual(['OG-0', 'OG-1', 'OG-2', 'OG-3', 'OG-4', 'OG-7', 'OG-9']);
    expect(await (await page(skusList, { first: 1 })).totalCount()).toBe(7);
    const pharusOnly = await readAll(skusList, 10, { filter: { vendors: ['PHARUS'] } });
    expect(pharusOnly.map((s) => s.code).sort()).toEqual(['OG-0', 'OG-1', 'OG-3']);
    expect((await page(skusList, { filter: { code: 'OG001' } })).nodes.map((s) => s.code)).toEqual(['OG-1']);
  });

  it('filters NCRs by source in any case (checked after reading), paging and counting only the matches', async () => {
    const customer = await readAll(ncrsList, 4, { filter: { source: 'CUSTOMER' } });
    expect(customer.map((n) => n.vendorId).sort()).toEqual(Array.from({ length: 10 }, (_, i) => String(i * 3 + 1)).sort());
    expect(await (await page(ncrsList, { first: 1, filter: { source: 'customer' } })).totalCount()).toBe(10);
    expect(await (await page(ncrsList, { first: 1, filter: { status: 'open' } })).totalCount()).toBe(15);
  });

  it('skips an unconfigured vendor and says so, reading only the others', async () => {
    configured = ['DISTRU', 'ISOLOCITY', 'HAPIHUB'];
    skipped.length = 0;
    try {
      const all = await readAll<OrderListFilter, OrderRecord>(ordersList, 500);
      expect(new Set(all.map((o) => o.vendor))).toEqual(new Set(['DISTRU', 'ISOLOCITY']));
      expect(skipped).toContain('PHARUS');
    } finally {
      configured = ['DISTRU', 'PHARUS', 'ISOLOCITY', 'HAPIHUB'];
    }
  });
});
