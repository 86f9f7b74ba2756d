/**
 * `npm run bench -- replicas`: the same query mix through 1, 2 and 3 gateway processes that share one
 * PostgreSQL store and one Redis (REDIS_URL, DATABASE_URL), against strict sandboxes (Distru answers
 * 429 past 2 calls in any second) with every vendor budget on. Two kinds of clients run at once:
 * "screens" ask the flagship query of Distru orders (each costs Distru calls: the order and its
 * invoices, stock now and then), "quality" clients ask what Distru is not part of (ISOlocity parts
 * with inspections, stock in Pharus, ISOlocity and HAPIHub). Clients are spread over the replicas.
 *
 * For each replica count: throughput and p50/p95 of each kind, errors, and the Distru calls in the
 * busiest second, read from Distru's own request log (/__sandbox/requests). Target: Distru at most
 * DISTRU_MAX_RPS (2) calls in every second whatever the number of replicas, and no errors. Replicas
 * add capacity for what does not wait on Distru; they add none to Distru, whose budget they share.
 *
 * Bounded: BENCH_DURATION_MS (default 15 s) of load per replica count, BENCH_SCREENS (2) and
 * BENCH_QUALITY (8) clients, each with one request in flight. Two screens already fill Distru's
 * budget on the strict sandbox (a warm flagship there costs about 6 Distru calls: its order, its
 * invoices, and stock in pages of 25 rows once the 5 s stock cache has expired), so the screens' p95
 * sits near the 10 s deadline and a few of their fields time out at every replica count: replicas
 * add no Distru capacity. The machine's load average is printed beside each row: on a shared 2-core
 * machine it moves the figures more than the replica count does.
 */
import { loadavg } from 'node:os';
import { FLAGSHIP_QUERY } from '../src/server/flagship.js';
import { toGlobalId } from '../src/model/global-id.js';
import { distruId } from '../sandbox/distru/project.js';
import { generateWorld } from '../sandbox/world/index.js';
import { cleanEnv, startGatewayProcess, type GatewayProcess } from '../test/support/gateway-process.js';
import { startPostgres } from '../test/support/postgres.js';
import { startRedis } from '../test/support/redis.js';
import { startSandboxProcess } from './sandbox-process.js';
import { busiestSecond, percentile, printTable } from './stats.js';

const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 15_000);
const SCREENS = Number(process.env.BENCH_SCREENS ?? 2);
const QUALITY = Number(process.env.BENCH_QUALITY ?? 8);
const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 20);
const DISTRU_BUDGET = 2;

const SKU_STOCK_ELSEWHERE = 'query($code: String!) { sku(code: $code) { code inventory(vendors: [PHARUS, ISOLOCITY, HAPIHUB]) { vendor lotNumber onHand } } }';
const PARTS_WITH_INSPECTIONS = 'query { parts(first: 20) { nodes { id identification inspections { id passed } } } }';

interface Ask {
  kind: 'screen' | 'quality';
  query: string;
  variables: Record<string, unknown>;
}

interface Outcome {
  kind: Ask['kind'];
  ms: number;
  ok: boolean;
  /** extensions.code of each error (HTTP_<status> or FETCH_FAILED when there was no GraphQL answer). */
  codes: string[];
}

/** The asks each kind of client cycles through (the same for every replica count). */
function queryMix(): { screens: Ask[]; quality: Ask[] } {
  const world = generateWorld({ seed: 42, scale: 1 });
  const orders = world.orders.filter((o) => o.vendor === 'distru').slice(0, 10);
  const codes = world.skus.filter((s) => s.vendorCodes.pharus === s.code).slice(0, 10).map((s) => s.code);
  return {
    screens: orders.map((o) => ({ kind: 'screen', query: FLAGSHIP_QUERY, variables: { id: toGlobalId('Order', 'DISTRU', distruId('order', o.key)) } })),
    quality: [...codes.map((code): Ask => ({ kind: 'quality', query: SKU_STOCK_ELSEWHERE, variables: { code } })), { kind: 'quality', query: PARTS_WITH_INSPECTIONS, variables: {} }],
  };
}

async function ask(replica: GatewayProcess, a: Ask): Promise<Outcome> {
  const started = performance.now();
  try {
    const response = await fetch(replica.graphqlUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: a.query, variables: a.variables }) });
    const body = (await response.json()) as { errors?: { extensions?: { code?: string } }[] };
    const codes = (body.errors ?? []).map((e) => e.extensions?.code ?? 'UNKNOWN');
    return { kind: a.kind, ms: performance.now() - started, ok: response.ok && codes.length === 0, codes: response.ok ? codes : [`HTTP_${response.status}`, ...codes] };
  } catch {
    return { kind: a.kind, ms: performance.now() - started, ok: false, codes: ['FETCH_FAILED'] };
  }
}

/** One client: one request in flight, asks in turn, until the run ends. */
async function client(replica: GatewayProcess, asks: Ask[], offset: number, until: number, out: Outcome[]): Promise<void> {
  for (let i = offset; performance.now() < until; i++) out.push(await ask(replica, asks[i % asks.length] as Ask));
}

/** "VENDOR_TIMEOUT×3 …": which errors the failed answers carried, once per answer and code. */
function errorCodes(outcomes: Outcome[]): string {
  const counts = new Map<string, number>();
  for (const o of outcomes) for (const code of new Set(o.codes)) counts.set(code, (counts.get(code) ?? 0) + 1);
  return [...counts].map(([code, n]) => `${code}×${n}`).join(' ') || '—';
}


export async function runReplicasBench(): Promise<void> {
  const [sandboxes, pg, redis] = await Promise.all([startSandboxProcess({ latencyMs: LATENCY_MS, strict: true }), startPostgres(), startRedis()]);
  const replicas: GatewayProcess[] = [];
  const rows: Record<string, string | number>[] = [];
  try {
    const env: Record<string, string> = {
      PORT: '0',
      HOST: '127.0.0.1',
      AUTH: 'none',
      LOG_LEVEL: 'warn',
      DATABASE_URL: await pg.createDatabase(),
      REDIS_URL: redis.url,
      OPSGRAPH_REPLICAS: '3',
      CROSSWALK_FILE: 'config/crosswalk.example.json',
    };
    for (const [vendor, connection] of Object.entries(sandboxes.connections)) {
      env[`${vendor}_BASE_URL`] = connection.baseUrl;
      env[`${vendor}_TOKEN`] = connection.token;
      if (connection.orgId) env[`${vendor}_ORG_ID`] = connection.orgId;
    }
    // One after another: the first migrates the shared store.
    for (let i = 0; i < 3; i++) replicas.push(await startGatewayProcess(process.execPath, ['--import', 'tsx', 'src/main.ts'], cleanEnv(env)));
    const mix = queryMix();

    for (const count of [1, 2, 3]) {
      const serving = replicas.slice(0, count);
      // Warm each serving replica's reference indexes (parts, products, crosswalked SKUs) first.
      await Promise.all(serving.map(async (r) => Promise.all([ask(r, mix.screens[0] as Ask), ...mix.quality.map((a) => ask(r, a))])));
      // Let the warm-up's Distru calls leave the window before measuring.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const outcomes: Outcome[] = [];
      const startedAt = Date.now();
      const until = performance.now() + DURATION_MS;
      await Promise.all([
        ...Array.from({ length: SCREENS }, (_, i) => client(serving[i % count] as GatewayProcess, mix.screens, i * 3, until, outcomes)),
        ...Array.from({ length: QUALITY }, (_, i) => client(serving[i % count] as GatewayProcess, mix.quality, i, until, outcomes)),
      ]);
      const seconds = (Date.now() - startedAt) / 1_000;
      const log = ((await (await fetch(`${sandboxes.urls.distru}/__sandbox/requests`)).json()) as { requests: { at: number }[] }).requests.filter((r) => r.at >= startedAt);
      const of = (kind: Ask['kind']) => outcomes.filter((o) => o.kind === kind);
      rows.push({
        replicas: count,
        'req/s': outcomes.length / seconds,
        'p50 ms': percentile(outcomes.map((o) => o.ms), 50),
        'p95 ms': percentile(outcomes.map((o) => o.ms), 95),
        'screens/s': of('screen').length / seconds,
        'screens p95 ms': percentile(of('screen').map((o) => o.ms), 95),
        'quality/s': of('quality').length / seconds,
        'quality p95 ms': percentile(of('quality').map((o) => o.ms), 95),
        errors: outcomes.filter((o) => !o.ok).length,
        'error codes': errorCodes(outcomes),
        'Distru calls': log.length,
        'Distru busiest 1 s': busiestSecond(log.map((r) => r.at)),
        'target ≤': DISTRU_BUDGET,
        'load avg': loadavg()[0] ?? Number.NaN,
      });
    }
  } finally {
    await Promise.all(replicas.map((r) => r.kill()));
    await Promise.all([sandboxes.stop(), pg.stop(), redis.close()]);
  }
  printTable(
    `Replicas sharing one PostgreSQL and one Redis — strict sandboxes, ${LATENCY_MS} ms per vendor call, ${SCREENS} screen + ${QUALITY} quality clients, ${DURATION_MS / 1_000} s per row`,
    rows,
  );
  const worst = Math.max(...rows.map((r) => Number(r['Distru busiest 1 s'])));
  const errors = rows.reduce((sum, r) => sum + Number(r.errors), 0);
  console.log(`target Distru ≤ ${DISTRU_BUDGET} calls in every second for 1, 2 and 3 replicas: ${worst <= DISTRU_BUDGET ? 'met' : 'NOT met'} (busiest ${worst}); errors: ${errors === 0 ? 'none' : `${errors} (NOT met)`}`);
}
