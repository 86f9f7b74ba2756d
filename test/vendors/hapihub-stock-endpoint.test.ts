import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SourceScope } from '../../src/cache/scope.js';
import { VendorHttp, defaultHttpOptions } from '../../src/http/vendor-http.js';
import type { InventoryLevelRecord } from '../../src/model/records.js';
import type { FreshnessConfig } from '../../src/vendors/types.js';
import { createHapihubRuntime, hapihubAuthHeaders, SANDBOX_BASE_PATH, type HapihubRuntime } from '../../src/vendors/hapihub/index.js';
import { loadConfig } from '../../src/config.js';
import type { SandboxHandle } from '../../sandbox/core/server.js';
import { startHapihubSandbox, type HapihubStore } from '../../sandbox/hapihub/index.js';
import { generateWorld, type World } from '../../sandbox/world/index.js';

// HAPIHUB_STOCK_SOURCE=endpoint: the gateway reads HAPIHub's own GET /inventory-stocks instead of
// folding the transactions, over real HTTP against the sandbox in both list shapes; the sandbox's
// endpoint agrees with the fold of its transactions.

const FRESHNESS: FreshnessConfig = { liveStockMaxAgeMs: 60_000, referenceMaxAgeMs: 600_000, qualityMaxAgeMs: 60_000, staleMaxMs: 60_000, maxIndexEntries: 500_000 };
const STOCKS = 'GET /inventory-stocks';
const FIND = 'GET /inventory-transactions';
const AUTH = { authorization: 'Bearer dev-hapihub-token' };

let world: World;
let arrays: SandboxHandle<HapihubStore>;
let pages: SandboxHandle<HapihubStore>;
const opened: VendorHttp[] = [];
const scope: SourceScope = { call: {}, noteStale: () => undefined };

beforeAll(async () => {
  world = generateWorld({ scale: 0.2 });
  [arrays, pages] = await Promise.all([startHapihubSandbox({ port: 0, world }), startHapihubSandbox({ port: 0, world, paginate: { default: 10, max: 50 } })]);
});
afterAll(() => Promise.all([arrays.close(), pages.close()]));
afterEach(async () => {
  arrays.stats.reset();
  pages.stats.reset();
  await Promise.all(opened.splice(0).map((h) => h.close()));
});

function runtimeFor(sandbox: { url: string }, source: 'fold' | 'endpoint'): HapihubRuntime {
  const baseUrl = sandbox.url + SANDBOX_BASE_PATH;
  const http = new VendorHttp({ ...defaultHttpOptions('hapihub'), baseUrl, authHeaders: hapihubAuthHeaders({ baseUrl, token: 'dev-hapihub-token' }), retries: { max: 0, baseDelayMs: 10, maxDelayMs: 10 } });
  opened.push(http);
  return createHapihubRuntime({ http, freshness: FRESHNESS, hapihubStockSource: source });
}

const codes = () => world.skus.flatMap((s) => (s.vendorCodes.hapihub === undefined ? [] : [s.vendorCodes.hapihub])).slice(0, 60);
const rowsOf = (levels: readonly InventoryLevelRecord[][]) =>
  levels.map((list) => list.map((l) => `${l.vendorSkuCode}|${l.location?.id ?? ''}|${l.lotNumber ?? ''}|${l.onHand}`).sort());

describe('HAPIHUB_STOCK_SOURCE', () => {
  it('defaults to fold and accepts endpoint; anything else stops the gateway naming the setting', () => {
    expect(loadConfig({}).hapihubStockSource).toBe('fold');
    expect(loadConfig({ HAPIHUB_STOCK_SOURCE: 'endpoint' }).hapihubStockSource).toBe('endpoint');
    expect(() => loadConfig({ HAPIHUB_STOCK_SOURCE: 'ledger' })).toThrow(/HAPIHUB_STOCK_SOURCE/);
  });
});

describe('stock read from GET /inventory-stocks', () => {
  it('answers the same levels as the fold, in one call for a batch of codes, reading no transactions', async () => {
    const folded = await runtimeFor(arrays, 'fold').forRequest(scope).inventory.levelsByCode(codes());
    arrays.stats.reset();
    const read = await runtimeFor(arrays, 'endpoint').forRequest(scope).inventory.levelsByCode(codes());
    expect(rowsOf(read)).toEqual(rowsOf(folded));
    expect(read.flat().length).toBeGreaterThan(0);
    expect(arrays.stats.snapshot().requests).toEqual({ [STOCKS]: 1 });
  });

  it('pages a Feathers page object by what came back, to its total', async () => {
    const expected = await runtimeFor(arrays, 'endpoint').forRequest(scope).inventory.levelsByCode(codes());
    const rows = expected.flat().length;
    const read = await runtimeFor(pages, 'endpoint').forRequest(scope).inventory.levelsByCode(codes());
    expect(rowsOf(read)).toEqual(rowsOf(expected));
    expect(pages.stats.snapshot().requests).toEqual({ [STOCKS]: Math.ceil(rows / 50) });
  });

  it('shows a write at once (nothing is cached across requests), and a code HAPIHub does not carry has no levels', async () => {
    const runtime = runtimeFor(arrays, 'endpoint');
    const code = codes()[0] ?? '';
    const [before = []] = await runtime.forRequest(scope).inventory.levelsByCode([code]);
    const level = before[0];
    if (!level?.location) throw new Error('no level');
    const written = await fetch(`${arrays.url}/inventory-transactions`, {
      method: 'POST',
      headers: { ...AUTH, 'content-type': 'application/json' },
      body: JSON.stringify({ type: 'adjustment', warehouse: level.location.id, items: [{ sku: code, ...(level.lotNumber ? { control: level.lotNumber } : {}), adjustment: 2 }] }),
    });
    expect(written.status).toBe(200);
    const [after = []] = await runtime.forRequest(scope).inventory.levelsByCode([code]);
    expect(after.find((l) => l.location?.id === level.location?.id && l.lotNumber === level.lotNumber)?.onHand).toBe(String(Number(level.onHand) + 2));
    expect(await runtime.forRequest(scope).inventory.levelsByCode(['NO-SUCH-ITEM'])).toEqual([[]]);
    expect(arrays.stats.snapshot().requests[FIND]).toBeUndefined();
  });
});

describe('the sandbox’s GET /inventory-stocks', () => {
  it('serves one row per item, lot and warehouse equal to the fold, filtered by sku[$in], and refuses unknown parameters', async () => {
    const all = (await (await fetch(`${arrays.url}/inventory-stocks`, { headers: AUTH })).json()) as { sku: string; warehouse: string; control: string | null; quantity: number }[];
    const fold = arrays.store.stock();
    expect(all.length).toBe(fold.size);
    for (const row of all.slice(0, 200)) expect(row.quantity).toBe([...fold.values()].find((l) => l.sku === row.sku && l.warehouse === row.warehouse && l.control === row.control)?.quantity);
    const [a = '', b = ''] = codes();
    const some = (await (await fetch(`${arrays.url}/inventory-stocks?sku[$in][]=${a}&sku[$in][]=${b}`, { headers: AUTH })).json()) as { sku: string }[];
    expect(new Set(some.map((r) => r.sku))).toEqual(new Set([a, b]));
    expect(some.length).toBe(all.filter((r) => r.sku === a || r.sku === b).length);
    expect((await fetch(`${arrays.url}/inventory-stocks?colour=red`, { headers: AUTH })).status).toBe(400);
    expect((await fetch(`${arrays.url}/inventory-stocks`)).status).toBe(401);
  });
});
