import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SourceScope, StaleNote } from '../../src/cache/scope.js';
import { errorCode } from '../../src/errors.js';
import type { CallScope, VendorRequest, VendorResponse } from '../../src/http/types.js';
import { defaultHttpOptions, VendorHttp } from '../../src/http/vendor-http.js';
import type { InvoiceRecord, OrderRecord, PageResult, VendorSkuRecord } from '../../src/model/records.js';
import type { FreshnessConfig, VendorRuntime, VendorSource } from '../../src/vendors/types.js';
import { createDistruRuntime, distruAuthHeaders, SANDBOX_BASE_PATH } from '../../src/vendors/distru/index.js';
import type { SandboxHandle } from '../../sandbox/core/server.js';
import { distruId, startDistruSandbox, type DistruStore } from '../../sandbox/distru/index.js';
import { generateWorld, type World } from '../../sandbox/world/index.js';

// The Distru data source over real HTTP against the Distru sandbox: each batch function's answers,
// and the exact vendor calls each costs (counted by the sandbox).

const FRESH: FreshnessConfig = { liveStockMaxAgeMs: 5_000, referenceMaxAgeMs: 60_000, qualityMaxAgeMs: 60_000, staleMaxMs: 60_000, maxIndexEntries: 100_000 };

let world: World;
let sandbox: SandboxHandle<DistruStore>;
const https: VendorHttp[] = [];
let notes: StaleNote[] = [];
const scope: SourceScope = { call: {}, noteStale: (note) => notes.push(note) };

interface Made {
  runtime: VendorRuntime;
  source: VendorSource;
  /** Every request the data source sent, with its query (the sandbox counts routes only). */
  sent: VendorRequest[];
}

/**
 * A runtime over a real VendorHttp. Distru's own budget is 2 calls/s; the tests lift it (the HTTP
 * layer's tests cover the limiter) so that they count calls rather than wait for tokens.
 * `rewrite` may alter each outgoing request, to play a vendor that behaves differently.
 */
function make(freshness: Partial<FreshnessConfig> = {}, options: { token?: string; rewrite?: (req: VendorRequest) => VendorRequest } = {}): Made {
  const http = new VendorHttp({
    ...defaultHttpOptions('distru'),
    baseUrl: sandbox.url + SANDBOX_BASE_PATH,
    authHeaders: distruAuthHeaders({ baseUrl: sandbox.url, token: options.token ?? sandbox.credentials.token }),
    timeoutMs: 2_000,
    retries: { max: 0, baseDelayMs: 5, maxDelayMs: 20 },
    rateLimit: { maxCalls: 10_000, windowMs: 1_000, maxQueue: 10_000 },
    breaker: { failureThreshold: 1_000, openMs: 100 },
  });
  https.push(http);
  const sent: VendorRequest[] = [];
  const send = http.request.bind(http);
  http.request = (req: VendorRequest, call?: CallScope): Promise<VendorResponse> => {
    const actual = options.rewrite ? options.rewrite(req) : req;
    sent.push(actual);
    return send(actual, call);
  };
  const runtime = createDistruRuntime({ http, freshness: { ...FRESH, ...freshness } });
  return { runtime, source: runtime.forRequest(scope), sent };
}

/** Vendor calls since the last reset, by `METHOD /route`. */
const calls = (): Record<string, number> => sandbox.stats.snapshot().requests;
const queryOf = (req: VendorRequest, key: string) => (req.query ?? []).filter(([k]) => k === key).map(([, v]) => v);

beforeAll(async () => {
  world = generateWorld({ scale: 0.2 });
  sandbox = await startDistruSandbox({ port: 0, world });
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

/** The sandbox's product unit types (docs/vendors/distru.md "products"): Distru's `unit_type.name`. */
const DISTRU_UNIT = { units: 'Each', g: 'Gram', ml: 'Milliliter' } as const;
const carried = () => world.skus.filter((s) => s.vendorCodes.distru !== undefined);
const codeOf = (skuCode: string) => world.skuByCode.get(skuCode)?.vendorCodes.distru as string;
const distruOrders = () => world.orders.filter((o) => o.vendor === 'distru');

describe('catalog', () => {
  it('finds products by Distru code from one read of the product list, then from memory', async () => {
    const { source } = make();
    const [a, b] = carried();
    const notCarried = world.skus.find((s) => s.vendorCodes.distru === undefined);
    const found = await source.catalog.skusByCode([codeOf(a?.code ?? ''), 'NOT-A-CODE', codeOf(b?.code ?? ''), notCarried?.code ?? '']);
    expect(found).toEqual<(VendorSkuRecord | null)[]>([
      { vendor: 'DISTRU', vendorId: distruId('product', a?.code ?? ''), code: codeOf(a?.code ?? ''), name: a?.name ?? null, unitOfMeasure: DISTRU_UNIT[a!.unitOfMeasure] },
      null,
      { vendor: 'DISTRU', vendorId: distruId('product', b?.code ?? ''), code: codeOf(b?.code ?? ''), name: b?.name ?? null, unitOfMeasure: DISTRU_UNIT[b!.unitOfMeasure] },
      null,
    ]);
    expect(calls()).toEqual({ 'GET /public/v1/products': Math.ceil(carried().length / 500) });

    sandbox.stats.reset();
    await source.catalog.skusByCode([codeOf(a?.code ?? '')]);
    expect(calls()).toEqual({});
  });

  it('refreshes an old index (SYNC=off) with one whole read of the product list; reading only what changed is the sync’s', async () => {
    const { source, sent } = make({ referenceMaxAgeMs: 1 });
    await source.catalog.skusByCode(['X']);
    expect(queryOf(sent[0] as VendorRequest, 'updated_datetime')).toEqual([]);
    await sleep(5);
    sandbox.stats.reset();
    const [a] = carried();
    expect((await source.catalog.skusByCode([codeOf(a?.code ?? '')]))[0]?.vendorId).toBe(distruId('product', a?.code ?? ''));
    expect(calls()).toEqual({ 'GET /public/v1/products': 1 });
    // The incremental `updated_datetime=<from>,` read is the sync's (test/sync/distru-strict-sync.test.ts).
    expect(queryOf(sent.at(-1) as VendorRequest, 'updated_datetime')).toEqual([]);
  });

  it('serves the older product index, noted as stale, while Distru fails', async () => {
    const { source } = make({ referenceMaxAgeMs: 1, staleMaxMs: 60_000 });
    const [a] = carried();
    await source.catalog.skusByCode([codeOf(a?.code ?? '')]);
    await sleep(5);
    sandbox.faults.add({ match: 'GET /public/v1/products', status: 503 });
    expect((await source.catalog.skusByCode([codeOf(a?.code ?? '')]))[0]?.code).toBe(codeOf(a?.code ?? ''));
    expect(notes).toEqual([expect.objectContaining({ vendor: 'distru', source: 'distru.productsBySku', reason: 'VENDOR_UNAVAILABLE' })]);
  });

  it('lists every product once through cursors', async () => {
    const { source } = make();
    const codes: string[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 100; pages++) {
      const page = await source.catalog.listSkus({ first: 25, after });
      codes.push(...page.items.map((s) => s.code));
      if (!page.hasNextPage) break;
      after = page.endCursor;
    }
    expect(codes.sort()).toEqual(carried().map((s) => codeOf(s.code)).sort());
  });
});

describe('inventory', () => {
  it('reads stock for 1 code and for 50 codes in the same number of calls, by location and lot', async () => {
    const { source } = make();
    const skus = carried();
    const [first] = skus;
    const one = await source.inventory.levelsByCode([codeOf(first?.code ?? '')]);
    expect(calls()).toEqual({ 'GET /public/v1/products': 1, 'GET /public/v1/locations': 1, 'GET /public/v1/inventory': 1 });
    const worldRows = world.stock.filter((s) => s.vendor === 'distru' && s.skuCode === first?.code && s.quantity > 0);
    expect(one[0]?.map((l) => [l.location?.name, l.lotNumber, l.onHand]).sort()).toEqual(
      worldRows.map((r) => [world.locations.find((l) => l.key === r.locationKey)?.name, r.lotNumber, String(r.quantity)]).sort(),
    );
    expect(one[0]?.every((l) => l.vendor === 'DISTRU' && l.vendorSkuCode === codeOf(first?.code ?? '') && l.available !== null)).toBe(true);

    sandbox.stats.reset();
    const fifty = skus.slice(1, 51).map((s) => codeOf(s.code));
    const many = await source.inventory.levelsByCode(fifty);
    expect(calls()).toEqual({ 'GET /public/v1/inventory': 1 });
    expect(many).toHaveLength(50);
    const total = many.flat().reduce((sum, l) => sum + Number(l.onHand), 0);
    expect(total).toBe(world.stock.filter((s) => s.vendor === 'distru' && skus.slice(1, 51).some((k) => k.code === s.skuCode)).reduce((sum, s) => sum + s.quantity, 0));
  });

  it('merges the stock reads of 5 concurrent requests into one inventory call (batching across requests)', async () => {
    const { runtime } = make({ liveStockMaxAgeMs: 0 });
    const skus = carried().slice(0, 10).map((s) => codeOf(s.code));
    // Warm the product index, so that only stock is read below.
    await runtime.forRequest(scope).inventory.levelsByCode(skus);
    sandbox.stats.reset();
    // Five requests, each with its own scope (as five GraphQL requests have), two codes each.
    const requests = [0, 1, 2, 3, 4].map(() => runtime.forRequest({ call: {}, noteStale: () => undefined }));
    const levels = await Promise.all(requests.map((source, i) => source.inventory.levelsByCode(skus.slice(2 * i, 2 * i + 2))));
    expect(calls()).toEqual({ 'GET /public/v1/inventory': 1 });
    // Each request got the stock of its own codes.
    levels.forEach((perCode, i) => perCode.forEach((codeLevels, j) => codeLevels.forEach((l) => expect(l.vendorSkuCode).toBe(skus[2 * i + j]))));
    expect(levels.flat(2).length).toBeGreaterThan(0);
  });

  it('merges invoices-of-orders reads of concurrent requests into one order_id[] call', async () => {
    const { runtime, sent } = make();
    const orderIds = world.invoices.slice(0, 6).map((i) => distruId('order', i.orderKey));
    const requests = [0, 1, 2].map(() => runtime.forRequest({ call: {}, noteStale: () => undefined }));
    const found = await Promise.all(requests.map((source, i) => source.invoices?.invoicesByOrderId(orderIds.slice(2 * i, 2 * i + 2)) ?? []));
    expect(calls()).toEqual({ 'GET /public/v1/invoices': 1 });
    expect(sent.filter((r) => r.path === '/public/v1/invoices')[0]?.query?.filter(([k]) => k === 'order_id[]')).toHaveLength(new Set(orderIds).size);
    found.forEach((perOrder, i) => perOrder.forEach((invoices, j) => {
      expect(invoices.length).toBeGreaterThan(0);
      for (const invoice of invoices) expect(invoice.orderVendorId).toBe(orderIds[2 * i + j]);
    }));
  });

  // Two runtimes, so that neither half depends on how fast a loaded machine runs: within a bound no
  // test can outlast, stock comes from memory; past a bound the test has certainly waited out, it is
  // read again.
  it('serves stock from memory within the live-stock bound', async () => {
    const { source } = make({ liveStockMaxAgeMs: 60_000 });
    const codes = carried().slice(0, 3).map((s) => codeOf(s.code));
    const first = await source.inventory.levelsByCode(codes);
    sandbox.stats.reset();
    expect(await source.inventory.levelsByCode(codes)).toEqual(first);
    expect(calls()).toEqual({});
  });

  it('reads stock again once it is older than the live-stock bound', async () => {
    const { source } = make({ liveStockMaxAgeMs: 20 });
    const codes = carried().slice(0, 3).map((s) => codeOf(s.code));
    await source.inventory.levelsByCode(codes);
    await sleep(40);
    sandbox.stats.reset();
    await source.inventory.levelsByCode(codes);
    expect(calls()).toEqual({ 'GET /public/v1/inventory': 1 });
  });

  it('gives an unknown code no levels and costs no inventory call for it', async () => {
    const { source } = make();
    expect(await source.inventory.levelsByCode(['NOT-A-CODE'])).toEqual([[]]);
    expect(calls()).toEqual({ 'GET /public/v1/products': 1 });
  });
});

describe('orders', () => {
  it('reads orders by id, one call each, with their lines; an unknown id is null', async () => {
    const { source } = make();
    const key = world.showcase.distru.tenLines;
    const worldOrder = world.orderByKey.get(key);
    const missing = '00000000-0000-4000-8000-000000000000';
    const [order, none] = await source.orders?.ordersById([distruId('order', key), missing]) ?? [];
    expect(none).toBeNull();
    expect(order).toMatchObject<Partial<OrderRecord>>({ vendor: 'DISTRU', vendorId: distruId('order', key), number: worldOrder?.number ?? null });
    expect(order?.lines.map((l) => [l.vendorSkuCode, l.lotNumber, l.quantity, l.unitPrice])).toEqual(
      worldOrder?.lines.map((l) => [codeOf(l.skuCode), l.lotNumber, String(l.quantity), l.unitPrice.replace(/\.?0+$/, '')]),
    );
    expect(calls()).toEqual({ 'GET /public/v1/orders/:id': 2 });
  });

  it('maps Distru statuses onto the lifecycle and filters by them with status[]', async () => {
    const { source, sent } = make();
    const page = await source.orders?.listOrders({ first: 200, after: null }, { statuses: ['OPEN'] });
    expect(queryOf(sent[0] as VendorRequest, 'status[]').sort()).toEqual(['PROCESSING', 'READY_TO_SHIP']);
    const open = [...sandbox.store.orders.values()].filter((o) => o.status === 'PROCESSING' || o.status === 'READY_TO_SHIP');
    expect(page?.items.map((o) => o.vendorId).sort()).toEqual(open.map((o) => o.id).sort());
    expect(new Set(page?.items.map((o) => o.status))).toEqual(new Set(['OPEN']));
    expect(new Set(page?.items.map((o) => o.vendorStatus))).toEqual(new Set(open.map((o) => o.status)));
  });

  it('answers a filter on a status Distru does not have without a call', async () => {
    const { source } = make();
    expect(await source.orders?.listOrders({ first: 10, after: null }, { statuses: ['INVOICED'] })).toEqual({ items: [], endCursor: null, hasNextPage: false });
    expect(calls()).toEqual({});
  });

  it('pages every order once, and re-plans when Distru serves smaller pages than asked', async () => {
    // Play a Distru whose page maximum is 7: every page[size] the source sends becomes 7.
    const { source } = make({}, { rewrite: (req) => ({ ...req, query: req.query?.map(([k, v]) => (k === 'page[size]' ? ([k, '7'] as const) : ([k, v] as const))) }) });
    const ids: string[] = [];
    let after: string | null = null;
    for (let pages = 0; pages < 100; pages++) {
      const page: PageResult<OrderRecord> | undefined = await source.orders?.listOrders({ first: 30, after }, { statuses: null });
      ids.push(...(page?.items ?? []).map((o) => o.vendorId));
      if (!page?.hasNextPage) break;
      expect(page.items).toHaveLength(30);
      after = page.endCursor;
    }
    expect(ids).toHaveLength(distruOrders().length);
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('invoices', () => {
  it('reads the invoices of many orders in one order_id[] call, in key order', async () => {
    const { source } = make();
    const orderIds = [...sandbox.store.invoicesByOrder.keys()].slice(0, 30);
    const withNone = distruId('order', distruOrders().find((o) => !sandbox.store.invoicesByOrder.has(distruId('order', o.key)))?.key ?? '');
    const result = await source.invoices?.invoicesByOrderId([...orderIds, withNone]);
    expect(calls()).toEqual({ 'GET /public/v1/invoices': 1 });
    expect(result?.at(-1)).toEqual([]);
    orderIds.forEach((id, i) => {
      expect(result?.[i]?.map((inv) => inv.vendorId).sort()).toEqual([...(sandbox.store.invoicesByOrder.get(id) ?? [])].sort());
      expect(result?.[i]?.every((inv) => inv.orderVendorId === id)).toBe(true);
    });
  });

  it('reads an invoice by id with its status in Distru’s filter words; an unknown id is null', async () => {
    const { source } = make();
    const worldInvoice = world.invoices.find((i) => i.status === 'paid');
    const [invoice, none] = (await source.invoices?.invoicesById([distruId('invoice', worldInvoice?.key ?? ''), '00000000-0000-4000-8000-000000000000'])) ?? [];
    expect(none).toBeNull();
    expect(invoice).toMatchObject<Partial<InvoiceRecord>>({ vendor: 'DISTRU', number: worldInvoice?.number ?? null, orderVendorId: distruId('order', worldInvoice?.orderKey ?? ''), balance: null });
    expect(['Fully Paid', 'Over Paid']).toContain(invoice?.status);
  });

  it('lists invoices by status, and refuses a status Distru does not know', async () => {
    const { source } = make();
    const page = await source.invoices?.listInvoices({ first: 500, after: null }, { statuses: ['Not Paid'] });
    expect(page?.items.length).toBe([...sandbox.store.invoices.values()].filter((i) => i.status === 'NOT_PAID').length);
    expect(page?.items.every((i) => i.status === 'Not Paid')).toBe(true);
    const refused = await source.invoices?.listInvoices({ first: 5, after: null }, { statuses: ['Paid'] }).catch((error: unknown) => error);
    expect(errorCode(refused)).toBe('BAD_USER_INPUT');
  });
});

describe('vendor failures', () => {
  it('turns a malformed body into VENDOR_BAD_RESPONSE', async () => {
    const { source } = make();
    sandbox.faults.add({ match: 'GET /public/v1/orders', malformed: true });
    const error = await source.orders?.ordersById([distruId('order', world.showcase.distru.oneLine)]).catch((e: unknown) => e);
    expect(errorCode(error)).toBe('VENDOR_BAD_RESPONSE');
  });

  it('turns a body of the wrong shape into VENDOR_BAD_RESPONSE without echoing it', async () => {
    // Distru answering an unknown query parameter with a 400: the source asked wrongly.
    const { source } = make({}, { rewrite: (req) => ({ ...req, query: [...(req.query ?? []), ['colour', 'red']] }) });
    const error = await source.orders?.listOrders({ first: 5, after: null }, { statuses: null }).catch((e: unknown) => e);
    expect(errorCode(error)).toBe('VENDOR_BAD_RESPONSE');
    expect(String((error as Error).message)).not.toContain('colour');
  });

  it('reports a refused token as VENDOR_AUTH_FAILED', async () => {
    const { source } = make({}, { token: 'not-a-token' });
    const error = await source.catalog.skusByCode(['X']).catch((e: unknown) => e);
    expect(errorCode(error)).toBe('VENDOR_AUTH_FAILED');
  });

  it('drops every cache on invalidateAll', async () => {
    const { runtime, source } = make();
    const codes = carried().slice(0, 2).map((s) => codeOf(s.code));
    await source.inventory.levelsByCode(codes);
    runtime.invalidateAll();
    sandbox.stats.reset();
    await runtime.forRequest(scope).inventory.levelsByCode(codes);
    expect(calls()).toEqual({ 'GET /public/v1/products': 1, 'GET /public/v1/locations': 1, 'GET /public/v1/inventory': 1 });
  });
});
