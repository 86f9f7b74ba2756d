import type { LoggedRequest as SandboxLoggedRequest } from '../../sandbox/core/stats.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandboxes, type Sandboxes } from '../../sandbox/index.js';
import { distruId } from '../../sandbox/distru/project.js';
import { warehouseIdOf } from '../../sandbox/hapihub/index.js';
import { toGlobalId } from '../../src/model/global-id.js';
import { FLAGSHIP_QUERY } from '../../src/server/flagship.js';
import type { GatewayProcess } from '../support/gateway-process.js';
import { startPostgres, type TestPostgres } from '../support/postgres.js';
import { startRedis, type TestRedis } from '../support/redis.js';
import { replicaEnv, startReplicas } from '../support/replicas.js';

/**
 * Three gateway processes on the same vendor sandboxes, sharing one PostgreSQL store and one Redis, as deploy/compose.yaml runs them. What a
 * company running replicas relies on: one vendor budget across them, one write per idempotency key,
 * writes seen everywhere, and serving on when Redis goes away. Handing the sync over when its leader
 * is killed: test/scale/sync-handover.test.ts (its own sandboxes: a strict Distru, long enough a pass).
 */
let sandboxes: Sandboxes;
let pg: TestPostgres;
let redis: TestRedis;
const replicas: GatewayProcess[] = [];

type GraphQLAnswer = { data?: Record<string, unknown> | null; errors?: { message: string; extensions?: Record<string, unknown> }[] };

async function gql(replica: GatewayProcess, query: string, variables: Record<string, unknown> = {}): Promise<GraphQLAnswer> {
  const response = await fetch(replica.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query, variables }) });
  return (await response.json()) as GraphQLAnswer;
}

/** One entry of the sandbox's request log, as its JSON carries it. */
type LoggedRequest = Pick<SandboxLoggedRequest, 'at' | 'method' | 'route' | 'path' | 'query'>;

/** The vendor's own request log (GET /__sandbox/requests): what arrived and when. */
async function vendorLog(vendor: 'distru' | 'hapihub', since: number): Promise<LoggedRequest[]> {
  const response = await fetch(`${sandboxes.handles[vendor]!.url}/__sandbox/requests`);
  const { requests } = (await response.json()) as { requests: LoggedRequest[] };
  return requests.filter((r) => r.at >= since);
}

/** The most requests the vendor saw inside any span of `windowMs`. */
function busiest(times: number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while ((sorted[i] as number) - (sorted[j] as number) >= windowMs) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

const distruOrder = (key: string) => toGlobalId('Order', 'DISTRU', distruId('order', key));
const readyz = async (replica: GatewayProcess) => (await (await fetch(replica.graphqlUrl.replace(/\/graphql$/, '/readyz'))).json()) as { cluster: { mode: string; budgets: Record<string, string> } };

beforeAll(async () => {
  [sandboxes, pg, redis] = await Promise.all([startSandboxes({ ports: { isolocity: 0, pharus: 0, distru: 0, hapihub: 0 } }), startPostgres(), startRedis()]);
  const env = replicaEnv(sandboxes, { databaseUrl: await pg.createDatabase(), redisUrl: redis.url, replicas: 3 }, {
    CROSSWALK_FILE: 'config/crosswalk.example.json',
    // Twenty cold screens still cost Distru calls: each replica's catch-up of its stored orders and
    // invoices (one shared `updated_datetime` increment each, src/sync/catch-up.ts) and their stock
    // (25 rows a page in the strict sandbox) — several seconds at 2 calls/s summed over the replicas.
    // Replicas add no Distru capacity; a deployment that expects such bursts raises the deadline
    // (README, "Running several replicas"), here with room for a loaded machine.
    REQUEST_DEADLINE_MS: '60000',
    // Every order(id:) catches the store up (none is served from a copy a moment old), so each case
    // below makes Distru order calls whatever the background sync did just before it.
    DISTRU_LIVE_MAX_AGE_MS: '0',
  });
  // One after another: the first one migrates the shared store (the others find it migrated).
  await startReplicas(3, env, replicas, { together: false });
}, 240_000);

afterAll(async () => {
  await Promise.all(replicas.map((r) => r.kill()));
  await Promise.all([sandboxes?.close(), pg?.stop(), redis?.close()]);
});

describe('three replicas behind one budget (real PostgreSQL, Redis and processes)', () => {
  it('keeps Distru at ≤ 2 calls in every second while 20 flagship queries on 20 orders are spread over the replicas, every answer complete', async () => {
    const since = Date.now();
    // Each replica first answers one flagship, so its reference indexes are warm (steady state).
    const warmup = sandboxes.world.orders.find((o) => o.vendor === 'distru')!;
    const warm = await Promise.all(replicas.map((r) => gql(r, FLAGSHIP_QUERY, { id: distruOrder(warmup.key) })));
    expect(warm.map((a) => a.errors)).toEqual([undefined, undefined, undefined]);

    const orders = sandboxes.world.orders.filter((o) => o.vendor === 'distru').slice(1, 21);
    expect(orders).toHaveLength(20);
    const burst = Date.now();
    const answers = await Promise.all(orders.map((order, i) => gql(replicas[i % 3]!, FLAGSHIP_QUERY, { id: distruOrder(order.key) })));
    for (const [i, answer] of answers.entries()) {
      expect(answer.errors, `order ${orders[i]!.key}`).toBeUndefined();
      const order = answer.data?.order as { invoices: unknown[] | null; lines: { sku: { inventory: unknown[] | null } | null }[] };
      expect(order.lines).toHaveLength(orders[i]!.lines.length);
      expect(order.invoices).not.toBeNull();
    }

    const log = await vendorLog('distru', since);
    // Orders come from the shared store once a replica's increment has caught it up: fewer order
    // calls than orders, every one an `updated_datetime` increment or a by-id read never repeated.
    const orderCalls = log.filter((r) => r.at >= burst && r.method === 'GET' && r.route.startsWith('/public/v1/orders'));
    const byId = orderCalls.filter((r) => r.route === '/public/v1/orders/:id');
    const increments = orderCalls.filter((r) => r.route === '/public/v1/orders');
    expect(increments.every((r) => new URLSearchParams(r.query).has('updated_datetime')), JSON.stringify(increments.map((r) => r.query))).toBe(true);
    expect(new Set(byId.map((r) => r.path)).size).toBe(byId.length);
    expect(increments.length).toBeGreaterThan(0);
    expect(orderCalls.length).toBeLessThan(20);
    // Warm-up and burst alike: never more than 2 calls in any second, whichever replica sent them.
    const budgetNotes = replicas.flatMap((r) => r.output().split('\n').filter((line) => line.includes('Redis')));
    expect(busiest(log.map((r) => r.at), 1_000), `Distru calls (ms from the start): ${log.map((r) => r.at - since).join(' ')}; replicas said: ${budgetNotes.join(' | ')}`).toBeLessThanOrEqual(2);
  }, 180_000);

  it('writes once when the same idempotency key reaches all three replicas at the same moment', async () => {
    const hapihub = sandboxes.handles.hapihub!;
    const sku = sandboxes.world.skus.find((s) => s.vendorCodes.hapihub === s.code)!.code;
    // The vendor answers slowly, so the three requests overlap.
    hapihub.faults.add({ match: 'POST /inventory-transactions', latencyMs: 300 });
    const since = Date.now();
    try {
      const input = { idempotencyKey: 'three-replicas-one-write', vendor: 'HAPIHUB', skuCode: sku, locationId: warehouseIdOf('LOC-1'), quantity: '1', reason: 'replica test' };
      const answers = await Promise.all(replicas.map((r) => gql(r, `mutation($input: AdjustInventoryInput!) { adjustInventory(input: $input) { vendor levels { onHand } } }`, { input })));
      expect(answers.map((a) => a.errors)).toEqual([undefined, undefined, undefined]);
      expect(answers[1]!.data).toEqual(answers[0]!.data);
      expect(answers[2]!.data).toEqual(answers[0]!.data);
    } finally {
      hapihub.faults.clear();
    }
    expect((await vendorLog('hapihub', since)).filter((r) => r.method === 'POST' && r.route === '/inventory-transactions')).toHaveLength(1);
  });

  it('shows a write through replica A when read through replica B within a second', async () => {
    // The README's example SKU: HAPIHub holds stock of it (a test keeps the crosswalk true to the sandbox).
    const code = 'OG-00048';
    type Level = { vendor: string; location: { id: string } | null; lotNumber: string | null; onHand: string } | null;
    const levelsOf = async () => {
      const answer = await gql(replicas[1]!, `query($code: String!) { sku(code: $code) { inventory { vendor location { id } lotNumber onHand } } }`, { code });
      expect(answer.errors).toBeUndefined();
      return (answer.data?.sku as { inventory: Level[] }).inventory;
    };
    const level = (await levelsOf()).find((l) => l?.vendor === 'HAPIHUB' && l.location && l.lotNumber) as NonNullable<Level>;
    expect(level).toBeDefined();
    // Replica B now holds this stock in its cache (fresh for LIVE_STOCK_MAX_AGE_MS, 5 s).
    const read = async () => (await levelsOf()).find((l) => l?.vendor === 'HAPIHUB' && l.location?.id === level.location?.id && l.lotNumber === level.lotNumber)?.onHand;
    const before = await read();
    const written = await gql(replicas[0]!, `mutation($input: AdjustInventoryInput!) { adjustInventory(input: $input) { __typename } }`, {
      input: { vendor: 'HAPIHUB', skuCode: code, locationId: level.location?.id, lotNumber: level.lotNumber, quantity: '5', reason: 'replica test' },
    });
    expect(written.errors).toBeUndefined();
    const started = Date.now();
    let after = await read();
    // Bounded: at most a second of reads (each is a real round trip).
    while (after === before && Date.now() - started < 1_000) after = await read();
    expect(Number(after) - Number(before)).toBe(5);
  });

  // Last: it stops Redis (and starts it again when done).
  it('keeps serving when Redis stops, each replica on its share of the budget, and says so in /readyz and the log', async () => {
    await redis.stop();
    try {
      const orders = sandboxes.world.orders.filter((o) => o.vendor === 'distru').slice(21, 27);
      const since = Date.now();
      const answers = await Promise.all(orders.map((order, i) => gql(replicas[i % 3]!, `query($id: ID!) { order(id: $id) { id number } }`, { id: distruOrder(order.key) })));
      for (const answer of answers) expect(answer.errors).toBeUndefined();
      const log = await vendorLog('distru', since);
      // Each replica catches its store up (at least one increment between the three), on its local share.
      const orderCalls = log.filter((r) => r.method === 'GET' && r.route.startsWith('/public/v1/orders'));
      expect(orderCalls.length).toBeGreaterThan(0);
      expect(orderCalls.length).toBeLessThanOrEqual(6);
      expect(busiest(log.map((r) => r.at), 1_000)).toBeLessThanOrEqual(2);
      for (const replica of replicas) {
        const ready = await readyz(replica);
        expect(ready.cluster.mode).toBe('replicas');
        expect(ready.cluster.budgets.distru).toBe('fallback');
        expect(replica.output()).toContain('Redis unreachable: this replica keeps to its share of the vendor budget');
      }
    } finally {
      await redis.start();
    }
  });
});
