import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SourceScope, StaleNote } from '../../src/cache/scope.js';
import { errorCode } from '../../src/errors.js';
import { UpstreamTrace } from '../../src/http/trace.js';
import { defaultHttpOptions, VendorHttp } from '../../src/http/vendor-http.js';
import type { FreshnessConfig, VendorRuntime, VendorSource } from '../../src/vendors/types.js';
import { createIsolocityRuntime, isolocityAuthHeaders, SANDBOX_BASE_PATH } from '../../src/vendors/isolocity/index.js';
import type { SandboxHandle } from '../../sandbox/core/server.js';
import { startIsolocitySandbox, type IsolocityStore } from '../../sandbox/isolocity/index.js';
import { generateWorld, type World } from '../../sandbox/world/index.js';

// The ISOlocity data source over real HTTP against the ISOlocity sandbox: each batch function's
// answers, and the exact vendor calls each costs (counted by the sandbox).

const FRESH: FreshnessConfig = { liveStockMaxAgeMs: 5_000, referenceMaxAgeMs: 60_000, qualityMaxAgeMs: 60_000, staleMaxMs: 60_000, maxIndexEntries: 100_000 };

let world: World;
let sandbox: SandboxHandle<IsolocityStore>;
const https: VendorHttp[] = [];
let notes: StaleNote[] = [];
const scope: SourceScope = { call: {}, noteStale: (note) => notes.push(note) };

function makeRuntime(target: SandboxHandle<IsolocityStore>, freshness: Partial<FreshnessConfig> = {}, retries = 0): VendorRuntime {
  const http = new VendorHttp({
    ...defaultHttpOptions('isolocity'),
    baseUrl: target.url + SANDBOX_BASE_PATH,
    authHeaders: isolocityAuthHeaders({ baseUrl: target.url, token: target.credentials.token }),
    timeoutMs: 2_000,
    retries: { max: retries, baseDelayMs: 5, maxDelayMs: 20 },
    breaker: { failureThreshold: 1_000, openMs: 100 },
  });
  https.push(http);
  return createIsolocityRuntime({ http, freshness: { ...FRESH, ...freshness } });
}

/** Vendor calls since the last reset, by `METHOD /route`. */
function calls(target: SandboxHandle<IsolocityStore> = sandbox): Record<string, number> {
  return target.stats.snapshot().requests;
}
const pagesOf = (n: number) => Math.max(1, Math.ceil(n / 200));

beforeAll(async () => {
  world = generateWorld({ scale: 0.2 });
  sandbox = await startIsolocitySandbox({ port: 0, world });
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

const isolocitySkus = () => world.skus.filter((s) => s.vendorCodes.isolocity !== undefined);
const codeOf = (skuCode: string) => world.skuByCode.get(skuCode)?.vendorCodes.isolocity as string;
const partIdOf = (skuCode: string) => String(sandbox.store.partIdBySkuCode.get(skuCode));

describe('catalog', () => {
  it('finds parts by ISOlocity’s own code from one read of the parts list, then from memory', async () => {
    const source = makeRuntime(sandbox).forRequest(scope);
    const differing = isolocitySkus().find((s) => s.vendorCodes.isolocity !== s.code);
    const plain = isolocitySkus()[0];
    if (!differing || !plain) throw new Error('world lacks the SKUs this test needs');
    const codes = [codeOf(differing.code), codeOf(plain.code), 'NOT-A-CODE', differing.code];
    const found = await source.catalog.skusByCode(codes);
    expect(found).toEqual([
      { vendor: 'ISOLOCITY', vendorId: partIdOf(differing.code), code: codeOf(differing.code), name: differing.name, unitOfMeasure: differing.unitOfMeasure },
      { vendor: 'ISOLOCITY', vendorId: partIdOf(plain.code), code: codeOf(plain.code), name: plain.name, unitOfMeasure: plain.unitOfMeasure },
      null,
      // The canonical spelling is not ISOlocity's: the crosswalk, not this source, maps it.
      null,
    ]);
    expect(calls()).toEqual({ 'GET /api/v2/parts': pagesOf(isolocitySkus().length) });

    sandbox.stats.reset();
    await source.catalog.skusByCode([codeOf(plain.code)]);
    expect(calls()).toEqual({});
  });

  it('lists SKUs a page at a time with cursors that cover the list exactly once', async () => {
    const source = makeRuntime(sandbox).forRequest(scope);
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page = await source.catalog.listSkus({ first: 30, after });
      expect(page.items.length).toBeLessThanOrEqual(30);
      seen.push(...page.items.map((s) => s.code));
      if (!page.hasNextPage) break;
      after = page.endCursor;
    }
    expect(seen).toEqual(isolocitySkus().map((s) => codeOf(s.code)));
    // One call per page asked for: 30 rows always sit inside one vendor page of 200.
    expect(calls()['GET /api/v2/parts']).toBe(Math.ceil(isolocitySkus().length / 30));
  });

  it('refuses a cursor it did not make', async () => {
    const source = makeRuntime(sandbox).forRequest(scope);
    const error = await source.catalog.listSkus({ first: 5, after: 'bm90LW91cnM' }).catch((e: unknown) => e);
    expect(errorCode(error)).toBe('BAD_USER_INPUT');
  });
});

describe('inventory', () => {
  it('serves the world’s ISOlocity stock per code, lot and location', async () => {
    const source = makeRuntime(sandbox).forRequest(scope);
    const sku = isolocitySkus().find((s) => s.vendorCodes.isolocity !== s.code) ?? isolocitySkus()[0];
    if (!sku) throw new Error('no SKU');
    const [levels, none] = await source.inventory.levelsByCode([codeOf(sku.code), 'NOT-A-CODE']);
    const locationName = new Map(world.locations.map((l) => [l.key, l.name]));
    const expected = world.stock
      .filter((s) => s.vendor === 'isolocity' && s.skuCode === sku.code)
      .map((s) => `${s.lotNumber}@${locationName.get(s.locationKey)}=${s.quantity}`)
      .sort();
    expect(levels?.map((l) => `${l.lotNumber}@${l.location?.name}=${l.onHand}`).sort()).toEqual(expected);
    expect(levels?.every((l) => l.vendor === 'ISOLOCITY' && l.vendorSkuCode === codeOf(sku.code) && l.available === null)).toBe(true);
    expect(none).toEqual([]);
  });

  it('costs the same calls for 1 code and for 50, and none again while stock is fresh', async () => {
    const codes = isolocitySkus().map((s) => codeOf(s.code));
    const inventoryRows = sandbox.store.inventory.size;
    const expected = { 'GET /api/v2/parts': pagesOf(codes.length), 'GET /api/v2/inventory': pagesOf(inventoryRows) };

    await makeRuntime(sandbox).forRequest(scope).inventory.levelsByCode(codes.slice(0, 1));
    expect(calls()).toEqual(expected);
    sandbox.stats.reset();

    const runtime = makeRuntime(sandbox);
    const fifty = await runtime.forRequest(scope).inventory.levelsByCode(codes.slice(0, 50));
    expect(fifty).toHaveLength(50);
    expect(calls()).toEqual(expected);
    sandbox.stats.reset();

    await runtime.forRequest(scope).inventory.levelsByCode(codes.slice(0, 50));
    expect(calls()).toEqual({});
  });

  it('never serves stock older than the live-stock bound, and does not serve it stale when ISOlocity fails', async () => {
    const runtime = makeRuntime(sandbox, { liveStockMaxAgeMs: 40 });
    const code = codeOf(isolocitySkus()[0]?.code as string);
    await runtime.forRequest(scope).inventory.levelsByCode([code]);
    await sleep(60);
    sandbox.stats.reset();
    await runtime.forRequest(scope).inventory.levelsByCode([code]);
    expect(calls()['GET /api/v2/inventory']).toBe(pagesOf(sandbox.store.inventory.size));

    await sleep(60);
    sandbox.faults.add({ match: 'GET /api/v2/inventory', status: 503 });
    const error = await runtime.forRequest(scope).inventory.levelsByCode([code]).catch((e: unknown) => e);
    expect(errorCode(error)).toBe('VENDOR_UNAVAILABLE');
    expect(notes).toEqual([]);
  });
});

describe('inventory of more than one page (scale 2)', () => {
  const bigWorld = generateWorld({ scale: 2 });
  const codes = bigWorld.skus.filter((s) => s.vendorCodes.isolocity !== undefined).map((s) => s.vendorCodes.isolocity as string);
  let big: SandboxHandle<IsolocityStore>;
  let pages: number;
  beforeAll(async () => {
    big = await startIsolocitySandbox({ port: 0, world: bigWorld });
    pages = pagesOf(big.store.inventory.size);
    expect(pages).toBeGreaterThan(2);
  });
  afterAll(async () => {
    await big?.close();
  });
  beforeEach(() => {
    big.stats.reset();
  });

  it('asks per part instead of reading every page when that takes fewer calls', async () => {
    // A bound of a second: the read right after the per-part one is well within it even on a
    // loaded machine (40 ms was not), and the wait past it stays short.
    const runtime = makeRuntime(big, { liveStockMaxAgeMs: 1_000 });
    // The first read has no idea of the list's size: it reads it whole.
    await runtime.forRequest(scope).inventory.levelsByCode(codes.slice(0, 10));
    expect(calls(big)['GET /api/v2/inventory']).toBe(pages);
    await sleep(1_100);
    big.stats.reset();

    const [levels] = await runtime.forRequest(scope).inventory.levelsByCode(codes.slice(0, 1));
    expect(calls(big)).toEqual({ 'GET /api/v2/inventory': 1 });
    const sku = bigWorld.skus.find((s) => s.vendorCodes.isolocity === codes[0]);
    expect(levels?.reduce((sum, l) => sum + Number(l.onHand), 0)).toBe(bigWorld.stock.filter((s) => s.vendor === 'isolocity' && s.skuCode === sku?.code).reduce((sum, s) => sum + s.quantity, 0));
    big.stats.reset();
    await runtime.forRequest(scope).inventory.levelsByCode(codes.slice(0, 1));
    expect(calls(big)).toEqual({});
  });

  it('reads the whole list once when concurrent requests together ask more parts on their own than it has pages', async () => {
    const runtime = makeRuntime(big, { liveStockMaxAgeMs: 1_000 });
    expect(codes.length).toBeGreaterThan(3 * pages);
    await runtime.forRequest(scope).inventory.levelsByCode(codes.slice(0, 1));
    await sleep(1_100);
    big.stats.reset();
    // 3 × pages screens, one part each: alone each would ask for its part (1 call < pages).
    const screens = codes.slice(0, 3 * pages);
    const answers = await Promise.all(screens.map((code) => runtime.forRequest(scope).inventory.levelsByCode([code])));
    expect(answers.every(([levels]) => Array.isArray(levels))).toBe(true);
    // The first pages − 1 read their part; then one whole read, shared, serves the rest.
    expect(calls(big)).toEqual({ 'GET /api/v2/inventory': pages - 1 + pages });
  });

  it('reads its parts instead of a whole read it could not pay for, learning the size from the first page', async () => {
    const runtime = makeRuntime(big, { liveStockMaxAgeMs: 60_000 });
    // A request that may make fewer calls than the inventory list has pages (the parts index, a
    // shared reload, has a budget of its own). The first read does not know the list's size: it
    // reads page 1, sees the rest would pass the request's budget, stops, and reads its part instead.
    const tight = (calls: number): SourceScope => ({ call: { trace: new UpstreamTrace(calls) }, noteStale: () => undefined });
    const [first] = await runtime.forRequest(tight(pages - 1)).inventory.levelsByCode(codes.slice(0, 1));
    const sku = bigWorld.skus.find((s) => s.vendorCodes.isolocity === codes[0]);
    expect(first?.reduce((sum, l) => sum + Number(l.onHand), 0)).toBe(bigWorld.stock.filter((s) => s.vendor === 'isolocity' && s.skuCode === sku?.code).reduce((sum, s) => sum + s.quantity, 0));
    expect(calls(big)).toEqual({ 'GET /api/v2/parts': pagesOf(codes.length), 'GET /api/v2/inventory': 2 });
    big.stats.reset();
    // With the size known (and the parts index read), 3 × pages screens that may make fewer calls
    // than the list has pages read their parts, where together they would have started a whole read.
    const screens = codes.slice(1, 1 + 3 * pages);
    const answers = await Promise.all(screens.map((code) => runtime.forRequest(tight(pages - 1)).inventory.levelsByCode([code])));
    expect(answers).toHaveLength(screens.length);
    expect(calls(big)).toEqual({ 'GET /api/v2/inventory': screens.length });
  });

  it('serves every screen joined to a first whole read that stops past its starter’s budget', async () => {
    const runtime = makeRuntime(big, { liveStockMaxAgeMs: 60_000 });
    const tight = (): SourceScope => ({ call: { trace: new UpstreamTrace(pages - 1) }, noteStale: () => undefined });
    const screens = codes.slice(0, 5);
    const answers = await Promise.all(screens.map((code) => runtime.forRequest(tight()).inventory.levelsByCode([code])));
    expect(answers.map(([levels]) => (levels ?? []).length > 0)).toEqual(screens.map(() => true));
    // One first page (all five joined to it), then each screen its own part.
    expect(calls(big)).toEqual({ 'GET /api/v2/parts': pagesOf(codes.length), 'GET /api/v2/inventory': 1 + screens.length });
  });
  it('loads a SYNC=off index of more pages than a request may make calls, reported in the request’s trace', async () => {
    const runtime = makeRuntime(big);
    const partsPages = pagesOf(codes.length);
    // A request that may make no call of its own.
    const trace = new UpstreamTrace(0);
    const [part] = await runtime.forRequest({ call: { trace }, noteStale: () => undefined }).catalog.skusByCode(codes.slice(0, 1));
    expect(part?.code).toBe(codes[0]);
    expect(calls(big)).toEqual({ 'GET /api/v2/parts': partsPages });
    expect(trace.calls).toBe(partsPages);
  });
});

describe('orders', () => {
  it('reads an order with its lines as codes and lots, one call per order plus the reference indexes', async () => {
    const source = makeRuntime(sandbox).forRequest(scope) as Required<VendorSource>;
    const key = world.showcase.isolocity.fiftyLines;
    const wOrder = world.orderByKey.get(key);
    const id = String(sandbox.store.orderIdByWorldKey.get(key));
    const [order, missing, malformedId] = await source.orders.ordersById([id, '999999', 'abc']);
    expect(missing).toBeNull();
    expect(malformedId).toBeNull();
    expect(order).toMatchObject({ vendor: 'ISOLOCITY', vendorId: id, number: wOrder?.number.slice(1).replace(/^0+/, ''), total: null, dueAt: null });
    expect(order?.customerName).toBe(world.customers.find((c) => c.key === wOrder?.customerKey)?.name);
    expect(order?.orderedAt).toBe(`${wOrder?.orderedAt.toISOString().slice(0, 10)}T00:00:00.000Z`);
    expect(order?.lines.map((l) => [l.vendorSkuCode, l.lotNumber, l.quantity, l.unitPrice])).toEqual(wOrder?.lines.map((l) => [codeOf(l.skuCode), l.lotNumber, String(l.quantity), null]));
    expect(calls()).toEqual({ 'GET /api/v2/orders/:order_id': 3, 'GET /api/v2/parts': pagesOf(isolocitySkus().length), 'GET /api/v2/customers': 1 });

    sandbox.stats.reset();
    const other = String(sandbox.store.orderIdByWorldKey.get(world.showcase.isolocity.tenLines));
    await source.orders.ordersById([id, other]);
    expect(calls()).toEqual({ 'GET /api/v2/orders/:order_id': 2 });
  });

  it('maps is_closed to CLOSED/OPEN and filters pages by status, covering every order once', async () => {
    const source = makeRuntime(sandbox).forRequest(scope) as Required<VendorSource>;
    const isoOrders = world.orders.filter((o) => o.vendor === 'isolocity');
    const readAll = async (statuses: ('OPEN' | 'CLOSED')[] | null) => {
      const ids: string[] = [];
      let after: string | null = null;
      for (;;) {
        const page = await source.orders.listOrders({ first: 37, after }, { statuses });
        expect(page.items.length).toBeLessThanOrEqual(37);
        ids.push(...page.items.map((o) => o.vendorId));
        if (statuses) expect(page.items.every((o) => statuses.includes(o.status as 'OPEN' | 'CLOSED'))).toBe(true);
        if (!page.hasNextPage) return ids;
        after = page.endCursor;
      }
    };
    const all = await readAll(null);
    expect(all).toEqual(isoOrders.map((o) => String(sandbox.store.orderIdByWorldKey.get(o.key))));
    const closed = await readAll(['CLOSED']);
    expect(closed.length).toBe(isoOrders.filter((o) => o.status === 'closed' || o.status === 'cancelled').length);
    const open = await readAll(['OPEN']);
    expect(new Set([...closed, ...open]).size).toBe(all.length);
  });
});

describe('quality', () => {
  it('finds parts by id and identification; a part newer than the index is fetched by id once', async () => {
    const runtime = makeRuntime(sandbox);
    const source = runtime.forRequest(scope) as Required<VendorSource>;
    const sku = isolocitySkus()[2];
    if (!sku) throw new Error('no SKU');
    const [byCode] = await source.quality.partsByIdentification([codeOf(sku.code)]);
    expect(byCode).toEqual({ vendor: 'ISOLOCITY', vendorId: partIdOf(sku.code), identification: codeOf(sku.code), name: sku.name, unitOfMeasure: sku.unitOfMeasure, isFinishedProduct: true });

    const created = await fetch(`${sandbox.url}${SANDBOX_BASE_PATH}/parts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${sandbox.credentials.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Fresh Part', identification: 'FRESH-1' }),
    });
    const newId = String(((await created.json()) as { data: { id: number } }).data.id);
    sandbox.stats.reset();
    const [old, fresh, none] = await source.quality.partsById([partIdOf(sku.code), newId, '999999']);
    expect(old).toEqual(byCode);
    expect(fresh).toMatchObject({ vendorId: newId, identification: 'FRESH-1' });
    expect(none).toBeNull();
    expect(calls()).toEqual({ 'GET /api/v2/parts/:id': 2 });
    sandbox.stats.reset();
    // The fetched part joined the index, by id and by code.
    expect((await runtime.forRequest(scope).quality?.partsByIdentification(['FRESH-1']))?.[0]?.vendorId).toBe(newId);
    expect(calls()).toEqual({});
  });

  it('serves inspections and NCRs of parts from one read of each list', async () => {
    const source = makeRuntime(sandbox).forRequest(scope) as Required<VendorSource>;
    const skus = isolocitySkus().slice(0, 20);
    const inspections = await source.quality.inspectionsByPartId(skus.map((s) => partIdOf(s.code)));
    skus.forEach((sku, i) => {
      const expected = world.inspections.filter((w) => w.skuCode === sku.code);
      expect(inspections[i]?.map((r) => [r.lotNumber, r.passed, r.sampleSize, r.partVendorId])).toEqual(expected.map((w) => [w.lotNumber, w.passed, w.sampleSize, partIdOf(sku.code)]));
    });
    const ncrs = await source.quality.ncrsByPartId(skus.map((s) => partIdOf(s.code)));
    skus.forEach((sku, i) => {
      expect(ncrs[i]?.map((n) => n.number)).toEqual(world.ncrs.filter((w) => w.skuCode === sku.code).map((w) => w.number));
    });
    expect(calls()).toEqual({ 'GET /api/v2/inspections': pagesOf(world.inspections.length), 'GET /api/v2/ncrs': pagesOf(world.ncrs.length) });

    sandbox.stats.reset();
    const firstInspection = inspections.flat()[0];
    const firstNcr = ncrs.flat()[0];
    if (!firstInspection || !firstNcr) throw new Error('world has no inspections or NCRs on these parts');
    const [inspection, noInspection] = await source.quality.inspectionsById([firstInspection.vendorId, '999999']);
    const [ncr] = await source.quality.ncrsById([firstNcr.vendorId]);
    expect(inspection).toEqual(firstInspection);
    expect(noInspection).toBeNull();
    expect(ncr).toEqual(firstNcr);
    // Only the unknown inspection id cost a call.
    expect(calls()).toEqual({ 'GET /api/v2/inspections/:id': 1 });
  });

  it('finds the NCRs of each lot with one keyword call per lot, matching the lot exactly, then from cache', async () => {
    const source = makeRuntime(sandbox).forRequest(scope) as Required<VendorSource>;
    const lots = [...new Set(world.ncrs.map((n) => n.lotNumber))].slice(0, 3);
    const found = await source.quality.ncrsByLot([...lots, 'LOT-NOPE']);
    lots.forEach((lot, i) => expect(found[i]?.map((n) => n.number)).toEqual(world.ncrs.filter((n) => n.lotNumber === lot).map((n) => n.number)));
    expect(found[3]).toEqual([]);
    expect(calls()).toEqual({ 'GET /api/v2/ncrs': 4 });
    sandbox.stats.reset();
    await source.quality.ncrsByLot(lots);
    expect(calls()).toEqual({});
  });

  it('lists NCRs through ISOlocity’s own filters and inspections a page at a time', async () => {
    const source = makeRuntime(sandbox).forRequest(scope) as Required<VendorSource>;
    const page = await source.quality.listNcrs({ first: 500, after: null }, { status: 'Open', source: 'internal', keyword: null });
    expect(page.items.map((n) => n.number)).toEqual(world.ncrs.filter((n) => n.status === 'Open' && n.source === 'internal').map((n) => n.number));
    expect(page.items.every((n) => n.source === 'Internal')).toBe(true);
    expect(page.hasNextPage).toBe(false);

    const first = await source.quality.listInspections({ first: 250, after: null });
    expect(first.items).toHaveLength(Math.min(250, world.inspections.length));
    const second = await source.quality.listInspections({ first: 250, after: first.endCursor });
    expect(first.items.length + second.items.length).toBe(Math.min(500, world.inspections.length));
    expect(new Set([...first.items, ...second.items].map((i) => i.vendorId)).size).toBe(first.items.length + second.items.length);
  });

  it('serves the quality index stale within its bound when ISOlocity fails, and says so', async () => {
    const runtime = makeRuntime(sandbox, { qualityMaxAgeMs: 30, staleMaxMs: 60_000 });
    const partId = partIdOf(isolocitySkus()[0]?.code as string);
    const before = await runtime.forRequest(scope).quality?.inspectionsByPartId([partId]);
    await sleep(50);
    sandbox.faults.add({ match: 'GET /api/v2/inspections', status: 503 });
    const after = await runtime.forRequest(scope).quality?.inspectionsByPartId([partId]);
    expect(after).toEqual(before);
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ vendor: 'isolocity', source: 'isolocity.inspections', reason: 'VENDOR_UNAVAILABLE' });
  });
});

describe('vendor failures', () => {
  it('turns a malformed body into VENDOR_BAD_RESPONSE and a refused token into VENDOR_AUTH_FAILED', async () => {
    sandbox.faults.add({ match: 'GET /api/v2/orders/', malformed: true });
    const source = makeRuntime(sandbox).forRequest(scope) as Required<VendorSource>;
    expect(errorCode(await source.orders.ordersById(['1']).catch((e: unknown) => e))).toBe('VENDOR_BAD_RESPONSE');

    const wrong = new VendorHttp({
      ...defaultHttpOptions('isolocity'),
      baseUrl: sandbox.url + SANDBOX_BASE_PATH,
      authHeaders: isolocityAuthHeaders({ baseUrl: sandbox.url, token: 'not-the-token' }),
    });
    https.push(wrong);
    const refused = createIsolocityRuntime({ http: wrong, freshness: FRESH }).forRequest(scope);
    const error = await refused.catalog.skusByCode(['X']).catch((e: unknown) => e);
    expect(errorCode(error)).toBe('VENDOR_AUTH_FAILED');
    expect(String(error)).not.toContain('not-the-token');
  });

  it('turns a body of the wrong shape into VENDOR_BAD_RESPONSE naming the route, not the data', async () => {
    // The inventory record of part 1 loses its part_id: opsgraph cannot place that stock.
    const record = sandbox.store.inventory.all()[0];
    if (!record) throw new Error('no inventory');
    const original = record.part_id;
    Object.assign(record, { part_id: 'not-an-id' });
    try {
      const error = await makeRuntime(sandbox).forRequest(scope).inventory.levelsByCode([codeOf(isolocitySkus()[0]?.code as string)]).catch((e: unknown) => e);
      expect(errorCode(error)).toBe('VENDOR_BAD_RESPONSE');
      expect(String(error)).toContain('GET /inventory');
      expect(String(error)).not.toContain('not-an-id');
    } finally {
      record.part_id = original;
    }
  });
});
