import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Crosswalk } from '../../src/catalog/crosswalk.js';
import type { VendorHttp } from '../../src/http/vendor-http.js';
import { openStore, type Store } from '../../src/store/index.js';
import { CATCH_UP_MAX_PAGES, RelationCatchUp } from '../../src/sync/catch-up.js';
import { readSyncStates, rowsByKey, writeSyncState, type SyncStateRow } from '../../src/sync/record-store.js';
import type { RelationPage, RelationSpec } from '../../src/sync/relation.js';

// The catch-up before a single-object read, on a real embedded store and a simulated clock: one
// increment read from the stored mark when the copy is older than the bound, none within it, one
// shared by concurrent callers, and the mark and time stored forwards only.

const MARK = '2026-01-01T00:00:00.000000Z';
let store: Store;
let dir: string;
let now: number;
let pages: { cursor: string | null; since: string | null; scope: unknown }[];
/** What the vendor answers to each page read, in turn (a page, or an error to throw). */
let answers: (RelationPage | Error)[];

const row = (key: string, updated: string) => ({ key, sortAt: updated, number: key, status: '', customer: '', parentKey: '', vendorUpdatedAt: updated, data: { key } });
const spec: RelationSpec = {
  relation: 'orders',
  source: 'GET /public/v1/orders',
  increments: 'filter',
  readPage: (ctx, cursor, since) => {
    pages.push({ cursor, since, scope: ctx.scope.call });
    const answer = answers.shift() ?? { rows: [], next: null, mark: null };
    return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
  },
};
// The spec above never touches the HTTP client: the catch-up only hands it on.
const http = {} as VendorHttp;
const synced = (): SyncStateRow => ({ vendor: 'DISTRU', relation: 'orders', state: 'current', highWater: MARK, resumeCursor: null, rows: 10, expectedRows: null, lastSyncedAt: 1_000_000, lastError: null, nextRunAt: 0 });
const catchUpOf = () => new RelationCatchUp({ db: store.db, settings: { crosswalk: new Crosswalk() }, maxAgeMs: { DISTRU: 2_000 }, now: () => now });

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'opsgraph-catch-up-'));
  store = await openStore({ dataDir: dir, databaseUrl: null });
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  now = 1_000_000;
  pages = [];
  answers = [];
  await writeSyncState(store.db, synced());
});

describe('RelationCatchUp', () => {
  it('reads the increment from the stored mark once the copy is older than the bound, and not again within it', async () => {
    const catchUp = catchUpOf();
    now += 1_500;
    expect(await catchUp.run('DISTRU', http, spec, synced(), {}, {})).toEqual({ kind: 'current', asOf: 1_000_000, caughtUp: false });
    expect(pages).toEqual([]);

    now += 1_000;
    answers = [{ rows: [row('o1', '2026-01-02T00:00:00.000000Z')], next: '2', mark: '2026-01-02T00:00:00.000000Z' }, { rows: [row('o2', '2026-01-03T00:00:00.000000Z')], next: null, mark: '2026-01-03T00:00:00.000000Z' }];
    expect(await catchUp.run('DISTRU', http, spec, synced(), { client: 'screen' }, {})).toEqual({ kind: 'current', asOf: 1_002_500, caughtUp: true });
    // Following next_page, from the mark, at interactive priority for the asking client.
    expect(pages.map(({ cursor, since }) => ({ cursor, since }))).toEqual([
      { cursor: null, since: MARK },
      { cursor: '2', since: MARK },
    ]);
    expect(pages[0]?.scope).toMatchObject({ priority: 'interactive', client: 'screen' });
    expect([...(await rowsByKey(store.db, 'DISTRU', 'orders', ['o1', 'o2'])).keys()].sort()).toEqual(['o1', 'o2']);
    const [state] = await readSyncStates(store.db);
    expect(state).toMatchObject({ highWater: '2026-01-03T00:00:00.000000Z', lastSyncedAt: 1_002_500, rows: 10 });

    now += 1_999;
    expect(await catchUp.run('DISTRU', http, spec, synced(), {}, {})).toMatchObject({ kind: 'current', caughtUp: false, asOf: 1_002_500 });
    expect(pages).toHaveLength(2);
  });

  it('makes one read for every caller that asks while it runs', async () => {
    const catchUp = catchUpOf();
    now += 5_000;
    const all = await Promise.all(Array.from({ length: 20 }, () => catchUp.run('DISTRU', http, spec, synced(), {}, {})));
    expect(pages).toHaveLength(1);
    expect(new Set(all.map((o) => JSON.stringify(o)))).toEqual(new Set([JSON.stringify({ kind: 'current', asOf: 1_005_000, caughtUp: true })]));
  });

  it('reports a failed read with the age of the copy held, storing nothing', async () => {
    const catchUp = catchUpOf();
    now += 5_000;
    const error = new Error('distru down');
    answers = [error];
    expect(await catchUp.run('DISTRU', http, spec, synced(), {}, {})).toEqual({ kind: 'failed', asOf: 1_000_000, error });
    expect((await readSyncStates(store.db))[0]).toMatchObject({ highWater: MARK, lastSyncedAt: 1_000_000 });
  });

  it(`leaves a copy more than ${CATCH_UP_MAX_PAGES} pages behind to the sync: single reads go live`, async () => {
    const catchUp = catchUpOf();
    now += 5_000;
    answers = Array.from({ length: CATCH_UP_MAX_PAGES + 1 }, (_, i) => ({ rows: [row(`p${i}`, '2026-01-04T00:00:00.000000Z')], next: String(i + 2), mark: '2026-01-04T00:00:00.000000Z' }));
    expect(await catchUp.run('DISTRU', http, spec, synced(), {}, {})).toEqual({ kind: 'live', why: 'too-far-behind' });
    expect(pages).toHaveLength(CATCH_UP_MAX_PAGES);
    // Not current: the mark and time stay where the last complete read left them.
    expect((await readSyncStates(store.db))[0]).toMatchObject({ highWater: MARK, lastSyncedAt: 1_000_000 });
  });

  it('goes live, reading nothing, for a relation never synced, one without a mark, and a vendor without a bound', async () => {
    const catchUp = catchUpOf();
    expect(await catchUp.run('DISTRU', http, spec, { ...synced(), lastSyncedAt: null }, {}, {})).toEqual({ kind: 'live', why: 'not-synced' });
    expect(await catchUp.run('DISTRU', http, spec, { ...synced(), highWater: null }, {}, {})).toEqual({ kind: 'live', why: 'no-mark' });
    expect(await catchUp.run('PHARUS', http, spec, synced(), {}, {})).toEqual({ kind: 'live', why: 'sync-off' });
    expect(catchUp.covers('PHARUS')).toBe(false);
    expect(pages).toEqual([]);
  });
});
