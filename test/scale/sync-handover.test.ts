import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSandboxes, type Sandboxes } from '../../sandbox/index.js';
import type { DistruStore } from '../../sandbox/distru/store.js';
import { openStore, type Store } from '../../src/store/index.js';
import { readSyncStates, type SyncedRelation, type SyncStateRow } from '../../src/sync/record-store.js';
import type { GatewayProcess } from '../support/gateway-process.js';
import { startPostgres, type TestPostgres } from '../support/postgres.js';
import { startRedis, type TestRedis } from '../support/redis.js';
import { replicaEnv, startReplicas } from '../support/replicas.js';
import { DISTRU_ROUTE_OF } from '../support/distru-routes.js';

/**
 * Issue 14 item 6, "killing the sync leader hands the sync to another replica within the lease", with
 * real processes: three gateways with SYNC=on on one PostgreSQL and one Redis, against a Distru as
 * strict as the real one (pages of 25 whatever is asked, 429 past 2 calls in any second). The leader
 * is SIGKILLed in the middle of a multi-page pass; a survivor must take the lease within
 * SYNC_LEASE_MS, continue at the stored cursor (page 1 is not read again, and no page twice but the
 * one the dead leader was reading), and leave every Distru record in the store exactly once.
 */
const LEASE_MS = 2_400;
/**
 * Measured from the kill to a survivor's /readyz naming itself leader: the survivors try every
 * LEASE_MS / 3, and PostgreSQL frees the dead leader's lock as soon as its socket closes; the margin
 * is for the survivor's own round trips and the /readyz polls on a loaded 2-core machine.
 */
const MARGIN_MS = 1_000;
/** The strict sandbox's page size (whatever the gateway asks). */
const PAGE = 25;

let sandboxes: Sandboxes;
let distru: DistruStore;
let pg: TestPostgres;
let redis: TestRedis;
let store: Store;
const replicas: GatewayProcess[] = [];

beforeAll(async () => {
  // Scale 1: 65 pages of 25 at 2 calls a second, over half a minute of initial sync.
  [sandboxes, pg, redis] = await Promise.all([startSandboxes({ only: ['distru'], strict: true, scale: 1, ports: { distru: 0 } }), startPostgres(), startRedis()]);
  distru = sandboxes.handles.distru!.store as DistruStore;
  const databaseUrl = await pg.createDatabase();
  const env = replicaEnv(sandboxes, { databaseUrl, redisUrl: redis.url, replicas: 3 }, {
    SYNC: 'on',
    SYNC_LEASE_MS: String(LEASE_MS),
    // One pass per relation in this test: the initial sync, nothing due again while it runs.
    SYNC_INTERVAL_MS: '600000',
    DISTRU_SYNC_REREAD_MS: '600000',
    LOG_LEVEL: 'info',
  });
  // All at once, as `docker compose up` starts them. Meanwhile Distru answers each call after 1.5 s
  // (about 100 s for the 65 pages instead of 33), so the first leader's initial pass is still under
  // way when the last replica is up, however unevenly a loaded machine starts them; then at full speed.
  const handle = sandboxes.handles.distru!;
  handle.faults.add({ match: '*', latencyMs: 1_500 });
  try {
    await startReplicas(3, env, replicas, { together: true, readyWithinMs: 180_000 });
  } finally {
    handle.faults.clear();
  }
  store = await openStore({ dataDir: '/unused', databaseUrl });
}, 300_000);

afterAll(async () => {
  await Promise.all(replicas.map((r) => r.kill()));
  await store?.close();
  await Promise.all([sandboxes?.close(), pg?.stop(), redis?.close()]);
});

interface DistruReadiness {
  status: number;
  sync: { state: string; leader: boolean } | undefined;
}

async function distruReadiness(replica: GatewayProcess): Promise<DistruReadiness> {
  const response = await fetch(replica.graphqlUrl.replace(/\/graphql$/, '/readyz'));
  const body = (await response.json()) as { vendors: { vendor: string; sync?: DistruReadiness['sync'] }[] };
  return { status: response.status, sync: body.vendors.find((v) => v.vendor === 'DISTRU')?.sync };
}

/** Polls every 50 ms until `found` gives a value, for at most `withinMs`. */
async function until<T>(what: string, found: () => Promise<T | null | undefined>, withinMs: number): Promise<T> {
  const deadline = Date.now() + withinMs;
  for (;;) {
    const value = await found();
    if (value !== null && value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${withinMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const cursorOf = (state: SyncStateRow) => (state.resumeCursor ? Number((JSON.parse(state.resumeCursor) as { cursor: string }).cursor) : null);

/** The keys the sandbox holds per relation: what the store must hold once, no more. */
function vendorKeys(): Record<string, string[]> {
  return {
    locations: distru.locationList.map((l) => l.id),
    companies: distru.companyList.map((c) => c.id),
    // A product without a SKU code is not stored as a SKU (src/sync/relations/distru.ts).
    skus: distru.productList.filter((p) => p.sku).map((p) => p.id),
    batches: distru.batchList.map((b) => b.id),
    orders: [...distru.orders.values()].map((o) => o.id),
    invoices: [...distru.invoices.values()].map((i) => i.id),
    purchases: [...distru.purchases.values()].map((p) => p.id),
  };
}

it('hands the Distru sync to a surviving replica within SYNC_LEASE_MS when the leader is SIGKILLed mid-pass; it resumes at the stored cursor and every record is stored once', async () => {
  const pagesOf = Object.fromEntries(Object.entries(vendorKeys()).map(([relation, keys]) => [relation, Math.max(1, Math.ceil(keys.length / PAGE))]));

  // Exactly one replica says it leads the Distru sync, and the lease table names its process.
  const leader = await until(
    'one Distru sync leader',
    async () => {
      const states = await Promise.all(replicas.map(distruReadiness));
      const leaders = replicas.filter((_, i) => states[i]!.sync?.leader === true);
      return leaders.length === 1 ? leaders[0] : null;
    },
    30_000,
  );
  const lease = await store.db.selectFrom('sync_lease').select(['holder', 'token']).where('vendor', '=', 'DISTRU').executeTakeFirstOrThrow();
  expect(lease.holder).toContain(`:${leader.child.pid}:`);
  expect(leader.output()).toContain('sync lease: this replica now syncs DISTRU');

  // Kill it in the middle of a pass: a relation with its first two pages stored and at least two to go.
  const midPass = await until(
    'a Distru pass two pages in, with pages left',
    async () =>
      (await readSyncStates(store.db)).find((s) => {
        const cursor = cursorOf(s);
        return s.vendor === 'DISTRU' && cursor !== null && cursor >= 3 && cursor <= (pagesOf[s.relation] ?? 0) - 1;
      }),
    120_000,
  );
  leader.child.kill('SIGKILL');
  const killedAt = Date.now();
  await leader.exited;
  // What the dead leader left: the relation it was in, and the page it had not yet stored.
  const leftAt = (await readSyncStates(store.db)).filter((s) => s.vendor === 'DISTRU' && s.resumeCursor !== null);
  expect(leftAt.map((s) => s.relation)).toEqual([midPass.relation]);
  const interrupted = { relation: midPass.relation, page: cursorOf(leftAt[0]!)! };
  expect(interrupted.page).toBeGreaterThanOrEqual(3);

  // A survivor takes the lease within SYNC_LEASE_MS (+ the stated margin), with a new fencing token.
  const survivors = replicas.filter((r) => r !== leader);
  const successor = await until(
    'a survivor leads',
    async () => {
      const states = await Promise.all(survivors.map(distruReadiness));
      return survivors.find((_, i) => states[i]!.sync?.leader === true);
    },
    LEASE_MS + MARGIN_MS + 10_000,
  );
  const handOverMs = Date.now() - killedAt;
  expect(handOverMs, `hand-over took ${handOverMs} ms`).toBeLessThanOrEqual(LEASE_MS + MARGIN_MS);
  const after = await store.db.selectFrom('sync_lease').select(['holder', 'token']).where('vendor', '=', 'DISTRU').executeTakeFirstOrThrow();
  expect(after.holder).toContain(`:${successor.child.pid}:`);
  expect(Number(after.token)).toBeGreaterThan(Number(lease.token));

  // Both survivors reach ready with Distru current (the follower reads the progress from the store).
  await until(
    'both survivors ready with Distru current',
    async () => {
      const states = await Promise.all(survivors.map(distruReadiness));
      return states.every((s) => s.status === 200 && s.sync?.state === 'current') ? states : null;
    },
    180_000,
  );

  // The vendor's own log, the start-up checks' probes (`page[size]=1`) aside: every page of every
  // list read once and in order, across the two leaders — only the interrupted relation's stored
  // cursor page may appear twice (the dead leader may have been reading it), and its page 1 once.
  // A page the strict sandbox refused with 429 would be read again, so this also says none was.
  const requests = sandboxes.handles.distru!.stats.requests().filter((r) => new URLSearchParams(r.query).get('page[size]') !== '1');
  for (const [relation, route] of Object.entries(DISTRU_ROUTE_OF)) {
    const pages = requests.filter((r) => r.route === route).map((r) => Number(new URLSearchParams(r.query).get('page[number]') ?? '1'));
    const once = Array.from({ length: pagesOf[relation]! }, (_, i) => i + 1);
    if (relation === interrupted.relation) {
      const repeated = [...once.slice(0, interrupted.page), ...once.slice(interrupted.page - 1)];
      expect([once, repeated], `${relation} pages read`).toContainEqual(pages);
      expect(pages.filter((p) => p === 1)).toHaveLength(1);
    } else {
      expect({ relation, pages }).toEqual({ relation, pages: once });
    }
  }

  // The store holds every sandbox record exactly once: the same keys, no more, no fewer.
  for (const [relation, keys] of Object.entries(vendorKeys())) {
    const stored = await store.db.selectFrom('synced_record').select('key').where('vendor', '=', 'DISTRU').where('relation', '=', relation as SyncedRelation).execute();
    expect({ relation, count: stored.length }).toEqual({ relation, count: keys.length });
    expect({ relation, keys: stored.map((r) => r.key).sort() }).toEqual({ relation, keys: [...keys].sort() });
  }
}, 420_000);
