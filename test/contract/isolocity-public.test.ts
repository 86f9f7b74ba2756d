import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SourceScope } from '../../src/cache/scope.js';
import { defaultHttpOptions, VendorHttp } from '../../src/http/vendor-http.js';
import { toUtcIso } from '../../src/model/time.js';
import { createIsolocityRuntime, isolocityAuthHeaders, SANDBOX_BASE_PATH } from '../../src/vendors/isolocity/index.js';
import { DEFAULT_ISOLOCITY_PATHS, type IsolocityPaths } from '../../src/vendors/isolocity/paths.js';
import { DEFAULT_VENDOR_SETTINGS, type FreshnessConfig, type VendorSource } from '../../src/vendors/types.js';
import type { SandboxHandle } from '../../sandbox/core/server.js';
import { startIsolocitySandbox, type IsolocityStore } from '../../sandbox/isolocity/index.js';
import { generateWorld } from '../../sandbox/world/index.js';
import { isolocityPublicFixture, publicParts, SAMPLE_TIME, type IsolocityFixtureOptions } from './fixtures/isolocity-public.js';
import { startFixture, type FixtureServer } from './fixtures/server.js';

// ISOlocity facts pinned against a fixture that answers exactly as https://docs.isolocity.com shows
// (meta {current_page, from, to, total, per_page}, no last_page; "2020-01-01 12:00:00" timestamps),
// and against the sandbox, which must answer the same way.

const FRESH: FreshnessConfig = { liveStockMaxAgeMs: 5_000, referenceMaxAgeMs: 60_000, qualityMaxAgeMs: 60_000, staleMaxMs: 60_000, maxIndexEntries: 100_000 };
const scope: SourceScope = { call: {}, noteStale: () => undefined };
const https: VendorHttp[] = [];
const fixtures: FixtureServer[] = [];

function sourceOver(baseUrl: string, settings: { timeZone?: string; paths?: IsolocityPaths; token?: string } = {}): VendorSource {
  const http = new VendorHttp({
    ...defaultHttpOptions('isolocity'),
    baseUrl,
    authHeaders: isolocityAuthHeaders({ baseUrl, token: settings.token ?? 'token' }),
    timeoutMs: 2_000,
    retries: { max: 0, baseDelayMs: 5, maxDelayMs: 20 },
  });
  https.push(http);
  const runtime = createIsolocityRuntime({ http, freshness: FRESH, settings: { ...DEFAULT_VENDOR_SETTINGS, isolocity: { timeZone: settings.timeZone ?? 'UTC', ...(settings.paths ? { paths: settings.paths } : {}) } } });
  return runtime.forRequest(scope);
}

async function fixture(options: IsolocityFixtureOptions): Promise<FixtureServer> {
  const server = await startFixture(isolocityPublicFixture(options));
  fixtures.push(server);
  return server;
}

/** `page=…&per_page=…` of every list request the fixture saw, in order. */
const pagesAsked = (server: FixtureServer, path: string) => server.requests.filter((r) => r.path === path).map((r) => `${r.query.get('page')}/${r.query.get('per_page')}`);

afterAll(async () => {
  await Promise.all(https.map((h) => h.close()));
  await Promise.all(fixtures.map((f) => f.close()));
});

describe('ISOlocity list meta as the public page shows it (no last_page)', () => {
  it('reads a whole list by total and per_page: exactly the pages that hold rows', async () => {
    const server = await fixture({ lists: { '/parts': publicParts(450) } });
    const source = sourceOver(server.url);
    const found = await source.catalog.skusByCode(['P-00001', 'P-00450', 'P-00451']);
    expect(found.map((s) => s?.vendorId ?? null)).toEqual(['1', '450', null]);
    expect(pagesAsked(server, '/parts').sort()).toEqual(['1/200', '2/200', '3/200']);
  });

  it('without total, reads one page after another until a short page', async () => {
    const server = await fixture({ lists: { '/parts': publicParts(450) }, withoutTotal: true });
    const found = await sourceOver(server.url).catalog.skusByCode(['P-00450']);
    expect(found[0]?.vendorId).toBe('450');
    expect(pagesAsked(server, '/parts')).toEqual(['1/200', '2/200', '3/200']);
  });

  it('without total, a list that ends on a full page ends at the next, empty page', async () => {
    const server = await fixture({ lists: { '/parts': publicParts(400) }, withoutTotal: true });
    const found = await sourceOver(server.url).catalog.skusByCode(['P-00400']);
    expect(found[0]?.vendorId).toBe('400');
    expect(pagesAsked(server, '/parts')).toEqual(['1/200', '2/200', '3/200']);
  });

  it('follows a vendor that cuts per_page: the whole list at its size, and a page from the rows it did send', async () => {
    const server = await fixture({ lists: { '/parts': publicParts(120) }, maxPerPage: 50 });
    const source = sourceOver(server.url);
    const found = await source.catalog.skusByCode(['P-00120']);
    expect(found[0]?.vendorId).toBe('120');
    expect(pagesAsked(server, '/parts').sort()).toEqual(['1/200', '2/50', '3/50']);

    server.requests.length = 0;
    const first = await source.catalog.listSkus({ first: 20, after: null });
    expect(first.items.map((s) => s.code)).toEqual(publicParts(20).map((p) => p.identification));
    expect(first.hasNextPage).toBe(true);
    // The first page came back with 50 rows instead of 200: they hold rows 1-20, no second call.
    expect(pagesAsked(server, '/parts')).toEqual(['1/200']);

    const all: string[] = [...first.items.map((s) => s.code)];
    let after = first.endCursor;
    for (let guard = 0; after !== null && guard < 10; guard++) {
      const next = await source.catalog.listSkus({ first: 20, after });
      all.push(...next.items.map((s) => s.code));
      after = next.hasNextPage ? next.endCursor : null;
    }
    expect(all).toEqual(publicParts(120).map((p) => p.identification));
  });

  it('pages a connection without total: hasNextPage while pages come full, none after a short one', async () => {
    const server = await fixture({ lists: { '/parts': publicParts(30) }, withoutTotal: true, maxPerPage: 20 });
    const source = sourceOver(server.url);
    const first = await source.catalog.listSkus({ first: 20, after: null });
    expect(first.items).toHaveLength(20);
    expect(first.hasNextPage).toBe(true);
    const second = await source.catalog.listSkus({ first: 20, after: first.endCursor });
    expect(second.items.map((s) => s.code)).toEqual(publicParts(30).slice(20).map((p) => p.identification));
    expect(second.hasNextPage).toBe(false);
  });
});

describe("ISOlocity's zone-less timestamps", () => {
  const inspections = [{ id: 7, entity_id: 1, entity_type: 'part', sample_size: 2, passed: true, created_at: SAMPLE_TIME, updated_at: SAMPLE_TIME }];

  it('are read in UTC by default, whatever the host zone', async () => {
    const server = await fixture({ lists: { '/inspections': inspections } });
    const [found] = await sourceOver(server.url).quality!.inspectionsById(['7']);
    expect(found?.inspectedAt).toBe('2020-01-01T12:00:00.000Z');
  });

  it('are read in ISOLOCITY_TIMEZONE when set', async () => {
    const server = await fixture({ lists: { '/inspections': inspections } });
    const [found] = await sourceOver(server.url, { timeZone: 'America/Chicago' }).quality!.inspectionsById(['7']);
    expect(found?.inspectedAt).toBe('2020-01-01T18:00:00.000Z');
  });
});

describe('ISOlocity paths from a table', () => {
  it('calls the paths an ISOLOCITY_PATHS_FILE table names instead of the built-in ones', async () => {
    const server = await fixture({ lists: { '/parts': publicParts(3) }, rename: { '/parts': '/part-master' } });
    const paths: IsolocityPaths = { ...DEFAULT_ISOLOCITY_PATHS, listParts: 'GET /part-master', getPart: 'GET /part-master/{id}' };
    const source = sourceOver(server.url, { paths });
    expect((await source.catalog.skusByCode(['P-00002']))[0]?.vendorId).toBe('2');
    expect((await source.quality!.partsById(['3', '99'])).map((p) => p?.identification ?? null)).toEqual(['P-00003', null]);
    expect(server.requests.map((r) => r.path)).toEqual(['/part-master', '/part-master/99']);
  });
});

describe('the ISOlocity sandbox answers the same way', () => {
  let sandbox: SandboxHandle<IsolocityStore>;
  beforeAll(async () => {
    sandbox = await startIsolocitySandbox({ port: 0, world: generateWorld({ scale: 0.2 }) });
  });
  afterEach(() => sandbox.stats.reset());
  afterAll(() => sandbox.close());

  it('reads every part through meta without last_page, one call per page of 200', async () => {
    const source = sourceOver(sandbox.url + SANDBOX_BASE_PATH, { token: sandbox.credentials.token });
    const parts = sandbox.store.parts.all();
    const found = await source.catalog.skusByCode([parts[0]!.identification, parts[parts.length - 1]!.identification]);
    expect(found.every((p) => p !== null)).toBe(true);
    expect(sandbox.stats.snapshot().requests['GET /api/v2/parts']).toBe(Math.ceil(parts.length / 200));
  });

  it("reads the sandbox's `Y-m-d H:i:s` in the configured zone", async () => {
    const inspection = sandbox.store.inspections.all()[0]!;
    expect(inspection.created_at).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    const [utc] = await sourceOver(sandbox.url + SANDBOX_BASE_PATH, { token: sandbox.credentials.token }).quality!.inspectionsById([String(inspection.id)]);
    const [chicago] = await sourceOver(sandbox.url + SANDBOX_BASE_PATH, { timeZone: 'America/Chicago', token: sandbox.credentials.token }).quality!.inspectionsById([String(inspection.id)]);
    expect(utc?.inspectedAt).toBe(`${inspection.created_at.replace(' ', 'T')}.000Z`);
    expect(chicago?.inspectedAt).toBe(toUtcIso(inspection.created_at, 'America/Chicago'));
    expect(Date.parse(chicago!.inspectedAt!) - Date.parse(utc!.inspectedAt!)).toBeGreaterThanOrEqual(5 * 3_600_000);
  });
});
