import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxes, type Sandboxes } from '../../sandbox/index.js';
import type { DistruStore } from '../../sandbox/distru/store.js';
import type { LoggedRequest } from '../../sandbox/core/stats.js';
import { Crosswalk } from '../../src/catalog/crosswalk.js';
import { loadConfig } from '../../src/config.js';
import { openStore } from '../../src/store/index.js';
import { startGateway, type StartedGateway } from '../../src/server/gateway.js';
import { sandboxConnections } from '../../src/server/sandbox-wiring.js';
import { countRows, readSyncStates, rowsByKey } from '../../src/sync/record-store.js';
import type { OrderRecord } from '../../src/model/records.js';
import { DISTRU_ROUTE_OF } from '../support/distru-routes.js';
import { inRange, parseDateRange } from '../../sandbox/distru/datetime.js';

// The sync against a Distru as strict as the real one (pages of 25 whatever is asked, 429 past 2
// calls in any second), counting every call the sandbox received: the initial sync costs exactly
// its pages, a stop mid-pass resumes at its cursor, and later passes read only what changed.

const PAGE = 25;
/** Relations read by `updated_datetime=<mark>,` (batches and locations have no update time). */
const INCREMENTAL = ['companies', 'skus', 'orders', 'invoices', 'purchases'] as const;

let sandboxes: Sandboxes;
let dataDir: string;
let distru: DistruStore;
const env = () => ({ PORT: '0', HOST: '127.0.0.1', OPSGRAPH_DATA_DIR: dataDir, SYNC: 'on', SYNC_INTERVAL_MS: '600000', DISTRU_SYNC_REREAD_MS: '600000', LOG_LEVEL: 'silent' });
// Restarted at once: Distru's budget window starts full (a new process waits out its predecessor's
// second), so the strict sandbox never answers 429 and no call is repeated.
const start = () => startGateway(loadConfig(env()), { vendors: sandboxConnections(sandboxes), crosswalk: new Crosswalk() });
// The start-up check's probe (one location, `page[size]=1`) is not the sync's.
const log = () => sandboxes.handles.distru!.stats.requests().filter((r) => new URLSearchParams(r.query).get('page[size]') !== '1');

async function until(what: string, ok: () => boolean | Promise<boolean>, withinMs = 25_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!(await ok())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Whether Distru answers a record updated at `at` to `updated_datetime=<mark>,` (its own reading of the filter). */
function fromMark(at: number, mark: string): boolean {
  const range = parseDateRange(`${mark},`);
  if (!range) throw new Error(`not a mark: ${mark}`);
  return inRange(at, range);
}

function pageNumbers(requests: readonly LoggedRequest[], route: string): number[] {
  return requests.filter((r) => r.route === route).map((r) => Number(new URLSearchParams(r.query).get('page[number]') ?? '1'));
}

beforeAll(async () => {
  sandboxes = await startSandboxes({ only: ['distru'], strict: true, scale: 0.02, ports: { distru: 0 } });
  distru = sandboxes.handles.distru!.store as DistruStore;
  dataDir = mkdtempSync(path.join(tmpdir(), 'opsgraph-sync-'));
});
afterAll(async () => {
  await sandboxes?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('Distru sync against the strict sandbox', () => {
  let gateway: StartedGateway;

  it('the initial sync costs exactly its pages, and a restart mid-pass resumes at its cursor without re-reading page 1', async () => {
    sandboxes.handles.distru!.stats.reset();
    gateway = await start();
    // The gateway answers at once: /readyz says 503 with the sync's progress while the first pass runs.
    const early = await fetch(`${gateway.url}/readyz`);
    expect(early.status).toBe(503);
    expect(((await early.json()) as { vendors: { vendor: string; sync?: { state: string } }[] }).vendors.find((v) => v.vendor === 'DISTRU')?.sync?.state).toBe('initial');
    // Stop while the batches (8 pages of 25) are half read.
    await until('a batches pass under way', async () => (await readSyncStates(gateway.runtime.store.db)).some((s) => s.relation === 'batches' && s.resumeCursor !== null));
    await gateway.close();
    const stopped = await openStore({ dataDir, databaseUrl: null });
    const batches = (await readSyncStates(stopped.db)).find((s) => s.relation === 'batches');
    await stopped.close();
    expect(batches?.state).toBe('initial');
    expect(JSON.parse(batches!.resumeCursor!)).toMatchObject({ cursor: expect.stringMatching(/^[2-8]$/), full: true });

    gateway = await start();
    await until('the initial sync', () => gateway.runtime.sync.initialSyncDone());
    const requests = log();
    const db = gateway.runtime.store.db;
    // Every vendor row is stored, so the pages are ceil(rows / 25): each page number read once, in order.
    const expected: Record<string, number> = distru.listSizes();
    let pages = 0;
    for (const [relation, rows] of Object.entries(expected)) {
      const wanted = Math.max(1, Math.ceil(rows / PAGE));
      pages += wanted;
      expect({ relation, pages: pageNumbers(requests, DISTRU_ROUTE_OF[relation]!) }).toEqual({ relation, pages: Array.from({ length: wanted }, (_, i) => i + 1) });
      if (relation !== 'skus') expect({ relation, stored: await countRows(db, { relation: relation as never, vendors: ['DISTRU'] }) }).toEqual({ relation, stored: rows });
    }
    expect(requests).toHaveLength(pages);
    expect((await fetch(`${gateway.url}/readyz`)).status).toBe(200);
  });

  it('after N changed orders, a pass reads only the pages of what changed at or after its mark', async () => {
    const changed = [...distru.orders.values()].slice(0, 30);
    for (const order of changed) {
      order.status = 'CANCELED';
      order.updatedAt = distru.now();
    }
    sandboxes.handles.distru!.stats.reset();
    const before = gateway.runtime.sync.state('DISTRU', 'orders').lastSyncedAt;
    const mark = (await readSyncStates(gateway.runtime.store.db)).find((s) => s.relation === 'orders')?.highWater;
    gateway.runtime.sync.requestPass('DISTRU', 'orders');
    await until('the orders pass', () => gateway.runtime.sync.state('DISTRU', 'orders').lastSyncedAt !== before);
    // The vendor's own answer: the orders updated at or after the mark (the changed ones and those at the mark).
    const atOrAfter = [...distru.orders.values()].filter((o) => fromMark(o.updatedAt, mark!)).length;
    expect(atOrAfter).toBeGreaterThanOrEqual(30);
    const requests = log();
    expect(pageNumbers(requests, DISTRU_ROUTE_OF.orders!)).toEqual(Array.from({ length: Math.ceil(atOrAfter / PAGE) }, (_, i) => i + 1));
    expect(requests).toHaveLength(Math.ceil(atOrAfter / PAGE));
    expect(requests.every((r) => new URLSearchParams(r.query).get('updated_datetime')?.startsWith(mark!))).toBe(true);
    const stored = (await rowsByKey(gateway.runtime.store.db, 'DISTRU', 'orders', changed.map((o) => o.id))) as Map<string, OrderRecord>;
    expect([...stored.values()].map((o) => o.status)).toEqual(changed.map(() => 'CANCELLED'));
  });

  it('an order changed while a pass reads its pages is read by the next pass, never left behind the mark', async () => {
    // Distru lists orders newest first and pages by number: an order changed after page 1 was read
    // joins the increment on page 1 and is missed; one changed after it further down is read on a
    // later page, and its time carries the pass's mark past the first one's.
    const byPosition = [...distru.orderIndex.values()];
    const before = [...byPosition.slice(30, 90)];
    const missed = byPosition.slice(0, 20).filter((o) => o.status !== 'CANCELED').slice(0, 5);
    const last = byPosition[byPosition.length - 1]!;
    expect(missed).toHaveLength(5);
    for (const order of before) order.updatedAt = distru.now();
    sandboxes.handles.distru!.stats.reset();
    const firstPass = gateway.runtime.sync.state('DISTRU', 'orders').lastSyncedAt;
    gateway.runtime.sync.requestPass('DISTRU', 'orders');
    // Page 1 of the increment is read; the next pages wait for Distru's budget (2 calls a second).
    await until('page 1 of the orders increment', () => log().some((r) => r.route === DISTRU_ROUTE_OF.orders), 10_000);
    for (const order of missed) {
      order.status = 'CANCELED';
      order.updatedAt = distru.now();
    }
    last.updatedAt = distru.now();
    await until('the orders pass', () => gateway.runtime.sync.state('DISTRU', 'orders').lastSyncedAt !== firstPass);
    expect(pageNumbers(log(), DISTRU_ROUTE_OF.orders!).length).toBeGreaterThanOrEqual(3);
    const statusOf = async () => [...((await rowsByKey(gateway.runtime.store.db, 'DISTRU', 'orders', missed.map((o) => o.id))) as Map<string, OrderRecord>).values()].map((o) => o.status);
    // The pass did not see them (they joined pages it had read)...
    expect(await statusOf()).not.toContain('CANCELLED');
    // ...and the next one reads them: its mark is no later than Distru's clock (HTTP Date) when page 1 was served.
    const secondPass = gateway.runtime.sync.state('DISTRU', 'orders').lastSyncedAt;
    gateway.runtime.sync.requestPass('DISTRU', 'orders');
    await until('the next orders pass', () => gateway.runtime.sync.state('DISTRU', 'orders').lastSyncedAt !== secondPass);
    expect(await statusOf()).toEqual(missed.map(() => 'CANCELLED'));
  });

  it('records at a mark Distru’s clock has left behind are not read again: a pass that finds nothing new is one empty page', async () => {
    const orders = () => pageNumbers(log(), DISTRU_ROUTE_OF.orders!);
    const pass = async () => {
      sandboxes.handles.distru!.stats.reset();
      const before = gateway.runtime.sync.state('DISTRU', 'orders').lastSyncedAt;
      gateway.runtime.sync.requestPass('DISTRU', 'orders');
      await until('the orders pass', () => gateway.runtime.sync.state('DISTRU', 'orders').lastSyncedAt !== before);
    };
    const markOf = async () => (await readSyncStates(gateway.runtime.store.db)).find((s) => s.relation === 'orders')?.highWater;
    // 30 orders changed at once, as a bulk edit stamps many records alike.
    const at = distru.now();
    for (const order of [...distru.orders.values()].slice(-31, -1)) order.updatedAt = at;
    await pass();
    expect(orders().length).toBeGreaterThanOrEqual(2);
    // Right after they changed, their time is no later than Distru's clock less its margin: read again.
    await pass();
    expect(orders().length).toBeGreaterThanOrEqual(2);
    // Once Distru's clock is past it, nothing can be stamped with it any more: the mark moves just after it...
    distru.skipClock(10_000);
    await pass();
    expect(await markOf()).toBe(`${new Date(at).toISOString().slice(0, 23)}001Z`);
    // ...and the next pass, nothing having changed, is one empty page.
    await pass();
    expect(orders()).toEqual([1]);
    // A change after it is read.
    const later = [...distru.orders.values()].at(-1)!;
    later.status = 'CANCELED';
    later.updatedAt = distru.now();
    await pass();
    expect(orders()).toEqual([1]);
    expect(((await rowsByKey(gateway.runtime.store.db, 'DISTRU', 'orders', [later.id])).get(later.id) as OrderRecord).status).toBe('CANCELLED');
  });

  it('a restart with the same data directory reads only the increments, never a whole list again', async () => {
    await gateway.close();
    const changed = [...distru.invoices.values()].slice(0, 3);
    for (const invoice of changed) invoice.updatedAt = distru.now();
    sandboxes.handles.distru!.stats.reset();
    gateway = await start();
    // Ready at once: the store already holds a complete copy.
    expect((await fetch(`${gateway.url}/readyz`)).status).toBe(200);
    const marks = new Map((await readSyncStates(gateway.runtime.store.db)).map((s) => [s.relation, s.highWater]));
    const before = new Map(INCREMENTAL.map((r) => [r, gateway.runtime.sync.state('DISTRU', r).lastSyncedAt]));
    for (const relation of INCREMENTAL) gateway.runtime.sync.requestPass('DISTRU', relation);
    await until('the increments', () => INCREMENTAL.every((r) => gateway.runtime.sync.state('DISTRU', r).lastSyncedAt !== before.get(r)));
    const requests = log();
    const since = (relation: string, at: number) => fromMark(at, marks.get(relation as never)!);
    const expectedRows: Record<string, number> = {
      companies: distru.companyList.filter((c) => since('companies', c.updatedAt)).length,
      skus: distru.productList.filter((p) => since('skus', p.updatedAt)).length,
      orders: [...distru.orders.values()].filter((o) => since('orders', o.updatedAt)).length,
      invoices: [...distru.invoices.values()].filter((i) => since('invoices', i.updatedAt)).length,
      purchases: [...distru.purchases.values()].filter((p) => since('purchases', p.updatedAt)).length,
    };
    expect(expectedRows.invoices).toBeGreaterThanOrEqual(3);
    let total = 0;
    for (const relation of INCREMENTAL) {
      const wanted = Math.max(1, Math.ceil(expectedRows[relation]! / PAGE));
      total += wanted;
      expect({ relation, pages: pageNumbers(requests, DISTRU_ROUTE_OF[relation]!) }).toEqual({ relation, pages: Array.from({ length: wanted }, (_, i) => i + 1) });
    }
    expect(requests).toHaveLength(total);
    expect(total).toBeLessThan(10);
    await gateway.close();
  });
});
