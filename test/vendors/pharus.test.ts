import { createServer } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SourceScope, StaleNote } from '../../src/cache/scope.js';
import { ConfigError } from '../../src/config.js';
import { errorCode } from '../../src/errors.js';
import { defaultHttpOptions, VendorHttp } from '../../src/http/vendor-http.js';
import type { OrderRecord, VendorSkuRecord } from '../../src/model/records.js';
import type { FreshnessConfig, VendorRuntime } from '../../src/vendors/types.js';
import { createPharusRuntime, pharusAuthHeaders, SANDBOX_BASE_PATH } from '../../src/vendors/pharus/index.js';
import type { SandboxHandle } from '../../sandbox/core/server.js';
import { pharusId, startPharusSandbox, type PharusStore } from '../../sandbox/pharus/index.js';
import { generateWorld, type World } from '../../sandbox/world/index.js';

// The Pharus data source over real HTTP against the Pharus sandbox: each batch function's answers,
// and the exact vendor calls each costs (counted by the sandbox).

const FRESH: FreshnessConfig = { liveStockMaxAgeMs: 5_000, referenceMaxAgeMs: 60_000, qualityMaxAgeMs: 60_000, staleMaxMs: 60_000, maxIndexEntries: 100_000 };
const SKUS = 'GET /api/skus';
const SUMMARY = 'GET /api/finished-goods-inventory/summary';
const LOCATIONS = 'GET /api/locations';
const CUSTOMERS = 'GET /api/customers';
const ORDERS = 'GET /api/sales-orders';
const ORDER = 'GET /api/sales-orders/:id';

let world: World;
let sandbox: SandboxHandle<PharusStore>;
const https: VendorHttp[] = [];
let notes: StaleNote[] = [];
const scope: SourceScope = { call: {}, noteStale: (note) => notes.push(note) };

function makeRuntime(freshness: Partial<FreshnessConfig> = {}, token = sandbox.credentials.token): VendorRuntime {
  const http = new VendorHttp({
    ...defaultHttpOptions('pharus'),
    baseUrl: sandbox.url + SANDBOX_BASE_PATH,
    authHeaders: pharusAuthHeaders({ baseUrl: sandbox.url, token, orgId: sandbox.credentials.orgId ?? '' }),
    timeoutMs: 2_000,
    retries: { max: 0, baseDelayMs: 5, maxDelayMs: 20 },
    breaker: { failureThreshold: 1_000, openMs: 100 },
  });
  https.push(http);
  return createPharusRuntime({ http, freshness: { ...FRESH, ...freshness } });
}

/** Vendor calls since the last reset, by `METHOD /route`. */
const calls = (): Record<string, number> => sandbox.stats.snapshot().requests;
/** Calls to read a whole list of n rows at the client's page size of 500. */
const pagesOf = (n: number) => Math.max(1, Math.ceil(n / 500));

beforeAll(async () => {
  world = generateWorld({ scale: 0.2 });
  sandbox = await startPharusSandbox({ port: 0, world });
});
afterEach(() => {
  sandbox.faults.clear();
  sandbox.stats.reset();
  notes = [];
});
afterAll(async () => {
  await Promise.all(https.map((h) => h.close()));
  await sandbox.close();
});

const pharusSkus = () => world.skus.filter((s) => s.vendorCodes.pharus !== undefined);
const codeOf = (canonical: string) => world.skuByCode.get(canonical)?.vendorCodes.pharus ?? `missing ${canonical}`;
const pharusOrders = () => world.orders.filter((o) => o.vendor === 'pharus');

describe('catalog', () => {
  it('finds SKUs by Pharus’s own code from one read of the SKU list, then from memory', async () => {
    const source = makeRuntime().forRequest(scope);
    const differing = pharusSkus().find((s) => s.vendorCodes.pharus !== s.code);
    const plain = pharusSkus()[0];
    if (!differing || !plain) throw new Error('world lacks the SKUs this test needs');
    const found = await source.catalog.skusByCode([codeOf(differing.code), codeOf(plain.code), 'NOT-A-CODE', differing.code]);
    expect(found).toEqual([
      { vendor: 'PHARUS', vendorId: pharusId('sku', differing.code), code: codeOf(differing.code), name: differing.name },
      { vendor: 'PHARUS', vendorId: pharusId('sku', plain.code), code: codeOf(plain.code), name: plain.name },
      null,
      // The canonical spelling is not Pharus's: the crosswalk, not this source, maps it.
      null,
    ]);
    expect(calls()).toEqual({ [SKUS]: pagesOf(pharusSkus().length) });

    sandbox.stats.reset();
    await source.catalog.skusByCode([codeOf(plain.code)]);
    expect(calls()).toEqual({});
  });

  it('lists SKUs a page at a time, one call a page, to the end', async () => {
    const source = makeRuntime().forRequest(scope);
    const seen: VendorSkuRecord[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const page: Awaited<ReturnType<typeof source.catalog.listSkus>> = await source.catalog.listSkus({ first: 17, after });
      expect(page.items.length).toBeLessThanOrEqual(17);
      seen.push(...page.items);
      after = page.hasNextPage ? page.endCursor : null;
      pages++;
    } while (after !== null);
    expect(seen.map((s) => s.code).sort()).toEqual(pharusSkus().map((s) => codeOf(s.code)).sort());
    expect(calls()).toEqual({ [SKUS]: pages });
  });

  it('refuses a cursor it did not make as BAD_USER_INPUT, without a vendor call', async () => {
    const source = makeRuntime().forRequest(scope);
    expect(errorCode(await source.catalog.listSkus({ first: 5, after: 'bogus' }).catch((e: unknown) => e))).toBe('BAD_USER_INPUT');
    expect(calls()).toEqual({});
  });
});

describe('inventory', () => {
  it('answers stock per location from the FG summary, summed from the world', async () => {
    const source = makeRuntime().forRequest(scope);
    const sku = first(pharusSkus().filter((s) => world.stock.some((r) => r.vendor === 'pharus' && r.skuCode === s.code && r.quantity > 0)));
    const [levels] = await source.inventory.levelsByCode([codeOf(sku.code)]);
    const expected = new Map<string, number>();
    for (const row of world.stock) {
      if (row.vendor !== 'pharus' || row.skuCode !== sku.code) continue;
      const id = pharusId('location', row.locationKey);
      expected.set(id, (expected.get(id) ?? 0) + row.quantity);
    }
    expect(new Map((levels ?? []).map((l) => [l.location?.id, Number(l.onHand)]))).toEqual(expected);
    for (const level of levels ?? []) {
      expect(level).toMatchObject({ vendor: 'PHARUS', vendorSkuCode: codeOf(sku.code), lotNumber: null });
      // The summary row names no location (E108): the name comes from the locations list.
      expect(level.location?.name).toBe(world.locations.find((l) => pharusId('location', l.key) === level.location?.id)?.name);
      expect(level.onHand).toMatch(/^\d+$/);
      // E108's available = on hand − allocated, both as Pharus says.
      expect(level.available).toBe(String(Number(level.onHand) - Number(level.allocated)));
    }
  });

  it('costs the same calls for one code as for fifty, and none again while fresh', async () => {
    const one = makeRuntime().forRequest(scope);
    await one.inventory.levelsByCode([codeOf(first(pharusSkus()).code)]);
    const forOne = calls();
    // The summary is unpaginated: one call, whatever its size.
    expect(forOne).toEqual({ [SKUS]: pagesOf(pharusSkus().length), [SUMMARY]: 1, [LOCATIONS]: 1 });

    sandbox.stats.reset();
    const fifty = makeRuntime().forRequest(scope);
    const codes = pharusSkus().slice(0, 50).map((s) => codeOf(s.code));
    const levels = await fifty.inventory.levelsByCode(codes);
    expect(levels.length).toBe(50);
    expect(calls()).toEqual(forOne);

    sandbox.stats.reset();
    await fifty.inventory.levelsByCode(codes);
    expect(calls()).toEqual({});
  });

  it('costs no stock call for codes Pharus does not know', async () => {
    const source = makeRuntime().forRequest(scope);
    expect(await source.inventory.levelsByCode(['NOPE-1', 'NOPE-2'])).toEqual([[], []]);
    expect(calls()).toEqual({ [SKUS]: pagesOf(pharusSkus().length) });
  });

  it('re-reads only the summary when live stock is older than its bound, and shows a write', async () => {
    const runtime = makeRuntime({ liveStockMaxAgeMs: 50 });
    const sku = first(pharusSkus());
    const skuId = pharusId('sku', sku.code);
    const locationId = pharusId('location', first(world.locations).key);
    const before = await runtime.forRequest(scope).inventory.levelsByCode([codeOf(sku.code)]);
    const onHand = Number(before[0]?.find((l) => l.location?.id === locationId)?.onHand ?? '0');

    const adjusted = await fetch(`${sandbox.url}/api/finished-goods-inventory/adjustments`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sandbox.credentials.token}`, 'x-org-id': sandbox.credentials.orgId ?? '', 'content-type': 'application/json' },
      body: JSON.stringify({ skuId, locationId, quantity: 3 }),
    });
    expect(adjusted.status).toBe(201);
    await sleep(80);
    sandbox.stats.reset();
    const after = await runtime.forRequest(scope).inventory.levelsByCode([codeOf(sku.code)]);
    expect(after[0]?.find((l) => l.location?.id === locationId)?.onHand).toBe(String(onHand + 3));
    expect(calls()).toEqual({ [SUMMARY]: 1 });
  });

  it('never serves stale stock: a failing summary read is an error, not an old copy', async () => {
    const runtime = makeRuntime({ liveStockMaxAgeMs: 20 });
    const code = codeOf(first(pharusSkus()).code);
    await runtime.forRequest(scope).inventory.levelsByCode([code]);
    await sleep(40);
    sandbox.faults.add({ match: SUMMARY, status: 503 });
    const error = await runtime.forRequest(scope).inventory.levelsByCode([code]).catch((e: unknown) => e);
    expect(errorCode(error)).toBe('VENDOR_UNAVAILABLE');
    expect(notes).toEqual([]);
  });
});

describe('orders', () => {
  it('reads an order by id with its lines in Pharus codes, its customer and its total', async () => {
    const source = makeRuntime().forRequest(scope);
    const order = world.orderByKey.get(world.showcase.pharus.tenLines);
    if (!order) throw new Error('no showcase order');
    const [record, missing, malformed] = await source.orders?.ordersById([pharusId('sales-order', order.key), pharusId('sales-order', 'nope'), 'not-a-uuid']) ?? [];
    expect(missing).toBeNull();
    expect(malformed).toBeNull();
    expect(record).toMatchObject({
      vendor: 'PHARUS',
      vendorId: pharusId('sales-order', order.key),
      number: order.number,
      orderedAt: order.orderedAt.toISOString(),
      dueAt: `${order.dueAt.toISOString().slice(0, 10)}T00:00:00.000Z`,
      customerName: world.customers.find((c) => c.key === order.customerKey)?.name,
    });
    expect(record?.lines.map((l) => [l.vendorSkuCode, l.quantity, l.unitPrice])).toEqual(order.lines.map((l) => [codeOf(l.skuCode), String(l.quantity), String(Number(l.unitPrice))]));
    const cents = order.lines.reduce((sum, l) => sum + l.quantity * Math.round(Number(l.unitPrice) * 100), 0);
    expect(Number(record?.total)).toBeCloseTo(cents / 100, 6);
    // Two order ids reach the vendor; the malformed one is answered without a call.
    expect(calls()).toEqual({ [ORDER]: 2, [SKUS]: pagesOf(pharusSkus().length), [CUSTOMERS]: pagesOf(world.customers.length) });
  });

  it('maps Pharus statuses onto the unified lifecycle', async () => {
    const source = makeRuntime().forRequest(scope);
    const expected = { draft: 'DRAFT', open: 'OPEN', fulfilled: 'FULFILLED', invoiced: 'INVOICED', closed: 'CLOSED', cancelled: 'CANCELLED' } as const;
    const samples = Object.keys(expected).flatMap((status) => pharusOrders().filter((o) => o.status === status).slice(0, 1));
    expect(samples.length).toBeGreaterThanOrEqual(5);
    const records = await source.orders?.ordersById(samples.map((o) => pharusId('sales-order', o.key))) ?? [];
    expect(records.map((r) => r?.status)).toEqual(samples.map((o) => expected[o.status]));
  });

  it('lists every order once across pages, one list call per page plus one detail call per order', async () => {
    const source = makeRuntime().forRequest(scope);
    const seen: OrderRecord[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const page: Awaited<ReturnType<NonNullable<typeof source.orders>['listOrders']>> = (await source.orders?.listOrders({ first: 17, after }, { statuses: null })) ?? { items: [], endCursor: null, hasNextPage: false };
      expect(page.items.length).toBeLessThanOrEqual(17);
      seen.push(...page.items);
      after = page.hasNextPage ? page.endCursor : null;
      pages++;
    } while (after !== null);
    expect(seen.map((o) => o.number)).toEqual(pharusOrders().map((o) => o.number).sort());
    expect(calls()).toEqual({ [ORDERS]: pages, [ORDER]: pharusOrders().length, [SKUS]: pagesOf(pharusSkus().length), [CUSTOMERS]: pagesOf(world.customers.length) });
  });

  it('filters by unified status though Pharus cannot, keeping the cursor inside a vendor page', async () => {
    const source = makeRuntime().forRequest(scope);
    const closed = pharusOrders().filter((o) => o.status === 'closed').map((o) => o.number).sort();
    expect(closed.length).toBeGreaterThan(3);
    const seen: string[] = [];
    let after: string | null = null;
    do {
      const page: Awaited<ReturnType<NonNullable<typeof source.orders>['listOrders']>> = (await source.orders?.listOrders({ first: 3, after }, { statuses: ['CLOSED'] })) ?? { items: [], endCursor: null, hasNextPage: false };
      expect(page.items.every((o) => o.status === 'CLOSED')).toBe(true);
      seen.push(...page.items.map((o) => o.number ?? ''));
      after = page.hasNextPage ? page.endCursor : null;
    } while (after !== null);
    expect(seen).toEqual(closed);
    expect(errorCode(await source.orders?.listOrders({ first: 3, after: 'bogus' }, { statuses: null }).catch((e: unknown) => e))).toBe('BAD_USER_INPUT');
  });
});

describe('failures', () => {
  it('turns a body that is not JSON into VENDOR_BAD_RESPONSE', async () => {
    sandbox.faults.add({ match: SKUS, malformed: true });
    expect(errorCode(await makeRuntime().forRequest(scope).catalog.skusByCode(['X']).catch((e: unknown) => e))).toBe('VENDOR_BAD_RESPONSE');
  });

  it('turns a body that is not Pharus’s shape into VENDOR_BAD_RESPONSE naming the field', async () => {
    // A stand-in vendor whose SKU ids are numbers: JSON, but not the documented shape.
    const server = createServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ data: [{ id: 5, skuCode: 'OG-1' }], nextCursor: null }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const http = new VendorHttp({ ...defaultHttpOptions('pharus'), baseUrl: `http://127.0.0.1:${port}/api`, authHeaders: pharusAuthHeaders({ baseUrl: '', token: 't', orgId: 'o' }) });
    try {
      const error = await createPharusRuntime({ http, freshness: FRESH }).forRequest(scope).catalog.skusByCode(['OG-1']).catch((e: unknown) => e);
      expect(errorCode(error)).toBe('VENDOR_BAD_RESPONSE');
      expect(String(error)).toContain('data.0.id');
    } finally {
      await http.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('reports a refused token as VENDOR_AUTH_FAILED', async () => {
    const error = await makeRuntime({}, 'wrong-token').forRequest(scope).catalog.skusByCode(['X']).catch((e: unknown) => e);
    expect(errorCode(error)).toBe('VENDOR_AUTH_FAILED');
  });

  it('serves the SKU index stale within staleMaxMs when Pharus fails, and says so', async () => {
    const runtime = makeRuntime({ referenceMaxAgeMs: 20 });
    const code = codeOf(first(pharusSkus()).code);
    await runtime.forRequest(scope).catalog.skusByCode([code]);
    await sleep(40);
    sandbox.faults.add({ match: SKUS, status: 503 });
    const [found] = await runtime.forRequest(scope).catalog.skusByCode([code]);
    expect(found?.code).toBe(code);
    expect(notes).toMatchObject([{ vendor: 'pharus', source: 'pharus.skus', reason: 'VENDOR_UNAVAILABLE' }]);
  });

  it('refuses a Firebase token without an organisation at start, naming the setting', () => {
    expect(() => pharusAuthHeaders({ baseUrl: 'http://127.0.0.1:1', token: 't' })).toThrow(ConfigError);
    expect(() => pharusAuthHeaders({ baseUrl: 'http://127.0.0.1:1', token: 't' })).toThrow(/PHARUS_ORG_ID/);
  });

  it('reads with an org-bound personal access token and no organisation, sending no X-Org-Id', async () => {
    const pat = sandbox.credentials.pat ?? '';
    const headers = pharusAuthHeaders({ baseUrl: sandbox.url, token: pat })();
    expect(headers).toEqual({ authorization: `Bearer ${pat}` });
    const http = new VendorHttp({ ...defaultHttpOptions('pharus'), baseUrl: sandbox.url + SANDBOX_BASE_PATH, authHeaders: () => headers, retries: { max: 0, baseDelayMs: 5, maxDelayMs: 20 } });
    https.push(http);
    const runtime = createPharusRuntime({ http, freshness: FRESH });
    const [sku] = await runtime.forRequest(scope).catalog.skusByCode([codeOf(first(pharusSkus()).code)]);
    expect(sku?.code).toBe(codeOf(first(pharusSkus()).code));
  });
});

function first<T>(items: readonly T[]): T {
  const item = items[0];
  if (item === undefined) throw new Error('expected at least one item');
  return item;
}
