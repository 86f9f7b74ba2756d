import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SourceScope, StaleNote } from '../../src/cache/scope.js';
import { errorCode } from '../../src/errors.js';
import { VendorHttp, defaultHttpOptions } from '../../src/http/vendor-http.js';
import type { InventoryLevelRecord } from '../../src/model/records.js';
import type { FreshnessConfig } from '../../src/vendors/types.js';
import { createHapihubRuntime, FIND_LIMIT, hapihubAuthHeaders, SANDBOX_BASE_PATH, type HapihubRuntime } from '../../src/vendors/hapihub/index.js';
import type { SandboxHandle } from '../../sandbox/core/server.js';
import { startHapihubSandbox, warehouseIdOf, type HapihubStore } from '../../sandbox/hapihub/index.js';
import { generateWorld, type World } from '../../sandbox/world/index.js';

// The HAPIHub data source over real HTTP against its sandbox, in both list shapes (bare arrays and
// Feathers pages of at most 50), counting the exact vendor calls each function costs.

const FRESHNESS: FreshnessConfig = { liveStockMaxAgeMs: 60_000, referenceMaxAgeMs: 600_000, qualityMaxAgeMs: 60_000, staleMaxMs: 60_000, maxIndexEntries: 500_000 };
const PAGE_MAX = 50;
const FIND = 'GET /inventory-transactions';

let world: World;
let arrays: SandboxHandle<HapihubStore>;
let pages: SandboxHandle<HapihubStore>;
const opened: VendorHttp[] = [];

beforeAll(async () => {
  world = generateWorld({ scale: 0.2 });
  [arrays, pages] = await Promise.all([startHapihubSandbox({ port: 0, world }), startHapihubSandbox({ port: 0, world, paginate: { default: 10, max: PAGE_MAX } })]);
});
afterAll(() => Promise.all([arrays.close(), pages.close()]));
afterEach(async () => {
  arrays.faults.clear();
  pages.faults.clear();
  await Promise.all(opened.splice(0).map((h) => h.close()));
});

function runtimeFor(sandbox: { url: string }, freshness: Partial<FreshnessConfig> = {}, token = 'dev-hapihub-token'): HapihubRuntime {
  const baseUrl = sandbox.url + SANDBOX_BASE_PATH;
  const http = new VendorHttp({
    ...defaultHttpOptions('hapihub'),
    baseUrl,
    authHeaders: hapihubAuthHeaders({ baseUrl, token }),
    timeoutMs: 2_000,
    deadlineMs: 5_000,
    retries: { max: 0, baseDelayMs: 10, maxDelayMs: 10 },
    // Off, so that the fold's own single-flight is what the concurrency test sees.
    coalesce: false,
  });
  opened.push(http);
  return createHapihubRuntime({ http, freshness: { ...FRESHNESS, ...freshness } });
}

function scope(notes: StaleNote[] = []): SourceScope {
  return { call: {}, noteStale: (note) => notes.push(note) };
}

/** Vendor finds since the last call of this function, read from the sandbox's own stats hook. */
async function finds(sandbox: SandboxHandle<HapihubStore>): Promise<number> {
  const stats = (await (await fetch(`${sandbox.url}/__sandbox/stats`)).json()) as { requests: Record<string, number> };
  await fetch(`${sandbox.url}/__sandbox/stats`, { method: 'DELETE' });
  return stats.requests[FIND] ?? 0;
}

async function post(sandbox: SandboxHandle<HapihubStore>, method: 'POST' | 'PATCH', path: string, body: unknown): Promise<{ id: string }> {
  const response = await fetch(sandbox.url + path, { method, headers: { authorization: 'Bearer dev-hapihub-token', 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(response.status).toBe(200);
  return (await response.json()) as { id: string };
}

/** The world's hapihub stock of one canonical SKU, as the levels the gateway should report. */
function worldLevels(canonical: string): { warehouse: string; lot: string; onHand: string }[] {
  return world.stock
    .filter((s) => s.vendor === 'hapihub' && s.skuCode === canonical)
    .map((s) => ({ warehouse: warehouseIdOf(s.locationKey), lot: s.lotNumber, onHand: String(s.quantity) }))
    .sort((a, b) => `${a.warehouse}${a.lot}`.localeCompare(`${b.warehouse}${b.lot}`));
}
const asRows = (levels: readonly InventoryLevelRecord[]) =>
  levels.map((l) => ({ warehouse: l.location?.id ?? '', lot: l.lotNumber ?? '', onHand: l.onHand })).sort((a, b) => `${a.warehouse}${a.lot}`.localeCompare(`${b.warehouse}${b.lot}`));

const carried = () => world.skus.filter((s) => s.vendorCodes.hapihub !== undefined);
const ownSpelling = () => carried().find((s) => s.vendorCodes.hapihub !== s.code);
const arrayPages = (n: number) => Math.floor(n / FIND_LIMIT) + 1;
const objectPages = (n: number) => Math.ceil(n / PAGE_MAX);

describe('HAPIHub inventory: the fold of the transactions', () => {
  it('equals the world’s hapihub stock for 1 code and for 50 codes, each for one read of the transactions', async () => {
    await finds(arrays);
    const own = ownSpelling();
    const one = await runtimeFor(arrays).forRequest(scope()).inventory.levelsByCode([own?.vendorCodes.hapihub ?? '']);
    expect(asRows(one[0] ?? [])).toEqual(worldLevels(own?.code ?? ''));
    expect(one[0]?.[0]).toMatchObject({ vendor: 'HAPIHUB', vendorSkuCode: own?.vendorCodes.hapihub, available: null, location: { name: null } });
    expect(await finds(arrays)).toBe(arrayPages(arrays.store.all().length));

    const fifty = carried().slice(0, 50);
    const many = await runtimeFor(arrays).forRequest(scope()).inventory.levelsByCode(fifty.map((s) => s.vendorCodes.hapihub ?? ''));
    fifty.forEach((sku, i) => expect(asRows(many[i] ?? [])).toEqual(worldLevels(sku.code)));
    expect(await finds(arrays)).toBe(arrayPages(arrays.store.all().length));
  });

  it('costs no vendor call for a later request within liveStockMaxAgeMs, and one read for concurrent cold requests', async () => {
    const runtime = runtimeFor(arrays);
    await finds(arrays);
    const code = carried()[0]?.vendorCodes.hapihub ?? '';
    await Promise.all([runtime.forRequest(scope()).inventory.levelsByCode([code]), runtime.forRequest(scope()).catalog.skusByCode([code])]);
    expect(await finds(arrays)).toBe(1);
    await runtime.forRequest(scope()).inventory.levelsByCode([code]);
    expect(await finds(arrays)).toBe(0);
  });

  it('answers codes HAPIHub has never seen with no levels, in key order', async () => {
    const code = carried()[1]?.vendorCodes.hapihub ?? '';
    const [unknown, known, canonicalOfOwn] = await runtimeFor(arrays).forRequest(scope()).inventory.levelsByCode(['NOPE-1', code, ownSpelling()?.code ?? '']);
    expect(unknown).toEqual([]);
    expect(known?.length).toBeGreaterThan(0);
    expect(canonicalOfOwn).toEqual([]);
  });

  it('reads Feathers page objects page by page, by the vendor’s own maximum, to the same stock', async () => {
    await finds(pages);
    const sku = carried()[2];
    const [levels] = await runtimeFor(pages).forRequest(scope()).inventory.levelsByCode([sku?.vendorCodes.hapihub ?? '']);
    expect(asRows(levels ?? [])).toEqual(worldLevels(sku?.code ?? ''));
    expect(await finds(pages)).toBe(objectPages(pages.store.all().length));
  });

  it('refreshes with only the transactions created since, once stock is older than liveStockMaxAgeMs', async () => {
    const runtime = runtimeFor(pages, { liveStockMaxAgeMs: 0 });
    const sku = carried()[3];
    const code = sku?.vendorCodes.hapihub ?? '';
    const before = (await runtime.forRequest(scope()).inventory.levelsByCode([code]))[0] ?? [];
    const level = before[0];
    await finds(pages);
    await post(pages, 'POST', '/inventory-transactions', { type: 'sales', warehouse: level?.location?.id, items: [{ sku: code, control: level?.lotNumber, quantity: 2 }] });
    await finds(pages);
    const after = (await runtime.forRequest(scope()).inventory.levelsByCode([code]))[0] ?? [];
    // One page of news, where a rebuild would cost every page.
    expect(await finds(pages)).toBe(1);
    const moved = after.find((l) => l.location?.id === level?.location?.id && l.lotNumber === level?.lotNumber);
    expect(Number(moved?.onHand)).toBe(Number(level?.onHand) - 2);
  });

  it('rebuilds the whole fold after referenceMaxAgeMs, which is how a patched old transaction shows', async () => {
    const target = arrays.store.all().find((t) => t.type === 'receiving' && t.items.length === 1);
    const item = target?.items[0];
    const code = item?.sku ?? '';
    const incremental = runtimeFor(arrays, { liveStockMaxAgeMs: 0 });
    const rebuilding = runtimeFor(arrays, { liveStockMaxAgeMs: 0, referenceMaxAgeMs: 0 });
    const levelOf = async (runtime: HapihubRuntime) =>
      ((await runtime.forRequest(scope()).inventory.levelsByCode([code]))[0] ?? []).find((l) => l.location?.id === target?.warehouse && l.lotNumber === item?.control)?.onHand;
    const original = await levelOf(incremental);
    expect(await levelOf(rebuilding)).toBe(original);

    await post(arrays, 'PATCH', `/inventory-transactions/${target?.id}`, { items: [{ ...item, quantity: (item?.quantity ?? 0) + 5 }] });
    try {
      await finds(arrays);
      expect(await levelOf(incremental)).toBe(original);
      expect(await levelOf(rebuilding)).toBe(String(Number(original) + 5));
      expect(await finds(arrays)).toBe(1 + arrayPages(arrays.store.all().length));
    } finally {
      await post(arrays, 'PATCH', `/inventory-transactions/${target?.id}`, { items: [item] });
    }
  });

  it('sums quantities exactly, as decimals', async () => {
    const code = carried()[4]?.vendorCodes.hapihub ?? '';
    const warehouse = warehouseIdOf('LOC-4');
    for (const quantity of [0.1, 0.2]) await post(arrays, 'POST', '/inventory-transactions', { type: 'receiving', warehouse, items: [{ sku: code, control: 'LOT-DECIMAL', quantity }] });
    const [levels] = await runtimeFor(arrays).forRequest(scope()).inventory.levelsByCode([code]);
    expect(levels?.find((l) => l.lotNumber === 'LOT-DECIMAL')?.onHand).toBe('0.3');
  });
});

describe('HAPIHub catalog: the items seen in transactions', () => {
  it('finds a SKU by HAPIHub’s own code with its name, and nothing by another spelling', async () => {
    const own = ownSpelling();
    const [found, canonical, unknown] = await runtimeFor(arrays).forRequest(scope()).catalog.skusByCode([own?.vendorCodes.hapihub ?? '', own?.code ?? '', 'NOPE']);
    expect(found).toEqual({ vendor: 'HAPIHUB', vendorId: own?.vendorCodes.hapihub, code: own?.vendorCodes.hapihub, name: own?.name });
    expect(canonical).toBeNull();
    expect(unknown).toBeNull();
  });

  it('lists every SKU HAPIHub carries once, in code order, page after page from one read', async () => {
    const runtime = runtimeFor(pages);
    await finds(pages);
    const codes: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page = await runtime.forRequest(scope()).catalog.listSkus({ first: 7, after });
      codes.push(...page.items.map((s) => s.code));
      after = page.endCursor;
      if (!page.hasNextPage) break;
    }
    const expected = carried()
      .map((s) => s.vendorCodes.hapihub ?? '')
      .sort();
    expect(codes).toEqual(expected);
    expect(await finds(pages)).toBe(objectPages(pages.store.all().length));
  });
});

describe('HAPIHub failures', () => {
  it('never serves live stock older than its bound when HAPIHub fails, but serves the catalog stale within staleMaxMs', async () => {
    const code = carried()[0]?.vendorCodes.hapihub ?? '';
    const tolerant = runtimeFor(arrays, { liveStockMaxAgeMs: 0, referenceMaxAgeMs: 0 });
    const strict = runtimeFor(arrays, { liveStockMaxAgeMs: 0, referenceMaxAgeMs: 0, staleMaxMs: 0 });
    await tolerant.forRequest(scope()).inventory.levelsByCode([code]);
    const known = await tolerant.forRequest(scope()).catalog.skusByCode([code]);
    await strict.forRequest(scope()).inventory.levelsByCode([code]);
    await new Promise((resolve) => setTimeout(resolve, 5));
    arrays.faults.add({ match: FIND, status: 503 });
    const stockError = await tolerant.forRequest(scope()).inventory.levelsByCode([code]).catch((e: unknown) => e);
    expect(errorCode(stockError)).toBe('VENDOR_UNAVAILABLE');
    const notes: StaleNote[] = [];
    expect(await tolerant.forRequest(scope(notes)).catalog.skusByCode([code])).toEqual(known);
    expect(notes).toEqual([{ vendor: 'hapihub', source: 'hapihub.stockFold', ageMs: expect.any(Number), reason: 'VENDOR_UNAVAILABLE' }]);
    const catalogError = await strict.forRequest(scope()).catalog.skusByCode([code]).catch((e: unknown) => e);
    expect(errorCode(catalogError)).toBe('VENDOR_UNAVAILABLE');
  });

  it('reports a body that is not JSON, or not HAPIHub’s shape, as VENDOR_BAD_RESPONSE', async () => {
    arrays.faults.add({ match: FIND, malformed: true });
    const malformed = await runtimeFor(arrays).forRequest(scope()).inventory.levelsByCode(['X']).catch((e: unknown) => e);
    expect(errorCode(malformed)).toBe('VENDOR_BAD_RESPONSE');

    const impostor: Server = createServer((_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('[{"id": 5, "createdAt": "yesterday"}]'));
    await new Promise<void>((resolve) => impostor.listen(0, '127.0.0.1', resolve));
    try {
      const error = await runtimeFor({ url: `http://127.0.0.1:${(impostor.address() as AddressInfo).port}` })
        .forRequest(scope())
        .inventory.levelsByCode(['X'])
        .catch((e: unknown) => e);
      expect(errorCode(error)).toBe('VENDOR_BAD_RESPONSE');
      expect(String(error)).toMatch(/GET \/inventory-transactions/);
    } finally {
      await new Promise((resolve) => impostor.close(resolve));
    }
  });

  it('reports a refused token as VENDOR_AUTH_FAILED', async () => {
    const error = await runtimeFor(arrays, {}, 'wrong-token').forRequest(scope()).catalog.skusByCode(['X']).catch((e: unknown) => e);
    expect(errorCode(error)).toBe('VENDOR_AUTH_FAILED');
  });

  it('refuses to hold a fold larger than maxIndexEntries, naming the setting', async () => {
    const error = await runtimeFor(pages, { maxIndexEntries: 100 }).forRequest(scope()).inventory.levelsByCode(['X']).catch((e: unknown) => e);
    expect(errorCode(error)).toBe('VENDOR_UNAVAILABLE');
    expect(String(error)).toMatch(/MAX_INDEX_ENTRIES/);
  });
});
