import { afterAll, beforeAll, expect, it } from 'vitest';
import { startDistruSandbox } from '../../sandbox/distru/index.js';
import type { DistruStore } from '../../sandbox/distru/store.js';
import type { SandboxHandle } from '../../sandbox/core/server.js';
import { generateWorld } from '../../sandbox/world/index.js';
import { Crosswalk } from '../../src/catalog/crosswalk.js';
import { defaultHttpOptions, VendorHttp } from '../../src/http/index.js';
import { PostgresLease } from '../../src/scale/sync-lease.js';
import { openStore, type Store } from '../../src/store/index.js';
import { DEFAULT_SYNC_SETTINGS, RELATIONS, SyncEngine } from '../../src/sync/index.js';
import { countRows, readSyncStates } from '../../src/sync/record-store.js';
import { distruAuthHeaders } from '../../src/vendors/distru/client.js';
import { startPostgres, type TestPostgres } from '../support/postgres.js';

// Issue 14 item 3 on real PostgreSQL, two engines in one process (two replicas' worth): the lease
// elects one to sync Distru; when it goes away mid-pass the other takes over within SYNC_LEASE_MS
// and continues from the stored cursor: no page read twice, none skipped, no row twice.

const PAGE_SIZE = 10;
const LEASE_MS = 600;

let pg: TestPostgres;
let distru: SandboxHandle<DistruStore>;
let url: string;
const cleanup: (() => Promise<void>)[] = [];

beforeAll(async () => {
  pg = await startPostgres();
  url = await pg.createDatabase();
  distru = await startDistruSandbox({ port: 0, world: generateWorld({ scale: 0.02 }) });
});
afterAll(async () => {
  for (const step of cleanup.reverse()) await step().catch(() => undefined);
  await distru?.close();
  await pg?.stop();
});

async function replica(holder: string): Promise<{ engine: SyncEngine; lease: PostgresLease; store: Store; close(): Promise<void> }> {
  const store = await openStore({ dataDir: '/unused', databaseUrl: url });
  const connection = { baseUrl: distru.url, token: distru.credentials.token };
  // No client-side budget here: the test is about who syncs and where it resumes, not the rate.
  const http = new VendorHttp({ ...defaultHttpOptions('distru'), rateLimit: undefined, baseUrl: connection.baseUrl, authHeaders: distruAuthHeaders(connection) });
  const lease = new PostgresLease({ databaseUrl: url, vendors: ['DISTRU'], leaseMs: LEASE_MS, holder });
  const engine = new SyncEngine({
    db: store.db,
    vendors: { DISTRU: { http, relations: RELATIONS.DISTRU } },
    settings: { ...DEFAULT_SYNC_SETTINGS, maxSleepMs: 50 },
    context: { crosswalk: new Crosswalk(), vendorSettings: { isolocity: { timeZone: 'UTC' }, distru: { maxPageSize: PAGE_SIZE } } },
    lease,
  });
  await lease.start();
  await engine.start();
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await engine.stop();
    await lease.close();
    await http.close();
    await store.close();
  };
  cleanup.push(close);
  return { engine, lease, store, close };
}

async function until(what: string, ok: () => boolean | Promise<boolean>, withinMs = 20_000): Promise<number> {
  const started = Date.now();
  while (!(await ok())) {
    if (Date.now() - started > withinMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return Date.now() - started;
}

it('a new sync leader resumes the pass of the one that went away from its stored cursor: no gap, no page twice, no duplicate row', async () => {
  distru.stats.reset();
  const a = await replica('a');
  await until('replica a leads Distru', () => a.lease.holds('DISTRU'));
  const b = await replica('b');
  expect(b.lease.holds('DISTRU')).toBe(false);
  // Let a read part of the batches (19 pages of 10), then take it away mid-pass.
  await until('a batches pass under way', async () => (await readSyncStates(a.store.db)).some((s) => s.relation === 'batches' && s.resumeCursor !== null && Number((JSON.parse(s.resumeCursor) as { cursor: string }).cursor) >= 3));
  await a.close();
  const handOver = await until('replica b takes over', () => b.lease.holds('DISTRU'));
  expect(handOver).toBeLessThanOrEqual(LEASE_MS + 500);
  await until('b completes the initial sync', () => b.engine.initialSyncDone());

  const requests = distru.stats.requests();
  const pagesOf = (route: string) => requests.filter((r) => r.route === route).map((r) => Number(new URLSearchParams(r.query).get('page[number]')));
  const vendor = distru.store;
  const lists: [string, string, number][] = [
    ['locations', '/public/v1/locations', vendor.locationList.length],
    ['companies', '/public/v1/companies', vendor.companyList.length],
    ['batches', '/public/v1/batches', vendor.batchList.length],
    ['orders', '/public/v1/orders', vendor.orders.size],
    ['invoices', '/public/v1/invoices', vendor.invoices.size],
    ['purchases', '/public/v1/purchases', vendor.purchases.size],
  ];
  for (const [relation, route, rows] of lists) {
    const pages = Math.ceil(rows / PAGE_SIZE);
    // Each page once, in order, across both replicas: b never went back to page 1 of the batches.
    expect({ relation, pages: pagesOf(route) }).toEqual({ relation, pages: Array.from({ length: pages }, (_, i) => i + 1) });
    expect({ relation, stored: await countRows(b.store.db, { relation: relation as never }) }).toEqual({ relation, stored: rows });
  }
  await b.close();
});
